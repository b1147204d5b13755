/**
 * What `slotwire run` prints, the studio shows and `test --record` writes
 * never shows a secret or a `sensitive:` slot's value: the values to hide,
 * each masked by http/mask.ts wherever it appears.
 */
import type { Plan } from '../compile/index.js';

export { maskText, maskValue } from '../http/index.js';

/**
 * Every secret a connection holds: each value `${VAR}` put into a header or
 * an auth field, whatever the header is called (Plan.secrets); and, by
 * name, auth fields and credential headers typed into the file.
 */
export function secretValues(plan: Plan): Set<string> {
  const out = new Set<string>(plan.secrets);
  for (const c of plan.connections) {
    const a = c.auth;
    if (a?.type === 'bearer') out.add(a.token);
    if (a?.type === 'basic') out.add(a.password);
    if (a?.type === 'api_key') out.add(a.value);
    if (a?.type === 'oauth2_client_credentials') out.add(a.clientSecret);
    for (const [name, value] of Object.entries(c.headers)) if (isCredentialHeader(name)) out.add(value);
  }
  out.delete('');
  return out;
}

/**
 * True for a header whose value is a credential: wider than config's
 * `credentialHeaders` (which flags literals in the file), because hiding a
 * harmless value costs nothing and showing a key costs a rotation.
 */
export function isCredentialHeader(name: string): boolean {
  return /authorization|cookie|key|token|secret/i.test(name);
}

/**
 * The values of `sensitive` slots found in `slots`, as the text they become
 * in a request. Strings and numbers only: a boolean or null hides nothing.
 */
export function sensitiveValues(
  sensitive: readonly string[],
  ...slotMaps: readonly Readonly<Record<string, unknown>>[]
): Set<string> {
  const out = new Set<string>();
  for (const slots of slotMaps) {
    for (const name of sensitive) {
      const value = slots[name];
      if ((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value)))
        out.add(String(value));
    }
  }
  return out;
}
