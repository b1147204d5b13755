/**
 * Small pieces the demo API's routes share: JSON error bodies, reading a
 * bearer token, parsing "HH:MM" times. Every error is JSON with an `error`
 * code and a `message`, the way most public APIs answer.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** A JSON error answer: `{ error, message, ...extra }`. */
export function fail(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  return c.json({ error, message, ...extra }, status);
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(c: Context): string | null {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

/** A 401 for a missing or wrong bearer token (RFC 6750 §3). */
export function unauthorized(c: Context, realm: string, message: string): Response {
  c.header('WWW-Authenticate', `Bearer realm="${realm}", error="invalid_token"`);
  return fail(c, 401, 'unauthorized', message);
}

/**
 * Minutes after midnight of "19:00", "7:30" or an ISO date-time
 * ("2025-06-01T19:00:00"); null when it is none of these.
 */
export function minutesOf(time: string): number | null {
  const match = /(?:^|T)(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.exec(time.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

/** "19:00" from minutes after midnight. */
export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** FNV-1a: a stable 32-bit hash, so derived data is the same on every run. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
