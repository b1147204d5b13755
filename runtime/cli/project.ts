/**
 * The Rasa project behind `--domain PATH`… and `--project DIR`, for the
 * commands that read it: validate (cross-checks), run and the studio (slot
 * types), serve --mcp and mcp (the tools' parameter types); and the
 * package's version.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isAbsolute, relative } from 'node:path';
import { diagnostic, testFileFor } from '../config/index.js';
import {
  findProjectFiles,
  loadDomain,
  loadFlowCalls,
  loadFlowConditions,
  NotYamlError,
  readActionTransport,
} from '../project/index.js';
import type { Project } from '../project/index.js';
import type { ProjectSource } from '../studio/index.js';
import type { SlotTypes } from '../mcp/index.js';
import { asFlagFileError, FlagFileError, notYaml } from './flag-file.js';

/** A Rasa project that was read. */
export type ProjectRead = Exclude<Project, { readonly error: unknown }>;

/**
 * Reads the Rasa project given by --domain/--project; null when none was
 * given. Throws FlagFileError when a path is missing or a file cannot be
 * read or is not YAML, naming the flag and the file at fault.
 */
export async function loadProject(
  domainPaths: readonly string[],
  projectDir: string | undefined,
): Promise<ProjectRead | null> {
  if (domainPaths.length === 0 && projectDir === undefined) return null;
  if (projectDir !== undefined) await checkFolder(projectDir);
  const found = projectDir === undefined ? { domain: [], flows: [] } : await findProjectFiles(projectDir);
  const paths = [...domainPaths, ...found.domain];
  if (paths.length === 0 && projectDir !== undefined)
    throw new FlagFileError('--project', projectDir, 'has no domain.yml or domain/');
  // A file of a --domain folder is named as the file at fault; anything else was found in the project.
  const flagOf = (file: string): string => (domainPaths.some((p) => within(file, p)) ? '--domain' : '--project');
  try {
    return {
      domain: await loadDomain(paths),
      flows: await loadFlowConditions(found.flows),
      calls: await loadFlowCalls(found.flows),
      transport: projectDir === undefined ? null : await readActionTransport(projectDir),
    };
  } catch (err) {
    if (err instanceof NotYamlError) throw notYaml(flagOf(err.file), err.file, err.problem);
    const path = (err as NodeJS.ErrnoException).path ?? paths[0] ?? '.';
    throw asFlagFileError(flagOf(path), path, err);
  }
}

/**
 * Reads the Rasa project given by --domain/--project, as validate's report
 * and the studio's page show it: one that cannot be read is a Project with
 * its SW_DOMAIN_FILE diagnostic; null when none was given.
 */
export async function readProject(
  domainPaths: readonly string[],
  projectDir: string | undefined,
): Promise<Project | null> {
  try {
    return await loadProject(domainPaths, projectDir);
  } catch (err) {
    if (!(err instanceof FlagFileError)) throw err;
    const at = err.at ?? { line: 1, col: 1 };
    return { error: diagnostic('SW_DOMAIN_FILE', { file: err.file, ...at }, [err.message]) };
  }
}

/** Throws FlagFileError unless --project names a folder that can be read. */
async function checkFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new FlagFileError('--project', dir, 'cannot be read: no such folder');
    throw asFlagFileError('--project', dir, err);
  });
  if (!info.isDirectory()) throw new FlagFileError('--project', dir, 'is not a folder');
}

/** Whether `file` is `path` or inside the folder `path`. */
function within(file: string, path: string): boolean {
  const rel = relative(path, file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
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

/** {@link testFileFor} of a `.yml`/`.yaml` actions file, when it exists. */
export function testFileBeside(actionsFile: string): string | null {
  if (!YAML_EXTENSION.test(actionsFile)) return null;
  const candidate = testFileFor(actionsFile);
  return existsSync(candidate) ? candidate : null;
}

const YAML_EXTENSION = /\.ya?ml$/;

/**
 * The MCP tools' parameter types for `actionsFile` (serve --mcp, mcp): the
 * project's domain, else its test file's values. Throws FlagFileError when
 * the project given cannot be read.
 */
export async function toolSlotTypes(
  domainPaths: readonly string[],
  projectDir: string | undefined,
  actionsFile: string,
): Promise<SlotTypes> {
  const project = await loadProject(domainPaths, projectDir);
  // Loaded here: the MCP SDK it brings is start-up time that `serve` without --mcp need not pay.
  const { slotTypesFrom } = await import('../mcp/index.js');
  return slotTypesFrom(project?.domain ?? null, testFileBeside(actionsFile));
}

/** This package's version (told to MCP clients, and in traces' service.version). */
export function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
