/**
 * The Rasa project behind `--domain PATH`… and `--project DIR`, for the
 * commands that read it: validate (cross-checks) and serve --mcp / mcp
 * (the tools' parameter types); and the package's version.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { diagnostic, formatDiagnostic } from '../config/index.js';
import {
  findProjectFiles,
  loadDomain,
  loadFlowCalls,
  loadFlowConditions,
  readActionTransport,
} from '../project/index.js';
import type { Project } from '../project/index.js';
import { slotTypesFrom } from '../mcp/index.js';
import type { ProjectSource } from '../studio/index.js';
import type { SlotTypes } from '../mcp/index.js';
import type { Output } from './output.js';

/** Reads the Rasa project given by --domain/--project; null when none was given. */
export async function readProject(
  domainPaths: readonly string[],
  projectDir: string | undefined,
): Promise<Project | null> {
  if (domainPaths.length === 0 && projectDir === undefined) return null;
  try {
    const found = projectDir === undefined ? { domain: [], flows: [] } : await findProjectFiles(projectDir);
    const paths = [...domainPaths, ...found.domain];
    if (paths.length === 0) throw new Error(`no domain.yml or domain/ in ${projectDir}`);
    const transport = projectDir === undefined ? null : await readActionTransport(projectDir);
    return {
      domain: await loadDomain(paths),
      flows: await loadFlowConditions(found.flows),
      calls: await loadFlowCalls(found.flows),
      transport,
    };
  } catch (err) {
    return {
      error: diagnostic('SW_DOMAIN_FILE', { file: projectDir ?? domainPaths[0] ?? '.', line: 1, col: 1 }, [
        (err as Error).message,
      ]),
    };
  }
}

/**
 * The project given by --domain/--project as the studio follows it: the
 * paths read (the --domain files or folders, the project's domain and flow
 * files), and a read again after one of them changed; null when none was given.
 */
export async function projectSource(
  domainPaths: readonly string[],
  projectDir: string | undefined,
): Promise<ProjectSource | null> {
  if (domainPaths.length === 0 && projectDir === undefined) return null;
  const found = projectDir === undefined ? { domain: [], flows: [] } : await findProjectFiles(projectDir);
  return {
    paths: [...domainPaths, ...found.domain, ...found.flows],
    read: () => readProject(domainPaths, projectDir),
  };
}

/** The test file named for an actions file: `actions.test.yml` for `actions.yml` (the name `slotwire init` writes), `x.test.yml` for `x`. */
export function testFileFor(actionsFile: string): string {
  return YAML_EXTENSION.test(actionsFile)
    ? actionsFile.replace(YAML_EXTENSION, (ext) => `.test${ext}`)
    : `${actionsFile}.test.yml`;
}

/** {@link testFileFor} of a `.yml`/`.yaml` actions file, when it exists. */
export function testFileBeside(actionsFile: string): string | null {
  if (!YAML_EXTENSION.test(actionsFile)) return null;
  const candidate = testFileFor(actionsFile);
  return existsSync(candidate) ? candidate : null;
}

const YAML_EXTENSION = /\.ya?ml$/;

/**
 * The MCP tools' parameter types for `actionsFile` (serve --mcp, mcp): the
 * project's domain, else its test file's values; null when the project
 * given cannot be read (the problem is printed).
 */
export async function toolSlotTypes(
  domainPaths: readonly string[],
  projectDir: string | undefined,
  actionsFile: string,
  io: Output,
  command: string,
): Promise<SlotTypes | null> {
  const project = await readProject(domainPaths, projectDir);
  if (project !== null && 'error' in project) {
    io.err(`${formatDiagnostic(project.error, null)}\n`);
    io.err(`slotwire ${command}: the Rasa project cannot be read; fix --domain/--project or leave them out.`);
    return null;
  }
  return slotTypesFrom(project?.domain ?? null, testFileBeside(actionsFile));
}

/** This package's version (told to MCP clients, and in traces' service.version). */
export function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
