// Builds the VS Code extension (editors/vscode, docs/editors.md) into
// editors/vscode/slotwire-<version>.vsix: its TypeScript bundled by esbuild,
// with vscode-languageclient inside, into one CommonJS file, dist/extension.js,
// so the package carries no node_modules; then `vsce package` zips it with the
// manifest, the language configuration, the grammar, README and LICENSE.
// Prints the .vsix's path as its last line. `npm run editor:vsix`.
import { spawnSync } from 'node:child_process';
import { copyFile, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const extension = fileURLToPath(new URL('../editors/vscode/', import.meta.url));
const { version } = JSON.parse(await readFile(`${extension}package.json`, 'utf8'));
const vsix = `${extension}slotwire-${version}.vsix`;

await rm(`${extension}dist`, { recursive: true, force: true });
await build({
  entryPoints: [`${extension}src/extension.ts`],
  outfile: `${extension}dist/extension.js`,
  bundle: true,
  // VS Code loads an extension's main with require(); `vscode` is the host's own module.
  format: 'cjs',
  platform: 'node',
  external: ['vscode'],
  // The extension host of VS Code 1.82, the oldest engines.vscode allows, runs Node 18.
  target: 'node18',
  minify: true,
  tsconfig: `${extension}tsconfig.json`,
  logLevel: 'warning',
});
// The repository's licence is the extension's; vsce refuses to pack without one beside the manifest.
await copyFile(fileURLToPath(new URL('../LICENSE', import.meta.url)), `${extension}LICENSE`);

const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
// --no-dependencies: everything the extension needs is in the bundle. The manifest names no
// repository (the README has no relative links for vsce to rewrite), so it is allowed to be missing.
const packed = spawnSync(
  process.execPath,
  [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix],
  { cwd: extension, stdio: ['ignore', 'inherit', 'inherit'] },
);
if (packed.status !== 0) process.exit(packed.status ?? 1);
console.log(vsix);
