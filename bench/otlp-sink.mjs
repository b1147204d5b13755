// A loopback OTLP/HTTP trace sink for the benchmarks (scenario 7 of
// bench/run.mjs): accepts POST /v1/traces, protobuf or JSON, answers 200 with
// an empty ExportTraceServiceResponse, and counts what it got. No think time,
// nothing stored.
//   node bench/otlp-sink.mjs PORT      (prints "listening PORT" when ready)
//   GET /stats → {"batches":…,"spans":…,"bytes":…,"failed":…}
// A batch is one export request; spans are counted from the request's
// resourceSpans[].scopeSpans[].spans without decoding the spans themselves.
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

const stats = { batches: 0, spans: 0, bytes: 0, failed: 0 };

/** The fields of one protobuf message: [field number, bytes] for length-delimited ones (the only kind counted here). */
function* fields(buf) {
  let i = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const b = buf[i++];
      if (b === undefined) throw new Error('truncated varint');
      value += (b & 0x7f) * shift;
      if (b < 0x80) return value;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const wire = key % 8;
    if (wire === 2) {
      const len = varint();
      yield [Math.floor(key / 8), buf.subarray(i, i + len)];
      i += len;
    } else if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`protobuf wire type ${wire} not expected here`);
  }
}

/** Spans in an ExportTraceServiceRequest: resource_spans = 1 → scope_spans = 2 → spans = 2. */
function countProtobuf(buf) {
  let n = 0;
  for (const [f1, resourceSpans] of fields(buf)) {
    if (f1 !== 1) continue;
    for (const [f2, scopeSpans] of fields(resourceSpans)) {
      if (f2 !== 2) continue;
      for (const [f3] of fields(scopeSpans)) if (f3 === 2) n++;
    }
  }
  return n;
}

function countJson(buf) {
  const body = JSON.parse(buf.toString('utf8'));
  let n = 0;
  for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += (ss.spans ?? []).length;
  return n;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(stats));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      req.resume();
      res.writeHead(404).end();
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const json = (req.headers['content-type'] ?? '').startsWith('application/json');
      stats.batches++;
      stats.bytes += raw.length;
      try {
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        stats.spans += json ? countJson(body) : countProtobuf(body);
      } catch {
        stats.failed++;
      }
      // An empty ExportTraceServiceResponse: no bytes in protobuf, {} in JSON.
      const answer = json ? '{}' : '';
      res.writeHead(200, {
        'content-type': json ? 'application/json' : 'application/x-protobuf',
        'content-length': String(Buffer.byteLength(answer)),
      });
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
  process.on('SIGTERM', () => process.exit(0));
}
