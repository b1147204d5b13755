// The upstream API of the benchmarks: a loopback node:http server answering
// every call with the same ~2 KB JSON document (and POST /token with an
// OAuth2 token), keep-alive, no think time.
//   node bench/upstream.mjs PORT      (prints "listening PORT" when ready)
import { createServer } from 'node:http';

/** The fixed document: an order with a customer, shipping and 14 items (≈2 KB). */
export function upstreamDocument() {
  return {
    id: 'A-10042',
    status: 'shipped',
    total: 129.9,
    currency: 'EUR',
    placed_at: '2026-11-02T09:14:55Z',
    customer: { id: 'c-77', name: 'Anna Schmidt', email: 'anna@example.com', tier: 'gold' },
    shipping: {
      carrier: 'DHL',
      tracking: 'JJD000390007001234567',
      eta: '2026-11-05',
      address: { street: 'Hauptstraße 12', city: 'Berlin', zip: '10115', country: 'DE' },
    },
    items: Array.from({ length: 14 }, (_, i) => ({
      sku: `SKU-${1000 + i}`,
      name: `Item number ${i} with a longer descriptive name`,
      quantity: 1 + (i % 3),
      price: 4.5 + i,
      status: i % 4 === 0 ? 'open' : 'closed',
    })),
    notes: 'Leave the parcel with the neighbour if nobody is at home.',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const body = Buffer.from(JSON.stringify(upstreamDocument()));
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  const token = Buffer.from(JSON.stringify({ access_token: 'bench-token', token_type: 'Bearer', expires_in: 3600 }));
  const server = createServer((req, res) => {
    // Drain any request body, then answer; no think time.
    req.resume();
    // Scenario 8's OAuth2 connection fetches its token here.
    const answer = req.url === '/token' ? token : body;
    res.writeHead(200, answer === body ? headers : { ...headers, 'content-length': String(token.length) });
    res.end(answer);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
  process.on('SIGTERM', () => process.exit(0));
}
