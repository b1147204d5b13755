// The editor set-ups of docs/editors.md work as written: the Helix languages.toml parses and claims
// the files the VS Code extension claims, with the server command the page gives every editor; the
// Neovim Lua runs under LuaJIT (Neovim's Lua) against a stand-in for the parts of Neovim's API it
// calls, which detects filetypes by Neovim's rules (exact file name first, then patterns anchored at
// both ends, matched against the file name when they hold no slash, all before the extension).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { needs, requireProgram } from '../support/services.js';

const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/editors.md'), 'utf8');
const extension = JSON.parse(readFileSync(join(root, 'editors/vscode/package.json'), 'utf8')) as {
  contributes: { languages: { filenames: string[]; filenamePatterns: string[] }[] };
};
const [language] = extension.contributes.languages;
/** The four kinds of file the page lists, as the VS Code extension claims them. */
const claimed = [...language.filenames, ...language.filenamePatterns];

/** The page's fenced blocks in `lang`, in order. */
function blocks(lang: string): string[] {
  return [...doc.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]);
}

const ours = ['actions.yml', 'actions.test.yml', 'weather.actions.yml', 'weather.actions.test.yml'];
const others = ['domain.yml', 'endpoints.yml', 'actions.yaml', 'my-actions.yml', 'config.yml'];

describe('the Helix set-up', () => {
  const [toml] = blocks('toml');
  const config = parse(toml) as {
    'language-server': Record<string, { command: string; args: string[] }>;
    language: { name: string; grammar: string; 'file-types': { glob: string }[]; 'language-servers': string[] }[];
  };

  it('parses, and starts `slotwire lsp` for a language on the YAML grammar', () => {
    const server = config['language-server'].slotwire;
    expect([server.command, ...server.args]).toEqual(['npx', '--no', 'slotwire', 'lsp']);
    const [slotwire] = config.language;
    expect(slotwire).toMatchObject({ name: 'slotwire', grammar: 'yaml', 'language-servers': ['slotwire'] });
  });

  it('claims the files the VS Code extension claims, and only those', () => {
    const globs = config.language[0]['file-types'].map((t) => t.glob);
    expect(globs.toSorted()).toEqual(claimed.toSorted());
    // Helix puts `*/` before a glob that is not absolute, and its `*` crosses folders.
    const matches = (path: string): boolean =>
      globs.some((g) => new RegExp(`^${`*/${g}`.split('*').map(escape).join('.*')}$`).test(path));
    expect(ours.filter((name) => matches(`/home/me/bot/${name}`))).toEqual(ours);
    expect(others.filter((name) => matches(`/home/me/bot/${name}`))).toEqual([]);
  });
});

needs('luajit').describe('the Neovim set-up', () => {
  const [setup, lspconfig] = blocks('lua');

  it('gives the files the filetype the server is configured for, and enables it', () => {
    const out = runLua(setup, ours.concat(others));
    expect(out.get('enabled')).toEqual(['slotwire']);
    expect(out.get('cmd')).toEqual(['npx', '--no', 'slotwire', 'lsp']);
    expect(out.get('filetypes')).toEqual(['yaml.slotwire']);
    expect(out.get('treesitter yaml.slotwire')).toEqual(['yaml']);
    for (const name of ours) expect(out.get(`ft ${name}`), name).toEqual(['yaml.slotwire']);
    for (const name of others) expect(out.get(`ft ${name}`), name).toEqual(['none']);
  });

  it('registers the same server with nvim-lspconfig', () => {
    const out = runLua(lspconfig, []);
    expect(out.get('setup')).toEqual(['slotwire']);
    expect(out.get('cmd')).toEqual(['npx', '--no', 'slotwire', 'lsp']);
    expect(out.get('filetypes')).toEqual(['yaml.slotwire']);
    expect(out.get('root')).toEqual(['package.json', '.git']);
  });
});

function escape(literal: string): string {
  return literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** What a stand-in Neovim saw when `snippet` ran: `key → words`, one line of the harness's output each. */
function runLua(snippet: string, names: string[]): Map<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'slotwire-nvim-'));
  writeFileSync(join(dir, 'snippet.lua'), snippet);
  writeFileSync(join(dir, 'harness.lua'), HARNESS);
  const run = spawnSync(requireProgram('luajit'), [join(dir, 'harness.lua'), join(dir, 'snippet.lua'), ...names], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const out = new Map<string, string[]>();
  for (const line of run.stdout.split('\n').filter(Boolean)) {
    const [key, values = ''] = line.split('\t');
    out.set(key, values === '' ? [] : values.split(' '));
  }
  return out;
}

const HARNESS = String.raw`
local seen = { filename = {}, pattern = {}, configs = {}, enabled = {}, treesitter = {}, lspconfig = {}, setup = {} }
vim = {
  filetype = {
    add = function(spec)
      for k, v in pairs(spec.filename or {}) do seen.filename[k] = v end
      for k, v in pairs(spec.pattern or {}) do seen.pattern[k] = v end
    end,
  },
  treesitter = { language = { register = function(lang, ft) seen.treesitter[ft] = lang end } },
  lsp = {
    config = function(name, config) seen.configs[name] = config end,
    enable = function(name) table.insert(seen.enabled, name) end,
  },
}
package.preload['lspconfig.configs'] = function() return seen.lspconfig end
package.preload['lspconfig.util'] = function()
  return { root_pattern = function(...) return { markers = { ... } } end }
end
package.preload['lspconfig'] = function()
  return setmetatable({}, {
    __index = function(_, name) return { setup = function() table.insert(seen.setup, name) end } end,
  })
end

local snippet, names = arg[1], { select(2, unpack(arg)) }
dofile(snippet)

local function detect(name)
  if seen.filename[name] then return seen.filename[name] end
  for pattern, ft in pairs(seen.pattern) do
    if not pattern:find('/') and name:match('^' .. pattern .. '$') then return ft end
  end
  return 'none'
end
local function say(key, list) print(key .. '\t' .. table.concat(list, ' ')) end

for _, name in ipairs(names) do say('ft ' .. name, { detect(name) }) end
for ft, lang in pairs(seen.treesitter) do say('treesitter ' .. ft, { lang }) end
local config = seen.configs.slotwire or (seen.lspconfig.slotwire and seen.lspconfig.slotwire.default_config)
if config then
  say('cmd', config.cmd)
  say('filetypes', config.filetypes)
  if config.root_dir then say('root', config.root_dir.markers) end
end
say('enabled', seen.enabled)
say('setup', seen.setup)
`;
