/**
 * A Rasa project's domain, read from one file or a folder of files (Rasa
 * merges every YAML file of a domain folder), and its flows. Only what the
 * cross-check needs is kept: slots with their types, actions, responses,
 * forms, and flow conditions that read slots.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parsePlainYaml } from '../config/index.js';
import type { YamlProblem } from '../config/index.js';
import type { DomainDict } from '../rasa/index.js';

/** A domain slot: its YAML type name (`bool`, `float`, `categorical`, …) and values for categorical. */
export interface DomainSlot {
  readonly type: string;
  readonly values: readonly unknown[];
  /**
   * The `type` of each of its mappings; null when it declares none (Rasa
   * CALM then fills it from the conversation). `custom` and `controlled`
   * are filled only by actions.
   */
  readonly mappings: readonly string[] | null;
}

/** The merged domain. */
export interface ProjectDomain {
  readonly files: readonly string[];
  readonly slots: ReadonlyMap<string, DomainSlot>;
  /** Action names listed under `actions:` (string or one-key mapping entries). */
  readonly actions: readonly string[];
  readonly responses: ReadonlySet<string>;
  readonly forms: ReadonlySet<string>;
}

/** The domain as Rasa sends it with a call, as far as slot types go (`slotwire run --domain`, the studio). */
export function domainDictOf(domain: ProjectDomain): DomainDict {
  return {
    slots: Object.fromEntries([...domain.slots].map(([name, s]) => [name, { type: s.type, values: s.values }])),
  };
}

/** A flow condition that reads a slot: `next: - if: slots.x …`. */
export interface FlowCondition {
  readonly file: string;
  readonly flow: string;
  readonly slot: string;
  readonly condition: string;
  /** Where `slots.<slot>` stands in the flow file (1-based; 1:1 when the condition cannot be found as written). */
  readonly line: number;
  readonly col: number;
}

/** Reads every `.yml`/`.yaml` file of `path` (a file or a folder, recursively). */
async function yamlFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path)).sort()) {
    const full = join(path, entry);
    if ((await stat(full)).isDirectory()) out.push(...(await yamlFiles(full)));
    else if (/\.ya?ml$/.test(entry)) out.push(full);
  }
  return out;
}

/** Loads and merges domain files. Throws NotYamlError for a file that does not parse, and node's error for one that cannot be read. */
export async function loadDomain(paths: readonly string[]): Promise<ProjectDomain> {
  const files = (await Promise.all(paths.map(yamlFiles))).flat();
  const slots = new Map<string, DomainSlot>();
  const actions: string[] = [];
  const responses = new Set<string>();
  const forms = new Set<string>();
  for (const file of files) {
    const doc = parseFile(file, await readFile(file, 'utf8'));
    for (const [name, def] of Object.entries(
      (doc['slots'] ?? {}) as Record<string, { type?: string; values?: unknown[]; mappings?: unknown }>,
    )) {
      const mappings = Array.isArray(def?.mappings)
        ? def.mappings.map((m: unknown) => String((m as { type?: unknown } | null)?.type ?? ''))
        : null;
      slots.set(name, { type: String(def?.type ?? 'any'), values: def?.values ?? [], mappings });
    }
    for (const entry of (doc['actions'] ?? []) as unknown[]) {
      const name =
        typeof entry === 'string' ? entry : entry && typeof entry === 'object' ? Object.keys(entry)[0] : undefined;
      if (name) actions.push(name);
    }
    for (const name of Object.keys(doc['responses'] ?? {})) responses.add(name);
    for (const name of Object.keys(doc['forms'] ?? {})) forms.add(name);
  }
  return { files, slots, actions, responses, forms };
}

/** Finds flow conditions over slots in flow files (CALM `flows:` mappings). */
export async function loadFlowConditions(paths: readonly string[]): Promise<FlowCondition[]> {
  const out: FlowCondition[] = [];
  for (const file of (await Promise.all(paths.map(yamlFiles))).flat()) {
    const text = await readFile(file, 'utf8');
    const doc = parseFile(file, text);
    // Conditions are met in file order, so each is searched for after the previous one.
    let cursor = 0;
    for (const [flow, def] of Object.entries((doc['flows'] ?? {}) as Record<string, unknown>)) {
      walkConditions(def, (condition) => {
        const at = text.indexOf(condition, cursor);
        if (at !== -1) cursor = at + condition.length;
        for (const m of condition.matchAll(/slots\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
          const where = at === -1 ? { line: 1, col: 1 } : lineColAt(text, at + m.index + 'slots.'.length);
          out.push({ file, flow, slot: m[1], condition, ...where });
        }
      });
    }
  }
  return out;
}

/** A flow's `call:` step (an MCP tool, Rasa Pro 3.14+): which tool, and which slots its output mapping fills. */
export interface FlowCall {
  readonly file: string;
  readonly flow: string;
  readonly tool: string;
  readonly outputSlots: readonly string[];
}

/** Finds the `call:` steps of flow files, at any depth (`next:`, `then:`). */
export async function loadFlowCalls(paths: readonly string[]): Promise<FlowCall[]> {
  const out: FlowCall[] = [];
  for (const file of (await Promise.all(paths.map(yamlFiles))).flat()) {
    const doc = parseFile(file, await readFile(file, 'utf8'));
    for (const [flow, def] of Object.entries((doc['flows'] ?? {}) as Record<string, unknown>)) {
      walkCalls(def, (step) => {
        const mapping = (step['mapping'] ?? {}) as { output?: unknown };
        const outputs = Array.isArray(mapping.output) ? (mapping.output as { slot?: unknown }[]) : [];
        out.push({
          file,
          flow,
          tool: String(step['call']),
          outputSlots: outputs.map((o) => o?.slot).filter((s): s is string => typeof s === 'string'),
        });
      });
    }
  }
  return out;
}

function walkCalls(node: unknown, found: (step: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walkCalls(n, found));
  else if (node && typeof node === 'object') {
    const step = node as Record<string, unknown>;
    if (typeof step['call'] === 'string') found(step);
    for (const value of Object.values(step)) walkCalls(value, found);
  }
}

/** 1-based line and column of an offset. The flow files are parsed without positions; this is the one place they are needed. */
function lineColAt(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, col: offset - before.lastIndexOf('\n') };
}

function walkConditions(node: unknown, found: (condition: string) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walkConditions(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'if' && typeof value === 'string') found(value);
      else walkConditions(value, found);
    }
  }
}

/** A domain or flow file that is not YAML: the file, and where and why it stops parsing. */
export class NotYamlError extends Error {
  readonly file: string;
  readonly problem: YamlProblem;

  constructor(file: string, problem: YamlProblem) {
    super(`${file}: not valid YAML: ${problem.message} at line ${problem.line}, column ${problem.col}`);
    this.name = 'NotYamlError';
    this.file = file;
    this.problem = problem;
  }
}

function parseFile(file: string, text: string): Record<string, unknown> {
  const parsed = parsePlainYaml(text);
  if ('error' in parsed) throw new NotYamlError(file, parsed.error);
  return (parsed.value ?? {}) as Record<string, unknown>;
}

/** `domain.yml`/`domain/` and flow files of a Rasa project folder, where Rasa keeps them. */
export async function findProjectFiles(dir: string): Promise<{ domain: string[]; flows: string[] }> {
  const exists = (p: string) =>
    stat(p).then(
      () => true,
      () => false,
    );
  const domain: string[] = [];
  for (const candidate of ['domain.yml', 'domain.yaml', 'domain'])
    if (await exists(join(dir, candidate))) domain.push(join(dir, candidate));
  const flows: string[] = [];
  for (const candidate of ['flows.yml', 'flows.yaml', 'data/flows', 'data']) {
    const p = join(dir, candidate);
    if (await exists(p)) flows.push(p);
  }
  return {
    domain,
    flows: flows.includes(join(dir, 'data/flows')) ? flows.filter((f) => f !== join(dir, 'data')) : flows,
  };
}

/**
 * The Rasa project an actions file belongs to: its folder or the nearest
 * parent with `domain.yml`, `domain.yaml` or `domain/`, as Rasa projects
 * keep them. Null when no folder up to the root has one.
 */
export async function findProjectFolder(actionsFile: string): Promise<string | null> {
  let dir = dirname(resolve(actionsFile));
  for (;;) {
    if ((await findProjectFiles(dir)).domain.length > 0) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
