/**
 * What `slotwire run` prints and `test --record` writes never shows a
 * secret or a `sensitive:` slot's value (DESIGN.md, "Secrets and private
 * data"; issue 13, item 11): each occurrence becomes `***`, in the forms a
 * value takes on its way into a request (as is, percent-encoded in a path,
 * form-encoded, escaped inside JSON). A fixture matcher reads `***` as "any
 * value here" (fixtures.ts), so a masked recording still replays.
 */
import type { Plan } from '../compile/index.js';
import { MASK } from '../http/index.js';

/** Every secret a connection holds: auth fields, and headers that carry credentials. */
export function secretValues(plan: Plan): Set<string> {
  const out = new Set<string>();
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

/** Hidden values shorter than this are masked only as whole tokens. */
const SHORT_VALUE_CHARS = 4;

/**
 * `text` with every occurrence of a hidden value (in any of its encodings)
 * replaced by {@link MASK}. A short value (a party size of `4` marked
 * sensitive, a one-digit code) is masked only where it stands alone, between
 * non-alphanumerics: masking every `1` would turn `/v1/` and port numbers
 * into `***` and hide nothing worth hiding.
 */
export function maskText(text: string, hidden: ReadonlySet<string>): string {
  let out = text;
  for (const value of hidden) {
    for (const form of encodings(value)) {
      out = form.length >= SHORT_VALUE_CHARS ? out.split(form).join(MASK) : out.replace(wholeToken(form), MASK);
    }
  }
  return out;
}

/** `form` not glued to a letter or digit on either side. */
function wholeToken(form: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'gu');
}

/** A JSON value with {@link maskText} applied to every string and number. */
export function maskValue(value: unknown, hidden: ReadonlySet<string>): unknown {
  if (hidden.size === 0) return value;
  if (typeof value === 'string') return maskText(value, hidden);
  if (typeof value === 'number') {
    // A number that shows a hidden value becomes text: a fixture loses its type, the value stays hidden.
    const text = maskText(String(value), hidden);
    return text === String(value) ? value : text;
  }
  if (Array.isArray(value)) return value.map((v) => maskValue(v, hidden));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(v, hidden)]));
  return value;
}

/** The forms a value takes in a URL, a form body and a JSON string; longest first, so none leaves a tail. */
function encodings(value: string): string[] {
  const forms = new Set([
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
  ]);
  return [...forms].filter((f) => f !== '').sort((a, b) => b.length - a.length);
}
