/**
 * Hiding values in what is shown of an exchange: `slotwire run`'s output,
 * the studio's page, recorded fixtures, the engine's log lines. Each
 * occurrence of a hidden value (a connection's secret, a `sensitive:` slot's
 * value) becomes {@link MASK}, in the forms a value takes on its way into a
 * request: as is, percent-encoded in a path, form-encoded, escaped inside
 * JSON. A fixture matcher reads `***` as "any value here"
 * (testing/fixtures.ts), so a masked recording still replays.
 */
import { MASK } from './defaults.js';
import type { AuthPolicy, ConnectionPolicy } from './types.js';

/** Hidden values shorter than this are masked only as whole tokens. */
const SHORT_VALUE_CHARS = 4;

/**
 * `text` with every occurrence of a hidden value (in any of its encodings)
 * replaced by {@link MASK}, whole or inside a longer text (`Bearer <secret>`,
 * a URL). A short value (a party size of `4` marked sensitive, a one-digit
 * code) is masked only where it stands alone, between non-alphanumerics:
 * masking every `1` would turn `/v1/` and port numbers into `***` and hide
 * nothing worth hiding.
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

/**
 * True for a header whose value is a credential: wider than config's
 * `credentialHeaders` (which flags literals in the file), because hiding a
 * harmless value costs nothing and showing a key costs a rotation.
 */
export function isCredentialHeader(name: string): boolean {
  return /authorization|cookie|key|token|secret/i.test(name);
}

/**
 * Every secret the connections hold: each value `${VAR}` put into a header
 * or an auth field, whatever the header is called (`fromVariables`); and,
 * by name, auth fields and credential headers typed into the file.
 */
export function secretValuesOf(
  connections: readonly ConnectionPolicy[],
  fromVariables: ReadonlySet<string>,
): Set<string> {
  const out = new Set<string>(fromVariables);
  for (const c of connections) {
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

/** A connection as it may be shown: its secrets, auth fields and TLS key as {@link MASK}. */
export function maskedConnection(connection: ConnectionPolicy, secrets: ReadonlySet<string>): ConnectionPolicy {
  const headers = Object.fromEntries(
    Object.entries(connection.headers).map(([name, value]) => [
      name,
      isCredentialHeader(name) ? MASK : maskText(value, secrets),
    ]),
  );
  // A client key is a secret; the CA and certificate are public, but only their presence matters to a reader.
  const tls = connection.tls === null ? null : { ...connection.tls, ...(connection.tls.key ? { key: MASK } : {}) };
  return { ...connection, headers, auth: maskedAuth(connection.auth), tls };
}

function maskedAuth(auth: AuthPolicy | null): AuthPolicy | null {
  if (auth === null) return null;
  switch (auth.type) {
    case 'bearer':
      return { ...auth, token: MASK };
    case 'basic':
      return { ...auth, password: MASK };
    case 'api_key':
      return { ...auth, value: MASK };
    case 'oauth2_client_credentials':
      return { ...auth, clientSecret: MASK };
  }
}
