// Builds the authoring page (slotwire studio, docs/studio.md) into
// dist/studio/page/, where dist/studio/page-files.js serves it from: the
// page's TypeScript bundled by esbuild into one main.js, with index.html and
// style.css beside it. One file each, no CDN: the page must work offline.
// tsc does not compile the page (tsconfig.json excludes it); tsconfig.page.json type-checks it.
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const source = fileURLToPath(new URL('../runtime/studio/page/', import.meta.url));
const out = fileURLToPath(new URL('../dist/studio/page/', import.meta.url));

await mkdir(out, { recursive: true });
await build({
  entryPoints: [`${source}main.ts`],
  outfile: `${out}main.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // Browsers of the last few years; the page uses nothing newer.
  target: 'es2020',
  minify: true,
  tsconfig: fileURLToPath(new URL('../tsconfig.page.json', import.meta.url)),
  logLevel: 'warning',
});
await Promise.all(['index.html', 'style.css'].map((file) => copyFile(`${source}${file}`, `${out}${file}`)));
