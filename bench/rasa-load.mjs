// A load generator shaped like Rasa's HTTP client: Rasa opens a new aiohttp
// session, so a new TCP connection, for every custom-action call
// (docs/protocol.md#one-url), sends aiohttp's default headers, reads the
// answer and closes the session, which closes the socket from the client's
// side. aiohttp sends no `Connection: close` (the connection is closed, not
// announced), so the server answers keep-alive and sees the client hang up.
// Raw sockets keep the generator's own CPU per call small: it shares the
// machine's cores with the server it measures.
//   node bench/rasa-load.mjs '<json options>'   → one JSON line on stdout
// Options: url, path, bodyFile|body, connections (calls in flight), durationMs,
//   warmupMs, rate (total calls/s, open loop; omitted = closed loop);
//   or a number of calls instead of a time (closed loop): warmupCalls, calls.
//   The output has load.mjs's fields.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { printLoadSummary } from './load-summary.mjs';
import { drive } from './loops.mjs';

const o = JSON.parse(process.argv[2]);
const url = new URL(o.url);
const body = o.bodyFile ? readFileSync(o.bodyFile) : Buffer.from(o.body ?? '{}');
// aiohttp 3.x's request: Host, then its defaults, then the body's headers.
const head = Buffer.from(
  `POST ${o.path ?? '/webhook'} HTTP/1.1\r\n` +
    `Host: ${url.host}\r\n` +
    'Accept: */*\r\n' +
    'Accept-Encoding: gzip, deflate\r\n' +
    'User-Agent: Python/3.10 aiohttp/3.9.5\r\n' +
    `Content-Length: ${body.length}\r\n` +
    'Content-Type: application/json\r\n\r\n',
);
const request = Buffer.concat([head, body]);

let recording = false;
let completed = 0; // every answer, warm-up included (for server CPU per request)
const latencies = [];
let errors = 0;
let non2xx = 0;
let firstError = null;

/** The status once a whole answer (headers, then Content-Length bytes or a chunked body) has arrived, else null. */
function answered(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const headers = buf.toString('latin1', 0, end);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(headers);
  const complete = length
    ? buf.length >= end + 4 + Number(length[1])
    : buf.toString('latin1', buf.length - 5) === '0\r\n\r\n';
  return complete ? Number(headers.slice(9, 12)) : null;
}

/** One call on a new connection; the client closes it once the answer is read, as aiohttp's session does. */
function once() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const chunks = [];
    let done = false;
    const finish = (status, err) => {
      if (done) return;
      done = true;
      socket.end();
      if (err === undefined) completed++;
      if (recording) {
        if (err !== undefined) {
          errors++;
          firstError ??= String(err.code ?? err.message ?? err);
        } else {
          if (status < 200 || status > 299) non2xx++;
          latencies.push(performance.now() - t0);
        }
      }
      resolve();
    };
    const socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true }, () => socket.write(request));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const status = answered(chunks.length === 1 ? chunk : Buffer.concat(chunks));
      if (status !== null) finish(status);
    });
    socket.on('error', (err) => finish(0, err));
    socket.on('close', () => finish(0, new Error('closed before the answer')));
  });
}

await drive(once, o, o.warmupMs ?? 1000, o.warmupCalls);
recording = true;
const started = performance.now();
await drive(once, o, o.durationMs, o.calls);
const elapsed = (performance.now() - started) / 1000;

printLoadSummary({ latencies, elapsedSeconds: elapsed, completed, errors, non2xx, firstError });
