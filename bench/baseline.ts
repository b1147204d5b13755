/**
 * The hand-written baseline: the two bench actions written
 * directly against Hono + @hono/node-server + an undici Pool, the way a
 * careful developer would write them without slotwire. It is the floor for
 * this stack, so it does only what the action needs: parse the body, call
 * the upstream over keep-alive, map three fields, answer rasa-sdk's shape.
 *   node --import tsx bench/baseline.ts PORT UPSTREAM_URL
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Pool } from 'undici';

const port = Number(process.argv[2] ?? 5057);
const upstream = process.argv[3] ?? 'http://127.0.0.1:5056';

// One keep-alive pool for the upstream origin, sized like slotwire's default
// (max_connections 64); coarse timeouts as a production server would set.
const pool = new Pool(upstream, { connections: 64, headersTimeout: 5_000, bodyTimeout: 5_000 });

type Slots = Record<string, unknown>;
interface Order {
  status: string;
  total: number;
  shipping: { carrier: string };
  customer: { id: string; name: string };
  items: { status: string }[];
}

async function getJson(path: string): Promise<Order> {
  const { statusCode, body } = await pool.request({ method: 'GET', path, headers: { accept: 'application/json' } });
  if (statusCode !== 200) {
    await body.dump();
    throw new Error(`upstream answered ${statusCode}`);
  }
  return (await body.json()) as Order;
}

const slot = (name: string, value: unknown) => ({ event: 'slot', timestamp: null, name, value });
// rasa-sdk's CollectingDispatcher.utter_message: the eight keys, always.
const text = (t: string) => ({
  text: t,
  buttons: [],
  elements: [],
  custom: {},
  template: null,
  response: null,
  image: null,
  attachment: null,
});

async function orderStatus(slots: Slots) {
  const order = await getJson(
    `/orders/${encodeURIComponent(String(slots.order_id))}?lang=${encodeURIComponent(String(slots.language))}`,
  );
  return {
    events: [
      slot('order_status', order.status),
      slot('order_carrier', order.shipping.carrier),
      slot('order_total', order.total),
    ],
    responses: [text(`Your order is ${order.status}.`)],
  };
}

async function customerOverview(slots: Slots) {
  const customer = await getJson(`/customers?email=${encodeURIComponent(String(slots.email))}`);
  const id = encodeURIComponent(customer.customer.id);
  const [orders, tickets] = await Promise.all([
    getJson(`/customers/${id}/orders`),
    getJson(`/customers/${id}/tickets`),
  ]);
  return {
    events: [
      slot('customer_name', customer.customer.name),
      slot('order_status', orders.status),
      slot('open_tickets', tickets.items.filter((t) => t.status === 'open').length),
    ],
    responses: [text(`Hello ${customer.customer.name}, your order is ${orders.status}.`)],
  };
}

const app = new Hono();
app.get('/health', (c) => c.json({ status: 'ok' }));
app.post('/webhook', async (c) => {
  const call = await c.req.json<{ next_action?: string; tracker?: { slots?: Slots } }>();
  const slots = call.tracker?.slots ?? {};
  try {
    if (call.next_action === 'action_order_status') return c.json(await orderStatus(slots));
    if (call.next_action === 'action_customer_overview') return c.json(await customerOverview(slots));
    return c.json({ error: `Custom action '${call.next_action}' not found.`, action_name: call.next_action }, 404);
  } catch {
    // An upstream failure still answers Rasa with a well-formed, empty result.
    return c.json({ events: [], responses: [] });
  }
});

serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => console.log(`listening ${info.port}`));
process.on('SIGTERM', () => process.exit(0));
