/**
 * The demo API's slow endpoint (3 s) and failing endpoint (503), called
 * through slotwire: a timeout and an outage are outcomes the user hears
 * about in time, never a silent bot.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApi } from '../../examples/demo-api/app.js';
import { listen } from '../../runtime/index.js';
import type { ServerHandle } from '../../runtime/index.js';
import { serveActions } from './serve-example.js';
import type { Served } from './serve-example.js';

describe('the demo API outages, seen through slotwire', () => {
  let demo: ServerHandle;
  let app: Served;
  beforeAll(async () => {
    demo = await listen(createDemoApi(), { port: 0, hostname: '127.0.0.1', gracePeriodMs: 500 });
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-outages-'));
    const file = join(dir, 'actions.yml');
    await writeFile(
      file,
      [
        'version: 1',
        'connections:',
        '  demo: { base_url: "${DEMO_API_URL}", timeout: 300ms, deadline: 1s }',
        'actions:',
        '  call_slow:',
        '    request: { connection: demo, path: /slow }',
        '    slots: { outcome: ok }',
        '    on_error: { slots: { outcome: "{{ error.kind }}" } }',
        '  call_failing:',
        '    request: { connection: demo, path: /unavailable }',
        '    slots: { outcome: ok }',
        '    on_error: { slots: { outcome: "{{ error.reason }}", status: "{{ error.status }}" } }',
      ].join('\n'),
    );
    app = await serveActions(file, { env: { DEMO_API_URL: demo.url } });
  });
  afterAll(async () => {
    await app.close();
    await demo.close();
  });

  it('the slow endpoint (3 s) runs into the timeout and the user still hears back in time', async () => {
    const started = Date.now();
    const { slots } = await app.call('call_slow');
    expect(slots).toEqual({ outcome: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('the failing endpoint is the unavailable outcome', async () => {
    const { slots } = await app.call('call_failing');
    expect(slots).toEqual({ outcome: 'unavailable', status: 503 });
  });
});
