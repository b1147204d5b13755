/**
 * The CRM: an OAuth2 token endpoint (client credentials, RFC 6749 §4.4)
 * and customer, order and ticket routes that need one of its tokens.
 * Tokens are numbered in the order they are issued, so a run is repeatable;
 * they expire after `expires_in` seconds.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { customers, orders, tickets } from './data.js';
import type { Customer } from './data.js';
import { bearerToken, fail, unauthorized } from './http.js';

/** Every scope the CRM knows; a token without `scope` gets them all. */
const SCOPES = ['customers:read', 'orders:read', 'tickets:read'] as const;

/** Options of {@link crmRoutes}. */
export interface CrmRoutesOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** token lifetime. Default in the app: 3600 s */
  readonly tokenTtlSeconds: number;
  /** the clock for token expiry, in ms */
  readonly now: () => number;
}

/** What the auth middleware hands to the routes. */
export type CrmEnv = { Variables: { scopes: readonly string[] } };

interface Grant {
  readonly expiresAt: number;
  readonly scopes: readonly string[];
}

/** The CRM's routes: `tokenRoutes` for `/oauth`, `api` for `/crm`. They share the issued tokens. */
export function crmRoutes(options: CrmRoutesOptions): { tokenRoutes: Hono; api: Hono<CrmEnv> } {
  const grants = new Map<string, Grant>();
  let issued = 0;

  const tokenRoutes = new Hono();
  tokenRoutes.post('/token', async (c) => {
    if (!(c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      return c.json(
        { error: 'invalid_request', error_description: 'Send the grant as application/x-www-form-urlencoded.' },
        400,
      );
    }
    const form = new URLSearchParams(await c.req.text());
    const client = clientOf(c, form);
    if (!client || client.id !== options.clientId || client.secret !== options.clientSecret) {
      c.header('WWW-Authenticate', 'Basic realm="crm"');
      return c.json(
        {
          error: 'invalid_client',
          error_description: 'Unknown client or wrong secret (the demo client is demo-client / demo-secret).',
        },
        401,
      );
    }
    if (form.get('grant_type') !== 'client_credentials')
      return c.json(
        { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported.' },
        400,
      );
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const unknown = requested.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0)
      return c.json({ error: 'invalid_scope', error_description: `Unknown scope: ${unknown.join(' ')}` }, 400);
    const scopes = requested.length > 0 ? requested : [...SCOPES];
    issued++;
    const token = `crm-at-${String(issued).padStart(4, '0')}`;
    grants.set(token, { expiresAt: options.now() + options.tokenTtlSeconds * 1000, scopes });
    c.header('Cache-Control', 'no-store');
    return c.json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: options.tokenTtlSeconds,
      scope: scopes.join(' '),
    });
  });

  const api = new Hono<CrmEnv>();
  api.use('*', async (c, next) => {
    const token = bearerToken(c);
    const grant = token === null ? undefined : grants.get(token);
    if (!grant || grant.expiresAt <= options.now())
      return unauthorized(c, 'crm', 'Get a token from POST /oauth/token and send it as Authorization: Bearer <token>.');
    c.set('scopes', grant.scopes);
    await next();
  });

  api.get('/customers', (c) => {
    const denied = requireScope(c, 'customers:read');
    if (denied) return denied;
    const email = c.req.query('email')?.trim().toLowerCase();
    const found = customers.filter((x) => !email || x.email === email);
    return c.json({ customers: found, total: found.length });
  });

  api.get('/customers/:id', (c) => {
    const denied = requireScope(c, 'customers:read');
    if (denied) return denied;
    const customer = findCustomer(c.req.param('id'));
    return customer ? c.json(customer) : customerNotFound(c);
  });

  api.get('/customers/:id/orders', (c) => {
    const denied = requireScope(c, 'orders:read');
    if (denied) return denied;
    const customer = findCustomer(c.req.param('id'));
    if (!customer) return customerNotFound(c);
    const list = orders.filter((o) => o.customer_id === customer.id);
    return c.json({ customer_id: customer.id, orders: list, total: list.length });
  });

  api.get('/customers/:id/tickets', (c) => {
    const denied = requireScope(c, 'tickets:read');
    if (denied) return denied;
    const customer = findCustomer(c.req.param('id'));
    if (!customer) return customerNotFound(c);
    const status = c.req.query('status');
    const list = tickets.filter((t) => t.customer_id === customer.id && (!status || t.status === status));
    return c.json({ customer_id: customer.id, tickets: list, total: list.length });
  });

  return { tokenRoutes, api };
}

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1, form-encoded parts) or from the form body. */
function clientOf(c: Context, form: URLSearchParams): { id: string; secret: string } | null {
  const basic = /^Basic\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return null;
    try {
      return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    } catch {
      return null;
    }
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? { id, secret } : null;
}

/** A 403 when the token lacks the scope (RFC 6750 §3.1 insufficient_scope). */
function requireScope(c: Context<CrmEnv>, scope: string): Response | null {
  if (c.get('scopes').includes(scope)) return null;
  c.header('WWW-Authenticate', `Bearer realm="crm", error="insufficient_scope", scope="${scope}"`);
  return fail(c, 403, 'insufficient_scope', `This token lacks the scope ${scope}.`);
}

function findCustomer(id: string): Customer | undefined {
  return customers.find((x) => x.id === id);
}

function customerNotFound(c: Context): Response {
  return fail(c, 404, 'customer_not_found', `No customer with id "${c.req.param('id')}".`);
}
