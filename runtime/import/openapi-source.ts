/**
 * Where a part of the dereferenced description is written in the original
 * files. `response_schema` must point into the files the author keeps (the
 * dereferenced copy exists only in memory), and a multi-file description
 * reaches a response through `$ref`s (`/pets: $ref: paths/pets.yaml`,
 * `'404': $ref: '#/components/responses/NotFound'`), so the pointer is
 * walked through the raw files, following each `$ref` on the way.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { escapePointer } from './openapi-json-lines.js';

/** A place in one original file. */
export interface SourcePlace {
  /** Absolute path of the file. */
  readonly file: string;
  /** JSON pointer inside it (RFC 6901), `''` for the whole file. */
  readonly pointer: string;
}

// A chain of `$ref`s longer than this is a loop.
const MAX_REFS = 64;

/** Raw files by absolute path, read once per import. */
export class SourceFiles {
  readonly #files = new Map<string, Promise<unknown>>();

  constructor(root: string, rootData: unknown) {
    this.#files.set(resolve(root), Promise.resolve(rootData));
  }

  /**
   * The place `tokens` (a path from the root file's top) leads to. The
   * `$ref`s met on the way are followed; the node reached is not, so a
   * schema that is itself a `$ref` is pointed at where it is written.
   * Null when the way goes through a remote (http) `$ref` or a file that
   * cannot be read, or leads nowhere.
   */
  async locate(root: string, tokens: readonly string[]): Promise<SourcePlace | null> {
    let file = resolve(root);
    let node = await this.#read(file);
    let at: string[] = [];
    for (const token of tokens) {
      for (let hops = 0; ; hops++) {
        if (isObject(node) && token in node) break;
        const ref = isObject(node) ? node['$ref'] : undefined;
        if (typeof ref !== 'string' || hops >= MAX_REFS) return null;
        const target = await this.#follow(file, ref);
        if (target === null) return null;
        ({ file, node } = target);
        at = [...target.at];
      }
      node = node[token];
      at.push(token);
    }
    return node === undefined ? null : { file, pointer: at.map((t) => `/${escapePointer(t)}`).join('') };
  }

  async #follow(from: string, ref: string): Promise<{ file: string; node: unknown; at: string[] } | null> {
    const hash = ref.indexOf('#');
    const location = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    if (/^[a-z][a-z0-9+.-]*:/i.test(location) && !location.startsWith('file:')) return null; // remote
    const file = location === '' ? from : resolve(dirname(from), decode(location.replace(/^file:\/\//, '')));
    let node = await this.#read(file);
    const at =
      fragment === '' || fragment === '/' ? [] : decode(fragment).replace(/^\//, '').split('/').map(unescapePointer);
    for (const token of at) {
      if (!isObject(node) || !(token in node)) return null;
      node = node[token];
    }
    return { file, node, at };
  }

  #read(file: string): Promise<unknown> {
    let pending = this.#files.get(file);
    if (pending === undefined) {
      pending = readFile(file, 'utf8').then(parseOrUndefined, () => undefined);
      this.#files.set(file, pending);
    }
    return pending;
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return parseYaml(text, { uniqueKeys: false }) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `$ref` values are URI references: `%7B` in a file name or fragment is `{`. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
