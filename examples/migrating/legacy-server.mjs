#!/usr/bin/env node
// A stand-in for a team's existing Python action server (rasa-sdk 3.x), for
// the migration guide (docs/migrating.md) and the tests that put slotwire in
// front of one. Plain node:http, no dependencies. It answers as rasa-sdk's
// endpoint and executor do (docs/protocol.md#errors):
//
//   POST /webhook  200 {events, responses}; 200 null without next_action;
//                  404 {error, action_name} for an unknown action;
//                  449 {error, action_name} when the domain is needed and missing;
//                  400 {error, action_name} when an action rejects the call;
//                  500 {error, request_body} when an action crashes;
//                  400 {"error": "Invalid body request"} for an empty body
//   GET /actions   [{name}, …] in registration order
//   GET /health    {"status": "ok"}
//
// Usage: node examples/migrating/legacy-server.mjs [port]   (or LEGACY_PORT; 0 picks a free port)
// LEGACY_HOST (127.0.0.1); RESTAURANT_API_URL and RESTAURANT_API_TOKEN for
// check_restaurant_availability, as the restaurant example reads them.
import { createServer } from 'node:http';
import { inflateSync } from 'node:zlib';

const API_URL = process.env.RESTAURANT_API_URL || 'http://127.0.0.1:5056';
const API_TOKEN = process.env.RESTAURANT_API_TOKEN || 'demo-token';

/** rasa-sdk's CollectingDispatcher.utter_message: every message has these eight keys. */
function message(fields) {
  const response = fields.response ?? null;
  return {
    text: null,
    buttons: [],
    elements: [],
    custom: {},
    template: response,
    response,
    image: null,
    attachment: null,
    ...fields,
  };
}

/** rasa-sdk's SlotSet event. */
function slotSet(name, value) {
  return { event: 'slot', timestamp: null, name, value };
}

/** Raised by an action to refuse the call, as rasa-sdk's ActionExecutionRejection. */
class Rejection extends Error {}

/** The registered actions, in registration order; each returns {events, responses}. */
const actions = {
  async action_greet(tracker) {
    const name = tracker.slots?.guest_name;
    return { events: [], responses: [message({ text: `Hello${name ? `, ${name}` : ''}! How can I help?` })] };
  },

  // The action the migration guide moves to slotwire: the same call and the same slots.
  async check_restaurant_availability(tracker) {
    const slots = tracker.slots ?? {};
    const url = new URL(`/restaurants/${encodeURIComponent(slots.restaurant_id)}/availability`, API_URL);
    url.searchParams.set('party', String(slots.party_size));
    url.searchParams.set('time', String(slots.booking_time));
    let status = 'ok';
    let body;
    try {
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${API_TOKEN}`, accept: 'application/json' },
        signal: AbortSignal.timeout(2000),
      });
      body = await res.json();
      if (!res.ok) status = body?.error ?? `http_${res.status}`;
    } catch {
      status = 'network';
    }
    if (status !== 'ok') {
      return {
        events: [
          slotSet('has_availability', false),
          slotSet('available_times', []),
          slotSet('has_alternatives', false),
          slotSet('lookup_status', status),
        ],
        responses: [],
      };
    }
    const times = Array.isArray(body.times) ? body.times : [];
    return {
      events: [
        slotSet('has_availability', body.available === true),
        slotSet(
          'available_times',
          times.map((t) => t.time),
        ),
        slotSet('has_alternatives', times.length > 0),
        slotSet('lookup_status', 'ok'),
      ],
      responses: [],
    };
  },

  // Changes data: a POST in its slotwire version, so it cannot be shadowed.
  async book_table(tracker) {
    const slots = tracker.slots ?? {};
    return {
      events: [slotSet('booking_reference', `BK-${slots.restaurant_id ?? 'x'}-${slots.party_size ?? 0}`)],
      responses: [message({ response: 'utter_booking_confirmed' })],
    };
  },

  async action_cancel_booking(tracker) {
    if (!tracker.slots?.booking_reference) throw new Rejection('There is no booking to cancel.');
    return { events: [slotSet('booking_reference', null)], responses: [message({ response: 'utter_cancelled' })] };
  },

  async action_broken() {
    throw new Error("'NoneType' object has no attribute 'get'");
  },
};

/** rasa-sdk keeps one domain, with the digest it came with. */
let cachedDomain = null;
let cachedDigest = null;

/** rasa-sdk's ActionExecutor.run plus the /webhook handler around it: [status, body]. */
async function runCall(call) {
  const name = call.next_action;
  if (!name) return [200, null];
  const action = actions[name];
  if (!action) return [404, { error: `No registered action found for name '${name}'.`, action_name: name }];
  if (!('tracker' in call)) return [500, { error: "'tracker'", request_body: call }];
  const digestValid = Boolean(cachedDigest) && cachedDigest === call.domain_digest;
  if (!digestValid && (call.domain === undefined || call.domain === null)) {
    const error =
      'Missing domain context, assistant will retry the request and include the domain in the request payload. ' +
      'For more information please see https://rasa.com/docs/action-server/';
    return [449, { error, action_name: name }];
  }
  if (call.domain) {
    cachedDomain = call.domain;
    cachedDigest = call.domain_digest ?? null;
  }
  try {
    const { events, responses } = await action(call.tracker ?? {}, cachedDomain);
    return [200, { events: events.filter((e) => e && typeof e === 'object' && e.event), responses }];
  } catch (err) {
    if (err instanceof Rejection) return [400, { error: err.message, action_name: name }];
    return [500, { error: String(err.message), request_body: call }];
  }
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Parses the call as rasa-sdk does: deflate when asked, then JSON. */
function parseCall(req, raw) {
  const bytes = req.headers['content-encoding'] === 'deflate' ? inflateSync(raw) : raw;
  if (bytes.length === 0) return null;
  return JSON.parse(bytes.toString('utf8'));
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (req.method === 'GET' && path === '/health') return send(res, 200, { status: 'ok' });
  if (req.method === 'GET' && path === '/actions')
    return send(
      res,
      200,
      Object.keys(actions).map((name) => ({ name })),
    );
  if (req.method !== 'POST' || path !== '/webhook') return send(res, 404, { error: 'Not Found' });
  readBody(req).then(
    async (raw) => {
      let call;
      try {
        call = parseCall(req, raw);
      } catch {
        // Sanic's own error body: rasa-sdk's handler never sees the call.
        return send(res, 400, { description: 'Bad Request', status: 400, message: 'Failed when parsing body as json' });
      }
      if (call === null || typeof call !== 'object') return send(res, 400, { error: 'Invalid body request' });
      const [status, body] = await runCall(call);
      send(res, status, body);
    },
    () => res.destroy(),
  );
});

const port = Number(process.argv[2] ?? process.env.LEGACY_PORT ?? 5055);
const host = process.env.LEGACY_HOST || '127.0.0.1';
server.listen(port, host, () => {
  const address = server.address();
  console.log(`legacy action server on http://${host}:${address.port}/webhook`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
