/**
 * TLS towards upstreams (docs/http.md#tls-and-pools: per connection, a CA
 * bundle and a client certificate and key for private PKI). The policy
 * carries PEM contents; this turns it into the options of undici's
 * connector (node:tls options).
 */
import type { ConnectionPolicy } from './types.js';

/** The subset of undici's connect options we set. */
export interface ConnectOptions {
  timeout: number;
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
}

/**
 * Connect options for a connection: the connect timeout, plus TLS material
 * when given. A CA bundle replaces Node's default roots for this connection
 * only, as node:tls does; other connections are unaffected.
 * @param policy - the connection
 */
export function connectOptions(policy: Pick<ConnectionPolicy, 'tls' | 'connectTimeoutMs'>): ConnectOptions {
  const options: ConnectOptions = { timeout: policy.connectTimeoutMs };
  const tls = policy.tls;
  if (tls == null) return options;
  if (tls.ca != null) options.ca = tls.ca;
  if (tls.cert != null) options.cert = tls.cert;
  if (tls.key != null) options.key = tls.key;
  if (tls.rejectUnauthorized != null) options.rejectUnauthorized = tls.rejectUnauthorized;
  return options;
}
