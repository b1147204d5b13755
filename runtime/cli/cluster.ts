/**
 * `slotwire serve --workers N`: N processes share the port through
 * node:cluster (the primary accepts and hands connections out round-robin
 * on Linux; Node 20 has no reusePort). Each worker loads, compiles and, with
 * --auto-reload, watches the actions file itself, so a worker is exactly a
 * single-process server. Single process is the default: each worker has
 * its own upstream pools, compiles and reloads the file itself, and keeps
 * metrics the primary must gather.
 */
import { createRequire } from 'node:module';
import type { Address, Cluster } from 'node:cluster';
import { answerClusterMetrics } from '../telemetry/index.js';
import type { Output } from './output.js';

const require = createRequire(import.meta.url);

/**
 * node:cluster, loaded only by the processes of `--workers`: it brings
 * child_process with it, about 10 ms of every start that has no workers.
 */
function clusterModule(): Cluster {
  return require('node:cluster') as Cluster;
}

/** Set in the environment of the workers {@link superviseWorkers} starts. */
const WORKER_MARK = 'SLOTWIRE_CLUSTER_WORKER';

/**
 * True in a worker process started by {@link superviseWorkers}. The mark
 * spares every other start node:cluster; node:cluster (loaded already in a
 * worker) confirms it, so the variable set by hand makes no worker.
 */
export function isWorker(): boolean {
  return process.env[WORKER_MARK] !== undefined && clusterModule().isWorker;
}

/** In a worker: closes the IPC channel to the primary, so the worker can exit. */
export function disconnectWorker(): void {
  clusterModule().worker?.disconnect();
}

/** Options of {@link superviseWorkers}. */
export interface SuperviseOptions {
  /** Whether the workers serve metrics: the primary then answers their requests for the sum. */
  readonly metrics: boolean;
  /** What the workers speak on the port, for the line that says where they serve. */
  readonly scheme: 'http' | 'https';
}

/**
 * Runs in the primary: starts `count` workers, restarts one that dies
 * unexpectedly, and on SIGTERM/SIGINT asks every worker to finish its
 * in-flight requests and waits for them. With `metrics`, answers the
 * workers' requests for the sum of all their metrics (telemetry/cluster.ts).
 * Once all listen, prints where: the port they share, the bound one when 0
 * was asked. Resolves with the exit code.
 */
export function superviseWorkers(count: number, io: Output, options: SuperviseOptions): Promise<number> {
  const cluster = clusterModule();
  if (options.metrics) answerClusterMetrics(cluster);
  return new Promise((done) => {
    let stopping = false;
    let ready = 0;
    const start = () => {
      const worker = cluster.fork({ [WORKER_MARK]: '1' });
      // A worker's first listen is the webhook's (serve.ts listens for --metrics-port after it).
      worker.once('listening', (address) => {
        ready++;
        if (ready === count) io.out(`slotwire: ${count} workers serving on ${urlOf(options.scheme, address)}/webhook`);
      });
    };
    for (let i = 0; i < count; i++) start();
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) done(0);
        return;
      }
      io.err(`slotwire: worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      if (code !== 0 && ready === 0) {
        // It never listened (a broken actions file, a port in use): every new worker would fail the same way.
        stopping = true;
        for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
        done(1);
        return;
      }
      start();
    });
    const stop = () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

/** `scheme://host:port` of a worker's listening address. */
function urlOf(scheme: SuperviseOptions['scheme'], address: Address): string {
  const host = address.addressType === 6 ? `[${address.address}]` : address.address;
  return `${scheme}://${host}:${address.port}`;
}
