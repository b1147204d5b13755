// The loopback orders API both smoke tests call (engine-smoke.mjs through
// createEngine, serve-smoke.mjs through the installed binary), and the
// actions file's connection to it, read from ${ORDERS_URL}.
import { createServer } from 'node:http';

/** The `connections:` part of an actions file, and the mapping of `check_order`. */
export const ORDERS_CONNECTION = `version: 1
connections:
  orders:
    base_url: \${ORDERS_URL}
actions:
`;

/** Starts the API: GET /orders/007 is shipped, every other order unknown (404). */
export async function startOrdersApi() {
  const server = createServer((req, res) => {
    const found = req.url === '/orders/007';
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(found ? { status: 'shipped' } : { error: 'unknown order' }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}
