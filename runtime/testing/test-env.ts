/**
 * The environment of a test run: what the case sets, and for every other
 * `${VAR}` a placeholder, so tests never need real URLs or secrets. The
 * placeholder is a valid URL (`http://var-name.env.test`) because the most
 * common variable is a base_url; as a token or a header it is just text.
 */
import type { Env } from '../config/index.js';

/** An env that answers every name. */
export function testEnv(values: Readonly<Record<string, string>> = {}): Env {
  return new Proxy(
    { ...values },
    {
      get: (target, name) => (typeof name === 'string' ? (target[name] ?? placeholder(name)) : undefined),
    },
  );
}

/**
 * `env` with a placeholder for every variable it does not set: the set ones
 * keep their values, so a wrong URL still shows (`validate
 * --placeholder-env`; the studio's check of a mapping before it writes).
 */
export function placeholderEnv(env: Env): Env {
  return testEnv(
    Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')),
  );
}

/** The placeholder for an unset variable. */
export function placeholder(name: string): string {
  return `http://${name.toLowerCase().replace(/_/g, '-')}.env.test`;
}
