/**
 * Values that are ready now or later. Most expressions run on the fast path
 * (compile/fast-path.ts) and give their value at once; only JSONata's
 * evaluator and the HTTP calls are asynchronous. Mapping a response through
 * `async` functions cost a promise and a microtask per value, 20 and more per
 * call; with these helpers a mapping stays synchronous until
 * something on its way really has to wait, and from there on is a promise.
 */

/** A value now, or a promise of it when something on the way had to wait. */
export type Pending<T> = T | Promise<T>;

/** Whether a value still has to be waited for. */
export function isWaiting<T>(value: Pending<T>): value is Promise<T> {
  return value instanceof Promise;
}

/**
 * `f` applied to a value once it is there: at once for a value, after it
 * for a promise. A throw of `f` is thrown at once, or rejects the promise.
 * (Not named `then`: a module exporting `then` is a thenable, and
 * `await import()` of it calls it.)
 */
export function andThen<T, R>(value: Pending<T>, f: (value: T) => Pending<R>): Pending<R> {
  return isWaiting(value) ? value.then(f) : f(value);
}

/**
 * `f` on each item, one after the other (a later item starts only once the
 * one before is there, as a `for … await` loop): synchronous while every
 * result is, a promise from the first one that is not.
 */
export function inOrder<T, R>(items: readonly T[], f: (item: T) => Pending<R>): Pending<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i++) {
    const result = f(items[i]);
    if (isWaiting(result)) return finish(items, f, out, i, result);
    out.push(result);
  }
  return out;
}

async function finish<T, R>(
  items: readonly T[],
  f: (item: T) => Pending<R>,
  out: R[],
  at: number,
  waiting: Promise<R>,
): Promise<R[]> {
  out.push(await waiting);
  for (let i = at + 1; i < items.length; i++) out.push(await f(items[i]));
  return out;
}
