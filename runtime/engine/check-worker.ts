/**
 * Worker-thread side of a reload (reload.ts): the monolithic part of
 * loading — YAML parse with positions, schema validation, `${VAR}`, a full
 * compile for its diagnostics — runs here, off the serving thread. Each
 * request gets back plain data: the diagnostics, and the validated file as
 * JSON when it has no errors.
 */
import { constants, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { checkedFileOf, compilePlan } from '../compile/index.js';
import { loadConfigText } from '../config/index.js';
import type { CheckAnswer, CheckRequest } from './reload.js';

// The check is background work: on Linux a thread's nice value is its own,
// so this lowers only this thread, and on a busy machine the serving thread
// gets the CPU first (on 2 cores, the check otherwise delayed answers by
// tens of ms). Where the platform refuses, the check runs at normal priority.
try {
  setPriority(0, constants.priority.PRIORITY_LOW);
} catch {
  // not permitted here: nothing to do
}

parentPort?.on('message', ({ id, file, text, options }: CheckRequest) => {
  const loaded = loadConfigText(file, text, options);
  const { plan, diagnostics } = compilePlan(loaded);
  const answer: CheckAnswer = {
    id,
    diagnostics,
    checkedJson: plan === null || loaded.config === null ? null : JSON.stringify(checkedFileOf(loaded.config, plan)),
  };
  parentPort?.postMessage(answer);
});
