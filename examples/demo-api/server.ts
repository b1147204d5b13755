/**
 * Runs the demo API on its own: `npx tsx examples/demo-api/server.ts`.
 * Port and address from DEMO_API_PORT (default 5056) and DEMO_API_HOST
 * (default 127.0.0.1: loopback only, it is a demo with well-known secrets).
 */
import { closeOnSignals, listen } from '../../runtime/index.js';
import { createDemoApi } from './app.js';

const port = Number(process.env['DEMO_API_PORT'] ?? 5056);
const hostname = process.env['DEMO_API_HOST'] ?? '127.0.0.1';
const handle = await listen(createDemoApi(), { port, hostname, gracePeriodMs: 2000 });
process.stdout.write(`demo API on ${handle.url} (GET ${handle.url}/ lists the endpoints)\n`);
closeOnSignals(handle, {
  onClosed: (err) => {
    process.exitCode = err ? 1 : 0;
  },
});
