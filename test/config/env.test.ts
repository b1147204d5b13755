/**
 * `${VAR}` for running one action (`forAction`: `slotwire run`, the
 * studio's runs): only the connections the action calls need their
 * variables, an OAuth2 token endpoint being part of its connection.
 */
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../runtime/config/index.js';
import type { Diagnostic } from '../../runtime/config/index.js';

// Three APIs, as three imports leave them; each needs its own secrets.
const threeApis = `version: 1
connections:
  crm:
    base_url: \${CRM_URL}
    headers: { X-Custom-Auth: "\${CRM_KEY}" }
  billing:
    base_url: https://billing.example.com
    auth:
      type: oauth2_client_credentials
      token_url: \${BILLING_TOKEN_URL}
      client_id: bot
      client_secret: "\${BILLING_SECRET}"
  weather:
    base_url: \${WEATHER_URL}
    auth: { type: bearer, token: "\${WEATHER_TOKEN}" }
actions:
  find_customer:
    request: { connection: crm, path: /customers }
    slots: { found: "{{ response.body.found }}" }
  invoice:
    steps:
      - name: customer
        request: { connection: crm, path: /customers }
      - parallel:
          - name: bill
            request: { connection: billing, method: POST, path: /bills }
    slots: { billed: "{{ steps.bill.body.ok }}" }
  forecast:
    request: { connection: weather, path: /forecast }
    slots: { sky: "{{ response.body.sky }}" }
`;

const crmOnly = { CRM_URL: 'https://crm.example.com', CRM_KEY: 'crm-key-123' };

const missing = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.code === 'SW_ENV_MISSING');

describe('${VAR} for one action (forAction)', () => {
  it("needs only the variables of the connections the action calls: another connection's are no error", () => {
    const r = loadConfigText('actions.yml', threeApis, { env: crmOnly, forAction: 'find_customer' });
    expect(r.diagnostics).toEqual([]);
    expect(r.config?.connections?.['crm']?.headers?.['X-Custom-Auth']).toBe('crm-key-123');
  });

  it('reports a missing variable of a called connection, its OAuth2 token endpoint too, naming the connection', () => {
    const r = loadConfigText('actions.yml', threeApis, { env: crmOnly, forAction: 'invoice' });
    expect(r.config).toBeNull();
    expect(missing(r.diagnostics)).toMatchObject([
      { code: 'SW_ENV_MISSING', line: 10, col: 18, message: expect.stringContaining('(connection "billing")') },
      { code: 'SW_ENV_MISSING', line: 12, col: 23, message: expect.stringContaining('(connection "billing")') },
    ]);
    expect(missing(r.diagnostics).map((d) => d.message)).toEqual([
      expect.stringContaining('BILLING_TOKEN_URL'),
      expect.stringContaining('BILLING_SECRET'),
    ]);
  });

  it('still needs every variable without forAction, as serve and validate load the file', () => {
    const r = loadConfigText('actions.yml', threeApis, { env: crmOnly });
    expect(missing(r.diagnostics).map((d) => d.line)).toEqual([10, 12, 14, 15]);
  });

  it('needs no variable for an action the file does not have (the caller names the action)', () => {
    const r = loadConfigText('actions.yml', threeApis, { env: {}, forAction: 'no_such_action' });
    expect(missing(r.diagnostics)).toEqual([]);
  });
});

describe('the secret values ${VAR} puts into a connection', () => {
  const text = `version: 1
connections:
  api:
    base_url: \${API_URL}
    headers:
      X-Custom-Auth: "\${CUSTOM_HDR}"
      X-Signature: "sig-\${SIGNATURE}"
      X-Region: \${REGION}
      X-Tier: \${TIER:-gold-tier}
    auth:
      type: oauth2_client_credentials
      token_url: \${TOKEN_URL}
      client_id: \${CLIENT_ID}
      client_secret: "\${CLIENT_SECRET}"
actions:
  a:
    request: { connection: api, path: /x }
    slots: { x: "{{ response.body.x }}" }
`;
  const env = {
    API_URL: 'https://api.example.com',
    CUSTOM_HDR: 'custom-hdr-value',
    SIGNATURE: 'abcd1234',
    REGION: 'eu',
    TOKEN_URL: 'https://auth.example.com/token',
    CLIENT_ID: 'client-id-7',
    CLIENT_SECRET: 'client-secret-9',
  };

  it('are every header value and auth field from the environment, whatever the header is called', () => {
    const r = loadConfigText('actions.yml', text, { env });
    expect(r.diagnostics).toEqual([]);
    expect(r.secrets).toEqual(['custom-hdr-value', 'abcd1234', 'client-id-7', 'client-secret-9']);
  });

  it('leave out what says where to call (base_url, token_url), a default typed in the file, and values under 4 characters', () => {
    const secrets = loadConfigText('actions.yml', text, { env }).secrets ?? [];
    for (const shown of [env.API_URL, env.TOKEN_URL, 'gold-tier', 'eu']) expect(secrets).not.toContain(shown);
  });
});
