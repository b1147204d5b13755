/**
 * Secrets must enter through `${VAR}` in a connection
 * (docs/actions-yml.md#decisions): a token written into actions.yml ends
 * up in git, in logs of the file, in screenshots. This check reads the
 * source text, before resolution.
 */
import { isMap, isScalar } from 'yaml';
import { diagnostic } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { humanPath } from './schema.js';
import { locate, positionOfNode, rawText } from './source.js';
import type { SourceFile } from './source.js';

/** Auth fields that hold secrets, by auth type. */
const secretAuthFields: Readonly<Record<string, readonly string[]>> = {
  bearer: ['token'],
  basic: ['password'],
  api_key: ['value'],
  oauth2_client_credentials: ['client_secret'],
};

/** Header names whose values are credentials (compared lower-case). */
export const credentialHeaders: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
]);

/** Reports literal secrets in connections' auth and credential headers. */
export function checkLiteralSecrets(source: SourceFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const connections = locate(source, ['connections']).node;
  if (!isMap(connections)) return out;
  for (const pair of connections.items) {
    if (!isScalar(pair.key)) continue;
    const name = String(pair.key.value);
    const auth = locate(source, ['connections', name, 'auth']).node;
    const type = isMap(auth) ? auth.get('type') : undefined;
    for (const field of secretAuthFields[String(type)] ?? []) {
      report(source, ['connections', name, 'auth', field], out);
    }
    const headers = locate(source, ['connections', name, 'headers']).node;
    if (!isMap(headers)) continue;
    for (const header of headers.items) {
      if (isScalar(header.key) && credentialHeaders.has(String(header.key.value).toLowerCase())) {
        report(source, ['connections', name, 'headers', String(header.key.value)], out);
      }
    }
  }
  return out;
}

function report(source: SourceFile, path: readonly string[], out: Diagnostic[]): void {
  const node = locate(source, path).node;
  if (isScalar(node) && typeof node.value === 'string' && !rawText(source, node).includes('${')) {
    out.push(diagnostic('SW_SEC_LITERAL_SECRET', positionOfNode(source, node), [humanPath(path)]));
  }
}
