import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../runtime/compile/index.js';
import { loadConfigText } from '../../runtime/config/index.js';
import type { Env } from '../../runtime/config/index.js';

/** Compiles a file with one connection whose base_url (line 4, col 15) is `baseUrl`. */
function compile(baseUrl: string, env: Env = {}, extra = '') {
  const text = `version: 1
connections:
  api:
    base_url: ${baseUrl}
${extra}actions:
  get_thing:
    request: { connection: api, path: /things }
    slots: { thing: "{{ response.body.name }}" }
`;
  const failing = () => {
    throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  };
  return compilePlan(loadConfigText('actions.yml', text, { env }), { readText: failing });
}

const codes = (baseUrl: string, env?: Env) =>
  compile(baseUrl, env)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.code);

describe('base_url', () => {
  it.each([
    'https://api.example.com',
    'https://api.example.com/v2/',
    'http://127.0.0.1:8080/base',
    'https://[::1]:8443',
  ])('accepts %s', (url) => {
    const { plan, diagnostics } = compile(url);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan?.connections[0]?.baseUrl).toBe(url);
  });

  it('refuses user info at the base_url value, whether it came from the file or from ${VAR}', () => {
    expect(compile('"https://bot:${PASS}@api.example.com"', { PASS: 'p' }).diagnostics).toEqual([
      expect.objectContaining({ code: 'SW_URL_USER_INFO', line: 4, col: 15 }),
    ]);
    expect(compile('${API_URL}', { API_URL: 'https://bot@api.example.com' }).diagnostics).toEqual([
      expect.objectContaining({ code: 'SW_URL_USER_INFO', line: 4, col: 15 }),
    ]);
  });

  it.each([
    ['https://api.example.com/api?sig=X', ['SW_URL_QUERY']],
    ['https://api.example.com/api?', ['SW_URL_QUERY']],
    ['https://api.example.com/api#top', ['SW_URL_FRAGMENT']],
    ['https://api.example.com/api#', ['SW_URL_FRAGMENT']],
    ['https://api.example.com/api#a?b', ['SW_URL_FRAGMENT']],
    ['https://u:p@api.example.com/?q#f', ['SW_URL_USER_INFO', 'SW_URL_QUERY', 'SW_URL_FRAGMENT']],
  ])('refuses the parts of %s that a request would drop', (url, expected) => {
    expect(codes(`"${url}"`)).toEqual(expected);
  });

  it('reports each part at the start of the value, never quoting it', () => {
    const { diagnostics } = compile('${API_URL}', { API_URL: 'https://api.example.com/x?sig=very-secret' });
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SW_URL_QUERY', line: 4, col: 15 })]);
    expect(JSON.stringify(diagnostics)).not.toContain('very-secret');
  });

  it('still refuses what is not an absolute http(s) URL, once', () => {
    expect(codes('ftp://files.example.com')).toEqual(['SW_URL_INVALID']);
    expect(codes('api.example.com/v2')).toEqual(['SW_URL_INVALID']);
  });
});

describe('tls files', () => {
  it('quotes a file name that came from ${VAR} as written', () => {
    const { diagnostics } = compile(
      'https://api.example.com',
      { CA: 'private/ca-for-tenant-8812.pem' },
      '    tls: { ca: "${CA}" }\n',
    );
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SW_TLS_FILE', line: 5, col: 16 })]);
    expect(diagnostics[0]?.message).toContain('"${CA}"');
    expect(JSON.stringify(diagnostics)).not.toContain('tenant-8812');
  });
});
