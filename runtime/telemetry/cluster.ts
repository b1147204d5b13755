/**
 * `/metrics` under `slotwire serve --workers N`: whichever worker a scrape
 * lands on answers with every worker's series added up, as one server's
 * would be. The worker asks the primary over the cluster's IPC channel; the
 * primary gathers every worker's series with prom-client's
 * AggregatorRegistry (histograms and counters summed, gauges by their
 * declared aggregator) and sends the text back.
 */
import type { Cluster } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { MetricsSource } from '../server/index.js';
import type { Metrics } from './metrics.js';
import { processMetrics } from './metrics.js';

const ASK = 'slotwire:metrics?';
const ANSWER = 'slotwire:metrics';
/** A scrape waits this long for the primary (prom-client's own wait for workers is 5 s). */
const ANSWER_TIMEOUT_MS = 6_000;

interface Answer {
  readonly type: typeof ANSWER;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

/** In the primary (whose node:cluster is `cluster`): answers workers' requests with the sum over all workers. */
export function answerClusterMetrics(cluster: Cluster): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: unknown; id?: unknown }) => {
    if (message?.type !== ASK) return;
    const reply = (answer: Omit<Answer, 'type' | 'id'>): void => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, ...answer });
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (err: unknown) => reply({ error: (err as Error).message }),
    );
  });
}

/** In a worker: a source whose text is the primary's sum over all workers, this one's series included. */
export function clusterMetricsSource(local: Metrics): MetricsSource {
  // Constructing one makes this worker answer the primary's requests; these are the series it sends.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([local.registry, processMetrics()]);
  let next = 0;
  return {
    contentType: local.contentType,
    text() {
      const id = next++;
      return new Promise<string>((resolve, reject) => {
        const onMessage = (message: Partial<Answer>): void => {
          if (message?.type !== ANSWER || message.id !== id) return;
          done();
          if (typeof message.text === 'string') resolve(message.text);
          else reject(new Error(`the primary could not gather the workers' metrics: ${message.error ?? 'no answer'}`));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error("the primary did not answer with the workers' metrics"));
        }, ANSWER_TIMEOUT_MS);
        const done = (): void => {
          clearTimeout(timer);
          process.off('message', onMessage);
        };
        process.on('message', onMessage);
        process.send?.({ type: ASK, id });
      });
    },
  };
}
