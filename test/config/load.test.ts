import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../runtime/config/index.js';

const connection = (extra: string) => `version: 1
connections:
  api:
    base_url: \${API_URL}
${extra}actions:
  a:
    request: { connection: api, path: /x }
    slots: { x: 1 }
`;

describe('loadConfigText', () => {
  it('resolves ${VAR} from the env object it is given, not process.env', () => {
    const r = loadConfigText('a.yml', connection(''), { env: { API_URL: 'https://api.test' } });
    expect(r.diagnostics).toEqual([]);
    expect(r.config?.connections?.['api']?.base_url).toBe('https://api.test');
  });

  it('uses the default of ${VAR:-default} when the variable is unset or empty', () => {
    const text = connection('').replace('${API_URL}', '${API_URL:-http://fallback.test}');
    expect(loadConfigText('a.yml', text, { env: {} }).config?.connections?.['api']?.base_url).toBe(
      'http://fallback.test',
    );
    expect(loadConfigText('a.yml', text, { env: { API_URL: '' } }).config?.connections?.['api']?.base_url).toBe(
      'http://fallback.test',
    );
  });

  it('keeps $${ as a literal ${', () => {
    const text = connection('    headers: { X-Note: "$${literal}" }\n');
    const r = loadConfigText('a.yml', text, { env: { API_URL: 'https://api.test' } });
    expect(r.config?.connections?.['api']?.headers?.['X-Note']).toBe('${literal}');
  });

  it('reports a missing variable at the ${ and never prints a resolved secret', () => {
    const text = connection('    auth: { type: bearer, token: "${TOKEN}" }\n    timeout: ${TIMEOUT}\n');
    const r = loadConfigText('a.yml', text, { env: { API_URL: 'https://api.test', TIMEOUT: 'sekrit-value' } });
    expect(r.config).toBeNull();
    expect(r.diagnostics).toMatchObject([
      { code: 'SW_ENV_MISSING', line: 5, col: 35 },
      { code: 'SW_SCHEMA_DURATION', line: 6, col: 14 },
    ]);
    expect(JSON.stringify(r.diagnostics)).not.toContain('sekrit-value');
  });

  it('reports every problem of a file at once, in file order', () => {
    const text = 'version: 1\nactions:\n  a:\n    reqest: {}\n  b:\n    slots: 3\n';
    const r = loadConfigText('a.yml', text);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ['SW_SCHEMA_UNKNOWN_KEY', 4, 5],
      ['SW_SCHEMA_TYPE', 6, 12],
    ]);
  });

  it('refuses an alias bomb without expanding it', () => {
    const bomb = ['version: 1', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      );
    const started = Date.now();
    const r = loadConfigText('bomb.yml', bomb.join('\n'));
    expect(r.config).toBeNull();
    expect(r.diagnostics.some((d) => d.code === 'SW_YAML_ALIAS')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
