/**
 * Worker-thread side of a reload (reload.ts): the monolithic part of
 * loading — YAML parse with positions, schema validation, `${VAR}`, a full
 * compile for its diagnostics — runs here, off the serving thread. Each
 * request gets back plain data: the diagnostics, and the validated file as
 * JSON when it has no errors.
 */
import { parentPort } from 'node:worker_threads';
import { compilePlan } from '../compile/index.js';
import { loadConfigText } from '../config/index.js';
import type { CheckAnswer, CheckRequest } from './reload.js';

parentPort?.on('message', ({ id, file, text, env }: CheckRequest) => {
  const loaded = loadConfigText(file, text, { env });
  const { plan, diagnostics } = compilePlan(loaded);
  const footprints = plan === null ? {} : Object.fromEntries([...plan.actions].map(([name, action]) => [name, action.footprint]));
  const answer: CheckAnswer = { id, diagnostics, configJson: plan === null ? null : JSON.stringify(loaded.config), footprints };
  parentPort?.postMessage(answer);
});
