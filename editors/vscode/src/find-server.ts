// Which `slotwire lsp` to start. Kept free of the vscode API so that the order
// of the places looked in is tested in plain Node (test/editors/find-server.test.ts).
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';

/** How to start the server: `command` with `args`, through a shell only for a Windows `.cmd`. */
export interface ServerCommand {
  command: string;
  args: string[];
  shell: boolean;
  /** Where it was found, for the output channel's first line. */
  from: 'setting' | 'workspace' | 'PATH';
}

/** What the lookup reads: the setting, the workspace folders, and the environment's PATH. */
export interface ServerLookup {
  /** `slotwire.path`: empty when unset. */
  setting: string;
  /** Absolute paths of the workspace folders, first one first. */
  folders: readonly string[];
  /** The PATH (and on Windows, PATHEXT) the editor runs with. */
  env: Readonly<Record<string, string | undefined>>;
  windows: boolean;
}

/** Nothing to start: one message for the user, saying what was looked for and how to fix it. */
export interface ServerMissing {
  problem: string;
}

const LSP_ARGS = ['lsp'];
const SCRIPT = new Set(['.js', '.mjs', '.cjs']);

/**
 * The setting when set (it is never second-guessed: a wrong path is reported, not skipped), else the
 * slotwire installed in a workspace folder or one of its parents (node_modules/slotwire, or the
 * folder is slotwire's own repository), else `slotwire` on PATH.
 */
export function findServer(lookup: ServerLookup): ServerCommand | ServerMissing {
  if (lookup.setting.trim() !== '') return fromSetting(lookup);
  for (const folder of lookup.folders) {
    const bin = installedBin(folder);
    if (bin !== undefined) return withNode(bin, 'workspace', lookup);
  }
  const onPath = which('slotwire', lookup);
  if (onPath !== undefined) return { command: onPath, args: LSP_ARGS, shell: isCmd(onPath), from: 'PATH' };
  return {
    problem:
      'slotwire: the slotwire CLI was not found, so actions files get no diagnostics. Install it in the workspace ' +
      '(npm install --save-dev slotwire), put `slotwire` on PATH, or set slotwire.path to its bin/slotwire or dist/cli/bin.js.',
  };
}

function fromSetting(lookup: ServerLookup): ServerCommand | ServerMissing {
  const raw = lookup.setting.trim();
  const expanded = raw === '~' || raw.startsWith('~/') ? join(homedir(), raw.slice(1)) : raw;
  const file = isAbsolute(expanded) ? expanded : resolve(lookup.folders[0] ?? homedir(), expanded);
  if (!isFile(file)) return { problem: `slotwire: slotwire.path is set to "${raw}", but ${file} is not a file.` };
  if (SCRIPT.has(extname(file))) return withNode(file, 'setting', lookup);
  return { command: file, args: LSP_ARGS, shell: isCmd(file), from: 'setting' };
}

/**
 * A JavaScript entry point runs with the `node` on PATH, the one a terminal's `npx slotwire` would use
 * (the editor's own runtime may be an older Node than slotwire needs). On Windows this also avoids
 * npm's `.cmd` shims, which need a shell.
 */
function withNode(script: string, from: ServerCommand['from'], lookup: ServerLookup): ServerCommand | ServerMissing {
  const node = which('node', lookup);
  if (node === undefined)
    return { problem: `slotwire: found ${script}, but no \`node\` on the PATH the editor runs with.` };
  return { command: node, args: [script, ...LSP_ARGS], shell: false, from };
}

/** slotwire's CLI entry point as installed for `folder`, looking up through its parents as Node's resolution does. */
function installedBin(folder: string): string | undefined {
  for (let dir = folder; ; dir = dirname(dir)) {
    const bin = binOf(join(dir, 'node_modules', 'slotwire')) ?? binOf(dir, true);
    if (bin !== undefined) return bin;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The `slotwire` bin of the package in `dir`; with `self`, only when that package is slotwire itself. */
function binOf(dir: string, self = false): string | undefined {
  const manifest = join(dir, 'package.json');
  if (!isFile(manifest)) return undefined;
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof pkg !== 'object' || pkg === null) return undefined;
  const { name, bin } = pkg as { name?: unknown; bin?: unknown };
  if (self && name !== 'slotwire') return undefined;
  const rel =
    typeof bin === 'string'
      ? bin
      : typeof bin === 'object' && bin !== null
        ? (bin as { slotwire?: unknown }).slotwire
        : undefined;
  if (typeof rel !== 'string') return undefined;
  const file = join(dir, rel);
  return isFile(file) ? file : undefined;
}

/** The first `name` on PATH that is a file (on Windows, with one of PATHEXT's extensions). */
function which(name: string, lookup: ServerLookup): string | undefined {
  const path = lookup.env.PATH ?? lookup.env.Path ?? '';
  const exts = lookup.windows ? (lookup.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean) : [''];
  const sep = lookup.windows ? ';' : ':';
  for (const dir of path.split(sep).filter(Boolean)) {
    for (const ext of exts) {
      const file = join(dir, name + ext.toLowerCase());
      if (isFile(file)) return file;
    }
  }
  return undefined;
}

const isCmd = (file: string): boolean => /\.(cmd|bat)$/i.test(file);

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
