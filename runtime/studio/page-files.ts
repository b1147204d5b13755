/**
 * The page's files, bundled at build time (scripts/build-page.mjs) into
 * dist/studio/page/ beside this module: read once, served with a policy
 * that allows nothing but the page's own files (no inline script, no
 * other origin; images only, as a bot message may show one), and never
 * cached (they sit behind the token).
 */
import { readFile } from 'node:fs/promises';

const TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'main.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

const HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src * data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const loaded = new Map<string, Promise<Buffer | null>>();

/** One of the page's files as a response; 503 when the page was not built (a source checkout before `npm run build`). */
export async function staticPage(file: string): Promise<Response> {
  if (!loaded.has(file))
    loaded.set(
      file,
      // From the studio's folder, so the executable's bundle (dist/cli/) finds it too.
      readFile(new URL(`../studio/page/${file}`, import.meta.url)).catch(() => null),
    );
  const content = await loaded.get(file);
  if (!content) return Response.json({ error: 'the page is not built: run npm run build' }, { status: 503 });
  return new Response(new Uint8Array(content), {
    headers: { 'content-type': TYPES[file] ?? 'application/octet-stream', ...HEADERS },
  });
}
