// The one-line JSON result every load generator of bench/ prints
// (load.mjs, grpc-load.mjs, rasa-load.mjs), read by run.mjs and the pair scripts.

/** Prints the run's counts, rate and latency percentiles (ms) as one JSON line. */
export function printLoadSummary({ latencies, elapsedSeconds, completed, errors, non2xx, firstError }) {
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : NaN;
  const mean = latencies.reduce((s, v) => s + v, 0) / (latencies.length || 1);
  console.log(
    JSON.stringify({
      completed,
      requests: latencies.length,
      rps: latencies.length / elapsedSeconds,
      p50: pct(50),
      p90: pct(90),
      p99: pct(99),
      mean,
      errors,
      non2xx,
      firstError,
    }),
  );
}
