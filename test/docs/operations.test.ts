// docs/operations.md and the files beside it against a real server: every
// metric the reference tables, the PromQL examples and the Grafana dashboard
// name is one GET /metrics declares, every slotwire_* and http_* metric the
// server declares is documented, and the Prometheus config parses.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createActionServer, listen } from '../../runtime/index.js';
import type { ActionServer, ServerHandle } from '../../runtime/index.js';
import { serveUsage } from '../../runtime/cli/serve-options.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(join(root, 'docs/operations.md'), 'utf8');

/** Metric name → type, from the `# TYPE` lines of an exposition. */
function declaredTypes(exposition: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(m[1], m[2]);
  return types;
}

/** Rows of the doc's tables whose header starts `| Metric | Type |`: name → type. */
function documentedMetrics(markdown: string): Map<string, string> {
  const rows = new Map<string, string>();
  let inTable = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('| Metric | Type |')) {
      inTable = true;
      continue;
    }
    if (!line.startsWith('|')) {
      inTable = false;
      continue;
    }
    if (!inTable || /^\|\s*-/.test(line)) continue;
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([a-z_:][a-z0-9_:]*)`$/.exec(cells[1] ?? '');
    expect(name, `a metric table row without a metric name: ${line}`).not.toBeNull();
    rows.set((name as RegExpExecArray)[1], cells[2]);
  }
  return rows;
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/** The metric names a PromQL expression selects (functions, keywords, labels, Grafana variables left out). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names: string[] = [];
  for (const m of bare.matchAll(/(?<![\w.])[A-Za-z_:][\w:]*/g)) {
    const rest = bare.slice((m.index) + m[0].length).trimStart();
    if (rest.startsWith('(') || PROMQL_WORDS.has(m[0].toLowerCase())) continue;
    names.push(m[0]);
  }
  return names;
}

/** Whether `name` is a declared metric, or a histogram's or summary's `_bucket`/`_sum`/`_count` series. */
function exposed(types: Map<string, string>, name: string): boolean {
  if (types.has(name)) return true;
  const base = /^(.+)_(?:bucket|sum|count)$/.exec(name)?.[1];
  const type = base === undefined ? undefined : types.get(base);
  return type === 'histogram' || type === 'summary';
}

describe('metricNames', () => {
  it('finds the selected metrics and nothing else', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (le, action) (rate(a_seconds_bucket{job=~"$job", x="y z"}[$__rate_interval])))')).toEqual(['a_seconds_bucket']);
    expect(metricNames('sum by (a, b) (rate(x_count{o!~"ok|no"}[5m])) / ignoring (o) group_left sum by (a) (rate(x_count[5m]))')).toEqual(['x_count', 'x_count']);
    expect(metricNames('max(up) == 1 and on (job) foo offset 5m > 1e3')).toEqual(['up', 'foo']);
  });
});

describe('docs/operations.md against a real server', () => {
  let server: ActionServer | undefined;
  let handle: ServerHandle | undefined;
  let types = new Map<string, string>();

  beforeAll(async () => {
    server = await createActionServer({ actionsFile: join(root, 'actions.yml'), env: {}, logger: pino({ level: 'silent' }) });
    handle = await listen(server.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 500 });
    const res = await fetch(`${handle.url}/metrics`);
    expect(res.status).toBe(200);
    types = declaredTypes(await res.text());
    expect(types.size).toBeGreaterThan(10);
  });

  afterAll(async () => {
    await handle?.close();
    await server?.close();
  });

  it('documents every metric it names, with its type, as /metrics declares it', () => {
    const documented = documentedMetrics(doc);
    expect(documented.size).toBeGreaterThan(10);
    const wrong = [...documented].filter(([name, type]) => types.get(name) !== type).map(([name, type]) => `${name} ${type} (served: ${types.get(name) ?? 'absent'})`);
    expect(wrong).toEqual([]);
  });

  it('documents every slotwire_* and http_* metric the server declares', () => {
    const documented = documentedMetrics(doc);
    const ours = [...types.keys()].filter((name) => /^(slotwire|http)_/.test(name));
    expect(ours.length).toBeGreaterThan(5);
    expect(ours.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('uses only served metrics in its PromQL examples', () => {
    const blocks = [...doc.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const names = metricNames(block);
      expect(names.length, block).toBeGreaterThan(0);
      expect(names.filter((name) => !exposed(types, name)), block).toEqual([]);
    }
  });

  it('has a Grafana dashboard whose queries use only served metrics', () => {
    const dashboard = JSON.parse(readFileSync(join(root, 'docs/operations/grafana-dashboard.json'), 'utf8')) as {
      schemaVersion: number;
      panels: { title: string; datasource?: { uid?: string }; targets?: { expr?: string; datasource?: { uid?: string } }[] }[];
      templating: { list: { name: string; type: string; definition?: string }[] };
    };
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(6);
    const variable = dashboard.templating.list.find((v) => v.name === 'DS_PROMETHEUS');
    expect(variable?.type).toBe('datasource');

    const exprs: string[] = [];
    for (const panel of dashboard.panels) {
      // No data source uid of one Grafana: the dashboard imports anywhere.
      expect(panel.datasource?.uid, panel.title).toBe('${DS_PROMETHEUS}');
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.datasource?.uid, panel.title).toBe('${DS_PROMETHEUS}');
        expect(typeof target.expr, panel.title).toBe('string');
        exprs.push(target.expr as string);
      }
    }
    for (const v of dashboard.templating.list) {
      const query = /^label_values\(([\w:]+),/.exec(v.definition ?? '');
      if (query) exprs.push(query[1]);
    }
    for (const expr of exprs) {
      const names = metricNames(expr);
      expect(names.length, expr).toBeGreaterThan(0);
      expect(names.filter((name) => !exposed(types, name)), expr).toEqual([]);
    }
  });
});

describe('docs/operations/prometheus.yml', () => {
  it('parses and scrapes /metrics', () => {
    const config = parse(readFileSync(join(root, 'docs/operations/prometheus.yml'), 'utf8')) as {
      scrape_configs?: { job_name?: string; metrics_path?: string; static_configs?: { targets?: string[] }[] }[];
    };
    const job = config.scrape_configs?.find((c) => c.metrics_path === '/metrics');
    expect(job?.job_name).toBe('slotwire');
    expect(job?.static_configs?.[0]?.targets?.length).toBeGreaterThan(0);
  });
});

describe('docs/operations.md flags', () => {
  it('names only flags slotwire serve has', () => {
    const flags = new Set([...doc.matchAll(/`(--[a-z-]+)/g)].map((m) => m[1]));
    expect(flags.size).toBeGreaterThan(3);
    expect([...flags].filter((flag) => !serveUsage.includes(flag))).toEqual([]);
  });
});
