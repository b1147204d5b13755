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
