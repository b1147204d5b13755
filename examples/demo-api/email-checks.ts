/**
 * An email check, like the deliverability APIs sign-up forms call: syntax,
 * throwaway domains, and a "did you mean" for common domain typos. No auth,
 * so the validation example needs no secret.
 */
import { Hono } from 'hono';
import { disposableDomains, domainTypos } from './data.js';

/** The `/email-checks` routes. */
export function emailCheckRoutes(): Hono {
  const app = new Hono();
  app.get('/:address', (c) => {
    const address = c.req.param('address');
    const normalized = address.trim().toLowerCase();
    const match = /^[^\s@]+@([^\s@]+\.[a-z]{2,})$/.exec(normalized);
    const domain = match?.[1] ?? null;
    const typo = domain === null ? undefined : domainTypos[domain];
    let reason: string | null = null;
    if (domain === null) reason = 'invalid_syntax';
    else if (disposableDomains.includes(domain)) reason = 'disposable';
    else if (typo !== undefined) reason = 'domain_typo';
    return c.json({
      address,
      normalized,
      deliverable: reason === null,
      reason,
      suggestion: typo === undefined ? null : `${normalized.slice(0, normalized.lastIndexOf('@') + 1)}${typo}`,
    });
  });
  return app;
}
