// Library smoke test (docs/engine.md): run from a scratch project that installed
// the packed package, the way a user's script would use it.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from 'slotwire';
import { ORDERS_CONNECTION, startOrdersApi } from './orders-api.mjs';

const { server: upstream, origin } = await startOrdersApi();

const dir = mkdtempSync(join(tmpdir(), 'slotwire-smoke-'));
const file = join(dir, 'actions.yml');
writeFileSync(
  file,
  `${ORDERS_CONNECTION}  greet:
    slots: { greeting: "Hello {{ slots.name }}" }
  check_order:
    request: { connection: orders, path: "/orders/{{ slots.order_id }}" }
    slots: { order_status: "{{ response.body.status }}" }
    on_error:
      slots: { order_status: "{{ error.reason }}" }
`,
);

const engine = await createEngine({ actionsFile: file, env: { ORDERS_URL: origin } });
try {
  const greet = await engine.run('greet', { slots: { name: 'Ada' } });
  assert.deepEqual(greet.events, [{ event: 'slot', timestamp: null, name: 'greeting', value: 'Hello Ada' }]);
  assert.deepEqual(greet.outcome, { status: 'ok' });

  const found = await engine.run('check_order', { slots: { order_id: '007' } });
  assert.deepEqual(found.events[0]?.value, 'shipped');
  assert.deepEqual(found.outcome, { status: 'ok' });

  const missing = await engine.run('check_order', { slots: { order_id: '8' } });
  assert.equal(missing.outcome.status, 'error');
  assert.equal(missing.outcome.error.reason, 'not_found');
  assert.deepEqual(
    engine.actions().map((a) => a.name),
    ['greet', 'check_order'],
  );
  console.log('engine smoke: ok (computed action, request action, error outcome)');
} finally {
  await engine.close();
  upstream.close();
}
