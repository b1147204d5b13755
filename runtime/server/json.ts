/** The app's answers: every body is JSON with a JSON content type. */
import type { WebhookFailure } from '../call-rules/index.js';
import { failureResponse } from './failure-response.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** A JSON answer: Rasa treats any other 2xx as an empty result. */
export function json(body: unknown, status = 200, headers: Readonly<Record<string, string>> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** A failure as its HTTP answer (failure-response.ts). */
export function failureJson(failure: WebhookFailure): Response {
  const { status, body, headers } = failureResponse(failure);
  return json(body, status, headers);
}
