/**
 * How the project's Rasa calls its action server: the scheme of
 * `action_endpoint.url` in endpoints.yml (`grpc://` for gRPC, docs/grpc.md;
 * otherwise HTTP, docs/protocol.md#one-url). Only
 * validate's note about `progress:` needs it: messages that
 * cannot be streamed are worth a warning only where the project says HTTP.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { diagnostic, locate, positionOfNode } from '../config/index.js';
import type { Diagnostic, SlotwireActionsYml, SourceFile } from '../config/index.js';

/** The transport of an action endpoint. */
export type ActionTransport = 'http' | 'grpc';

/**
 * The transport endpoints.yml names; null when there is none, the file has
 * no `action_endpoint` (e.g. `actions_module:`) or its URL is not literal
 * (`${ACTION_SERVER_URL}`), so nothing is assumed.
 */
export function actionTransportOf(endpointsYml: string): ActionTransport | null {
  let doc: unknown;
  try {
    doc = parse(endpointsYml);
  } catch {
    return null;
  }
  const url = (doc as { action_endpoint?: { url?: unknown } } | null)?.action_endpoint?.url;
  if (typeof url !== 'string') return null;
  if (/^grpc:\/\//i.test(url)) return 'grpc';
  // Rasa takes http(s):// and a URL without a scheme as HTTP.
  return url.includes('${') ? null : 'http';
}

/** The transport of `dir/endpoints.yml`; null when it cannot be told. */
export async function readActionTransport(dir: string): Promise<ActionTransport | null> {
  for (const name of ['endpoints.yml', 'endpoints.yaml']) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => null);
    if (text !== null) return actionTransportOf(text);
  }
  return null;
}

/** A warning at each `progress:` of a file served to Rasa over HTTP, where it cannot be streamed. */
export function unstreamedProgress(config: SlotwireActionsYml, source: SourceFile): Diagnostic[] {
  return Object.entries(config.actions)
    .filter(([, action]) => action.progress !== undefined)
    .map(([name]) => {
      const found = locate(source, ['actions', name, 'progress']);
      return diagnostic('SW_WARN_PROGRESS_NOT_STREAMED', positionOfNode(source, found.key ?? found.node), [name]);
    });
}
