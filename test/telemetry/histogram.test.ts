// The per-call histogram against prom-client's own Histogram: fed the same
// values, the text a scrape returns is the same byte for byte, alone and
// summed across workers by prom-client's AggregatorRegistry.
import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { SeriesHistogram } from '../../runtime/telemetry/histogram.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 1];
const LABELS = ['http_request_method', 'http_route', 'http_response_status_code'] as const;

/** Observations with edge values: on a bound, past the last, zero, and a label value with quotes. */
const SAMPLES: [string, string, number, number][] = [
  ['POST', '/webhook', 200, 0.004],
  ['POST', '/webhook', 200, 0.005],
  ['POST', '/webhook', 200, 0.0051],
  ['POST', '/webhook', 500, 3],
  ['GET', '/health', 200, 0],
  ['POST', '/webhook', 200, 1],
  ['GET', 'a "quoted" \\ route', 404, 0.02],
];

function both(): { ours: Registry; theirs: Registry } {
  const ours = new Registry();
  const theirs = new Registry();
  const options = { name: 'http_server_request_duration_seconds', help: 'Duration of HTTP server requests.' };
  const fast = new SeriesHistogram({ ...options, labelNames: LABELS, buckets: BUCKETS, registers: [ours] });
  const reference = new Histogram({ ...options, labelNames: [...LABELS], buckets: BUCKETS, registers: [theirs] });
  for (const [method, route, status, seconds] of SAMPLES) {
    fast.observe([method, route, status], seconds);
    reference.observe({ http_request_method: method, http_route: route, http_response_status_code: status }, seconds);
  }
  return { ours, theirs };
}

it('scrapes exactly as a prom-client Histogram fed the same values', async () => {
  const { ours, theirs } = both();
  const text = await ours.metrics();
  expect(text).toBe(await theirs.metrics());
  expect(text).toContain(
    'http_server_request_duration_seconds_bucket{le="0.01",http_request_method="POST",http_route="/webhook",http_response_status_code="200"} 3',
  );
});

it('is summed across workers as prom-client sums its own', async () => {
  const [a, b] = [both(), both()];
  const ours = AggregatorRegistry.aggregate([await a.ours.getMetricsAsJSON(), await b.ours.getMetricsAsJSON()]);
  const theirs = AggregatorRegistry.aggregate([await a.theirs.getMetricsAsJSON(), await b.theirs.getMetricsAsJSON()]);
  const text = await ours.metrics();
  expect(text).toBe(await theirs.metrics());
  expect(text).toContain(
    'http_server_request_duration_seconds_count{http_request_method="POST",http_route="/webhook",http_response_status_code="500"} 2',
  );
});

it('refuses a label set of the wrong length when first seen', () => {
  const histogram = new SeriesHistogram({
    name: 'h',
    help: 'h',
    labelNames: ['a', 'b'],
    buckets: BUCKETS,
    registers: [],
  });
  expect(() => histogram.observe(['x'], 1)).toThrow(/takes 2 label values, got 1/);
});
