// Which `slotwire lsp` the VS Code extension starts (docs/editors.md#vs-code): the setting, then
// slotwire installed for a workspace folder, then PATH; one message when there is none. Real
// folders and files on disk, as the extension sees them.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findServer, type ServerLookup } from '../../editors/vscode/src/find-server.js';

const root = join(import.meta.dirname, '../..');

/** A fresh folder with these files (path → content) in it; executable when the content starts with #!. */
function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'slotwire-find-server-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
    if (content.startsWith('#!')) chmodSync(join(dir, path), 0o755);
  }
  return dir;
}

const installed = {
  'node_modules/slotwire/package.json': JSON.stringify({ name: 'slotwire', bin: { slotwire: 'dist/cli/bin.js' } }),
  'node_modules/slotwire/dist/cli/bin.js': '#!/usr/bin/env node\n',
};

/** A PATH folder with `node` in it, and `slotwire` too when asked. */
function pathWith(...programs: string[]): string {
  return folder(Object.fromEntries(programs.map((p) => [p, '#!/bin/sh\n'])));
}

function lookup(over: Partial<ServerLookup>): ServerLookup {
  return { setting: '', folders: [], env: { PATH: pathWith('node') }, windows: false, ...over };
}

describe('the server the extension starts', () => {
  it('is slotwire installed in the workspace, run with the node on PATH', () => {
    const workspace = folder(installed);
    const bin = pathWith('node', 'slotwire');
    expect(findServer(lookup({ folders: [workspace], env: { PATH: bin } }))).toEqual({
      command: join(bin, 'node'),
      args: [join(workspace, 'node_modules/slotwire/dist/cli/bin.js'), 'lsp'],
      shell: false,
      from: 'workspace',
    });
  });

  it('is found above a workspace folder, as Node resolves packages', () => {
    const project = folder(installed);
    const nested = join(project, 'rasa/actions');
    mkdirSync(nested, { recursive: true });
    const found = findServer(lookup({ folders: [nested] }));
    expect(found).toMatchObject({ args: [join(project, 'node_modules/slotwire/dist/cli/bin.js'), 'lsp'] });
  });

  it("is this repository's own CLI when the workspace is slotwire itself", () => {
    expect(findServer(lookup({ folders: [root] }))).toMatchObject({
      args: [join(root, 'dist/cli/bin.js'), 'lsp'],
      from: 'workspace',
    });
  });

  it('is not another package that happens to have a bin', () => {
    const other = folder({
      'package.json': JSON.stringify({ name: 'my-bot', bin: 'cli.js' }),
      'cli.js': '#!/usr/bin/env node\n',
    });
    expect(findServer(lookup({ folders: [other] }))).toHaveProperty('problem');
  });

  it('is slotwire on PATH when the workspace has none', () => {
    const bin = pathWith('node', 'slotwire');
    expect(findServer(lookup({ folders: [folder()], env: { PATH: `/nowhere:${bin}` } }))).toEqual({
      command: join(bin, 'slotwire'),
      args: ['lsp'],
      shell: false,
      from: 'PATH',
    });
  });

  it("is npm's .cmd shim on Windows, through a shell", () => {
    const bin = folder({ 'slotwire.cmd': '@echo off\n' });
    expect(findServer(lookup({ env: { PATH: bin, PATHEXT: '.EXE;.CMD' }, windows: true }))).toMatchObject({
      command: join(bin, 'slotwire.cmd'),
      shell: true,
    });
  });

  it('is the setting before anything else: an executable, or a .js file run with node', () => {
    const workspace = folder({ ...installed, 'tools/slotwire': '#!/bin/sh\n', 'checkout/dist/cli/bin.js': '' });
    const bin = pathWith('node', 'slotwire');
    const env = { PATH: bin };
    expect(findServer(lookup({ setting: join(workspace, 'tools/slotwire'), folders: [workspace], env }))).toEqual({
      command: join(workspace, 'tools/slotwire'),
      args: ['lsp'],
      shell: false,
      from: 'setting',
    });
    // Relative to the first workspace folder.
    expect(findServer(lookup({ setting: 'checkout/dist/cli/bin.js', folders: [workspace], env }))).toEqual({
      command: join(bin, 'node'),
      args: [join(workspace, 'checkout/dist/cli/bin.js'), 'lsp'],
      shell: false,
      from: 'setting',
    });
  });

  it('reports a setting that names no file instead of starting another slotwire', () => {
    const workspace = folder(installed);
    const found = findServer(lookup({ setting: 'no/such/slotwire', folders: [workspace] }));
    expect(found).toHaveProperty('problem');
    expect((found as { problem: string }).problem).toContain(join(workspace, 'no/such/slotwire'));
  });

  it('reports a missing node rather than failing to spawn it', () => {
    const found = findServer(lookup({ folders: [folder(installed)], env: { PATH: pathWith() } }));
    expect((found as { problem: string }).problem).toContain('`node`');
  });

  it('is nothing, with one message naming the three ways to fix it, when slotwire is nowhere', () => {
    const found = findServer(lookup({ folders: [folder()] }));
    expect(Object.keys(found)).toEqual(['problem']);
    const { problem } = found as { problem: string };
    for (const way of ['npm install --save-dev slotwire', 'PATH', 'slotwire.path']) expect(problem).toContain(way);
  });
});
