/**
 * Whether a Redis answers now, for the store's fast failure, /ready and the
 * `slotwire_state_store_up` metric (docs/deploy.md#how-health-is-known).
 *
 * The connection's state alone says too little: a stalled server (paused,
 * swapping, stuck in a slow script) keeps its TCP connection open and
 * answers nothing, so ioredis stays 'ready' throughout. What is known for
 * sure is whether commands get replies in time: a PING every second,
 * bounded by the store's timeout, and every command's own outcome. A
 * timeout marks Redis down at once; a reply marks it up again. So a stall
 * shows within a second and a half (the next PING and its timeout), and
 * its end within a second (the next PING), at one PING per second.
 */
import type { Redis } from 'ioredis';
import { RedisTimeout, within } from './redis-timeout.js';

/** How often Redis is asked PING: once a second keeps the check cheap (one command per process). */
export const PING_EVERY_MS = 1000; // 1 s

/** What the store knows of its Redis. */
export interface RedisHealth {
  /** Connected, and the last PING or command was answered in time. */
  up(): boolean;
  /** A command was answered: Redis answers again, if it did not. */
  answered(): void;
  /** A command went unanswered within the timeout: Redis is down until it answers one. */
  timedOut(reason: string): void;
  /** Stops the PINGs and the reports (the store is closing). */
  stop(): void;
}

/**
 * Watches `client`: its connection events, a PING every PING_EVERY_MS, and
 * what the store tells of its commands.
 * @param timeoutMs - how long a PING may go unanswered
 * @param onChange - told each time Redis goes down or comes back, with a reason that never holds the URL
 */
export function watchHealth(
  client: Redis,
  timeoutMs: number,
  onChange: (up: boolean, reason: string) => void,
): RedisHealth {
  let answering = true;
  let reported = false;
  let stopped = false;
  let pinging = false;
  const report = (up: boolean, reason: string): void => {
    if (stopped || up === reported) return;
    reported = up;
    onChange(up, reason);
  };
  const health: RedisHealth = {
    up: () => answering && client.status === 'ready',
    answered() {
      if (answering) return;
      answering = true;
      if (client.status === 'ready') report(true, 'answering again');
    },
    timedOut(reason) {
      answering = false;
      report(false, reason);
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
  client.on('ready', () => {
    answering = true;
    report(true, 'connected');
  });
  // ioredis emits 'error' for every failed connection attempt; without a listener Node would print each one.
  client.on('error', (err: Error) => report(false, reasonOf(err)));
  client.on('close', () => report(false, 'connection closed'));

  const timer = setInterval(() => {
    // While disconnected, ioredis would refuse the PING at once: its reconnection says when Redis is back.
    if (pinging || client.status !== 'ready') return;
    pinging = true;
    within(client.ping(), timeoutMs).then(
      () => {
        pinging = false;
        health.answered();
      },
      (err: Error) => {
        pinging = false;
        if (err instanceof RedisTimeout) health.timedOut(`PING ${reasonOf(err).toLowerCase()}`);
      },
    );
  }, PING_EVERY_MS);
  timer.unref();
  return health;
}

/** An error's message without anything from the URL (ioredis names host:port, never the password). */
export function reasonOf(err: Error): string {
  return err.message.split('\n')[0] ?? 'unknown error';
}
