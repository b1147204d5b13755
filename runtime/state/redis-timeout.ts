/**
 * The store's bound on one Redis command. ioredis's own `commandTimeout`
 * rejects with a plain Error that has neither a class nor a `code` of its
 * own, so a timeout could only be told from other failures by its message.
 * The store bounds its commands itself instead and knows a timeout by its
 * type: RedisTimeout.
 */

/** A command that got no reply within the bound. The server may still apply it later. */
export class RedisTimeout extends Error {
  constructor() {
    super('Command timed out');
    this.name = 'RedisTimeout';
  }
}

/**
 * `command`'s outcome, or a RedisTimeout once `ms` have passed. The command
 * is not withdrawn (ioredis keeps it and a stalled server may still apply
 * it when it resumes), it is only no longer waited for.
 */
export function within<T>(command: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RedisTimeout()), ms);
  });
  return Promise.race([command, late]).finally(() => clearTimeout(timer));
}
