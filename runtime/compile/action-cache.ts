/**
 * Compiled actions kept between compiles of one file, for an editor that
 * checks the file at each change (`slotwire lsp`): an action whose text and
 * surroundings did not change is not compiled again. Its diagnostics are
 * kept relative to the action's start, so an edit above it only moves them.
 */
import { createHash } from 'node:crypto';
import { locate, positionAt } from '../config/index.js';
import type { Diagnostic, SourceFile } from '../config/index.js';
import type { SlotRead } from './context.js';
import type { ActionPlan } from './plan.js';
import type { ReadText } from './read-file.js';

/** What compiling one action gave: the plan, its diagnostics and the slots it reads. */
export interface CompiledAction {
  readonly plan: ActionPlan;
  readonly diagnostics: readonly Diagnostic[];
  readonly slotReads: readonly SlotRead[];
}

interface Entry {
  readonly plan: ActionPlan;
  /** Each diagnostic with its offset from the action's start. */
  readonly diagnostics: readonly { readonly d: Diagnostic; readonly offset: number }[];
  readonly slotReads: readonly SlotRead[];
}

/** A cache of compiled actions, for one actions file; pass it to compilePlan as `cache`. */
export interface ActionCache {
  /** Entries by action, keyed by the action's text and everything around it that it depends on. */
  readonly entries: Map<string, { readonly key: string; readonly entry: Entry }>;
  /** The files the last compile read (schemas, the test file) and what they held; null for a file that could not be read. */
  files: Map<string, string | null>;
}

/** An empty cache. */
export function createActionCache(): ActionCache {
  return { entries: new Map(), files: new Map() };
}

/**
 * One compile's use of a cache: the reader that records what it reads,
 * lookups and stores by action, and `done` to drop what the file no longer has.
 */
export interface CacheSession {
  readonly readText: ReadText;
  get(name: string): CompiledAction | null;
  set(name: string, compiled: CompiledAction): void;
  done(): void;
}

/**
 * Starts a compile against the cache. `around` is everything besides an
 * action's own text that its compile reads (connections, the domain's slot
 * types, the `mcp:` section). When a file read by the last compile changed,
 * every entry goes: which action read which file is not tracked, and such
 * edits are rare next to edits of the actions file.
 */
export function openSession(cache: ActionCache, source: SourceFile, readText: ReadText, around: unknown): CacheSession {
  const files = new Map<string, string | null>();
  const read: ReadText = (path) => {
    if (!files.has(path)) {
      try {
        files.set(path, readText(path));
      } catch (err) {
        files.set(path, null);
        throw err;
      }
    }
    const text = files.get(path);
    if (text === null || text === undefined) return readText(path);
    return text;
  };
  for (const [path, text] of cache.files) {
    let now: string | null;
    try {
      now = read(path);
    } catch {
      now = null;
    }
    if (now !== text) {
      cache.entries.clear();
      break;
    }
  }
  const context = createHash('sha256')
    .update(source.file)
    .update('\0')
    .update(JSON.stringify(around) ?? '')
    .digest('hex');
  const used = new Set<string>();
  const keyOf = (name: string): { key: string; start: number } | null => {
    const { key, node } = locate(source, ['actions', name]);
    const start = key?.range?.[0];
    const end = node?.range?.[2] ?? key?.range?.[2];
    if (start === undefined || end === undefined) return null;
    return { key: `${context}\0${source.text.slice(start, end)}`, start };
  };
  return {
    readText: read,
    get(name) {
      used.add(name);
      const at = keyOf(name);
      const found = cache.entries.get(name);
      if (at === null || found === undefined || found.key !== at.key) return null;
      const { entry } = found;
      return {
        plan: entry.plan,
        diagnostics: entry.diagnostics.map(({ d, offset }) => ({ ...d, ...positionAt(source, at.start + offset) })),
        slotReads: entry.slotReads,
      };
    },
    set(name, compiled) {
      const at = keyOf(name);
      const [start, end] = [at?.start ?? 0, at ? at.start + at.key.length - context.length - 1 : 0];
      const diagnostics = compiled.diagnostics.map((d) => ({ d, offset: offsetOf(source, d) - start }));
      // A diagnostic outside the action (another file, another part) would not move with it: not kept.
      if (
        at === null ||
        diagnostics.some(({ d, offset }) => d.file !== source.file || offset < 0 || start + offset > end)
      ) {
        cache.entries.delete(name);
        return;
      }
      cache.entries.set(name, {
        key: at.key,
        entry: { plan: compiled.plan, diagnostics, slotReads: compiled.slotReads },
      });
    },
    done() {
      for (const name of cache.entries.keys()) if (!used.has(name)) cache.entries.delete(name);
      cache.files = files;
    },
  };
}

/** The character offset of a diagnostic's line and column in the file. */
function offsetOf(source: SourceFile, d: Diagnostic): number {
  return (source.lineCounter.lineStarts[d.line - 1] ?? 0) + d.col - 1;
}
