/** Default names of what an import makes: the connection after the host, the action after the request. */
import { decodePart } from './curl-body.js';
import { identifier } from './draft.js';

/** `stripe` for api.stripe.com, `eu_mailgun` for api.eu.mailgun.net. */
export function connectionNameOf(host: string): string {
  if (/^\[|^[0-9.]+$/.test(host)) return 'api';
  const labels = host.split('.').filter((l) => l !== '' && !l.includes('$'));
  while (labels.length > 1 && (labels[0] === 'www' || labels[0] === 'api')) labels.shift();
  if (labels.length > 1) labels.pop();
  return identifier(labels.join('_') || 'api');
}

/** `post_customers` for POST /v1/customers, `get_issues` for GET /repos/OWNER/REPO/issues. */
export function actionName(method: string, path: string): string {
  const segments = path.split('?')[0]?.split('/') ?? [];
  for (const raw of segments.reverse()) {
    const segment = decodePart(raw)?.replace(/\.(?:json|xml)$/i, '') ?? raw;
    if (meaningful(segment)) return identifier(`${method.toLowerCase()}_${segment}`);
  }
  return identifier(method.toLowerCase());
}

/** Whether a path segment names a resource (not a version, an id, a placeholder or a format). */
function meaningful(segment: string): boolean {
  if (segment === '' || !/^[A-Za-z0-9._-]+$/.test(segment)) return false;
  if (/^(?:api|json|xml|rest)$/i.test(segment)) return false;
  if (/^v[0-9]+[a-z0-9]*(?:\.[0-9]+)*$/i.test(segment) || /^[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?$/.test(segment))
    return false;
  if (/^[0-9]+$/.test(segment) || /^[0-9a-f-]{16,}$/i.test(segment)) return false;
  // Placeholders as docs write them: OWNER, REPO, ISSUE_NUMBER.
  if (/^[A-Z][A-Z0-9_]*$/.test(segment) && segment.length > 1) return false;
  // Ids: letters and digits mixed, long (cus_NffrFeUfNV2Hib, AC0123…).
  return !(/[0-9]/.test(segment) && /[A-Za-z]/.test(segment) && segment.length >= 10);
}
