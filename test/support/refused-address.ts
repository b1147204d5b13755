/**
 * An address where connections are refused, for tests of what a client does
 * when nothing listens (a down upstream, a down collector).
 *
 * A port bound and released a moment ago is no such address: another
 * process may bind it in between. So the port is held instead: a server
 * listens on 127.0.0.1:P, and the address handed out is 127.0.0.2:P, where
 * nothing listens. While the server holds P, no wildcard bind (0.0.0.0,
 * ::) and no port-0 bind on 127.0.0.1 can take it; Linux routes all of
 * 127.0.0.0/8 to loopback, and a connect to 127.0.0.2:P is refused.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A held address that refuses connections. */
export interface RefusedAddress {
  /** '127.0.0.2' */
  readonly host: string;
  readonly port: number;
  /** e.g. http://127.0.0.2:41234 */
  readonly origin: string;
  /** Releases the port. */
  close(): Promise<void>;
}

/** Holds a loopback port and answers the address on it that refuses connections. */
export async function holdRefusedAddress(): Promise<RefusedAddress> {
  const holder = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    holder.once('error', reject);
    holder.listen(0, '127.0.0.1', resolve);
  });
  const { port } = holder.address() as AddressInfo;
  const host = '127.0.0.2';
  return {
    host,
    port,
    origin: `http://${host}:${port}`,
    close: () => new Promise((resolve) => holder.close(() => resolve())),
  };
}
