/**
 * The engine's language behaviour, one case file per behaviour
 * (test/cases/engine/*.yml, as jsonata's test suite does): a real actions
 * file, a real upstream on loopback, the real HTTP client and executor.
 * A case gives the actions, the call (slots, message, domain), the upstream's
 * scripted answers, and what must come out: events (exact), responses
 * (subset per message), the error, a rejection, and the requests that must
 * have reached the upstream.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadPlan } from '../../runtime/compile/index.js';
import { runAction } from '../../runtime/execute/index.js';
import { createHttpClient } from '../../runtime/http/index.js';
import { ActionRejection, trackerFromDict } from '../../runtime/rasa/index.js';
import type { DomainDict } from '../../runtime/rasa/index.js';
import { startUpstream } from '../support/upstream.js';
import type { Route } from '../support/upstream.js';

interface Case {
  title: string;
  actions: Record<string, unknown>;
  call: {
    action: string;
    slots?: Record<string, unknown>;
    message?: Record<string, unknown>;
    domain?: DomainDict;
    tracker?: Record<string, unknown>;
  };
  upstream?: Route[];
  expect: {
    events?: unknown[];
    responses?: Record<string, unknown>[];
    error?: Record<string, unknown> | null;
    rejected?: string;
    requests?: {
      method?: string;
      path?: string;
      query?: Record<string, string | string[]>;
      headers?: Record<string, string>;
      json?: unknown;
      text?: string;
    }[];
    max_ms?: number;
  };
}

const dir = new URL('../cases/engine/', import.meta.url);
const files = (await readdir(dir)).filter((f) => f.endsWith('.yml')).sort();
const work = await mkdtemp(join(tmpdir(), 'slotwire-cases-'));
const silent = { warn() {}, info() {} };

describe('engine cases', () => {
  it('has a case for each construct', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of files) {
    it(`${file.replace(/\.yml$/, '')}`, async () => {
      const c = parse(await readFile(new URL(file, dir), 'utf8')) as Case;
      const upstream = await startUpstream(c.upstream ?? []);
      const actionsFile = join(work, file);
      await writeFile(actionsFile, stringify(c.actions));
      const { plan, diagnostics } = await loadPlan(actionsFile, { env: { UPSTREAM: upstream.origin } });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const action = plan!.actions.get(c.call.action)!;
      const http = createHttpClient(plan!.connections);
      const tracker = trackerFromDict({
        sender_id: 'case-user',
        slots: c.call.slots ?? {},
        latest_message: c.call.message ?? {},
        events: [],
        ...c.call.tracker,
      });
      const input = {
        nextAction: c.call.action,
        senderId: 'case-user',
        tracker,
        domain: c.call.domain ?? null,
        version: '3.13.0',
      };
      const started = Date.now();
      try {
        if (c.expect.rejected !== undefined) {
          const rejection = await runAction(action, input, { http, logger: silent }).then(
            () => null,
            (e: unknown) => e,
          );
          expect(rejection).toBeInstanceOf(ActionRejection);
          expect((rejection as Error).message).toBe(c.expect.rejected);
          return;
        }
        const run = await runAction(action, input, { http, logger: silent });
        if (c.expect.events) expect(JSON.parse(JSON.stringify(run.events))).toEqual(c.expect.events);
        if (c.expect.responses) {
          expect(run.responses).toHaveLength(c.expect.responses.length);
          c.expect.responses.forEach((r, i) => expect(run.responses[i]).toMatchObject(r));
          for (const m of run.responses)
            expect(Object.keys(m)).toEqual(
              expect.arrayContaining([
                'text',
                'buttons',
                'elements',
                'custom',
                'template',
                'response',
                'image',
                'attachment',
              ]),
            );
        }
        if (c.expect.error !== undefined) {
          if (c.expect.error === null) expect(run.error).toBeNull();
          else expect(run.error).toMatchObject(c.expect.error);
        }
        if (c.expect.requests) {
          expect(upstream.seen).toHaveLength(c.expect.requests.length);
          c.expect.requests.forEach((r, i) => {
            const seen = upstream.seen[i];
            const url = new URL(seen.url, 'http://upstream');
            if (r.method) expect(seen.method).toBe(r.method);
            if (r.path) expect(url.pathname).toBe(r.path);
            for (const [k, v] of Object.entries(r.query ?? {}))
              expect(url.searchParams.getAll(k)).toEqual(Array.isArray(v) ? v : [v]);
            for (const [k, v] of Object.entries(r.headers ?? {})) expect(seen.headers[k.toLowerCase()]).toBe(v);
            if (r.json !== undefined) expect(JSON.parse(seen.body)).toEqual(r.json);
            if (r.text !== undefined) expect(seen.body).toBe(r.text);
          });
        }
        if (c.expect.max_ms) expect(Date.now() - started).toBeLessThan(c.expect.max_ms);
      } finally {
        await http.close();
        await upstream.close();
      }
    });
  }
});

afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(work, { recursive: true, force: true });
});
