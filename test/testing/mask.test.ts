import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../runtime/config/index.js';
import { compilePlan } from '../../runtime/compile/index.js';
import { secretValues, sensitiveValues } from '../../runtime/testing/index.js';

describe('the values to hide', () => {
  it('takes sensitive slot values that are strings or numbers', () => {
    expect([...sensitiveValues(['pin', 'ok', 'missing'], { pin: 1234, ok: true })]).toEqual(['1234']);
  });

  it("are a connection's ${VAR} header values whatever the header is called, and its credential headers typed in", () => {
    const text = `version: 1
connections:
  api:
    base_url: https://api.example.com
    headers: { X-Custom-Auth: "\${CUSTOM_HDR}", X-Client-Token: typed-token, X-Trace: on-purpose }
actions:
  a:
    request: { connection: api, path: /x }
    slots: { x: "{{ response.body.x }}" }
`;
    const { plan } = compilePlan(loadConfigText('actions.yml', text, { env: { CUSTOM_HDR: 'custom-hdr-value' } }));
    expect(plan).not.toBeNull();
    expect(secretValues(plan!)).toEqual(new Set(['custom-hdr-value', 'typed-token']));
  });
});
