/**
 * One upstream call as a person reads it: what was sent (method, URL,
 * headers, body), what came back (status, time, attempts, headers) and the
 * answer as a tree whose fields can be mapped to slots.
 */
import type { StudioExchange } from '../api.js';
import { el, text } from './dom.js';
import type { Child } from './dom.js';
import { toggleMapForm } from './mapping.js';
import type { MapContext } from './mapping.js';
import { jsonTree } from './tree.js';

/** Exchange number `index` of a run; `map` names the run its fields are mapped from. */
export function exchangeView(
  exchange: StudioExchange,
  index: number,
  map: Omit<MapContext, 'exchange' | 'bodyPath'>,
): HTMLElement {
  const { request, response } = exchange;
  const facts: [string, Child][] = [
    ['Step', exchange.step],
    [
      'Status',
      response
        ? el('span', { class: `status s${String(response.status)[0]}xx` }, response.status)
        : exchange.held
          ? 'not sent'
          : 'no answer',
    ],
    ['Time', `${exchange.timeMs} ms`],
    ['Attempts', exchange.attempts],
    ['From cache', exchange.fromCache ? 'yes' : 'no'],
  ];
  return el(
    'article',
    { class: 'exchange', 'aria-label': `Call ${index + 1}: ${request.method} ${request.url}` },
    el('h3', {}, el('span', { class: 'method' }, request.method), ' ', el('span', { class: 'url' }, request.url)),
    el('dl', { class: 'facts' }, ...facts.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)])),
    exchange.held ? el('p', { class: 'note held' }, 'Held back: this call was not sent.') : null,
    exchange.error && !exchange.held
      ? el(
          'p',
          { class: 'note bad' },
          `${exchange.error.kind}${exchange.error.code ? ` (${exchange.error.code})` : ''}: ${exchange.error.message}`,
        )
      : null,
    section(
      'Request',
      headersTable(request.headers, 'Request headers'),
      request.body === null ? null : el('pre', { class: 'body' }, pretty(request.body)),
    ),
    response === null
      ? null
      : section(
          'Response',
          el(
            'details',
            { class: 'headers' },
            el('summary', {}, `Headers (${Object.keys(response.headers).length})`),
            headersTable(response.headers, 'Response headers'),
          ),
          bodyView(response.body, { ...map, exchange: index, bodyPath: exchange.bodyPath }),
        ),
  );
}

function section(title: string, ...children: Child[]): HTMLElement {
  return el('section', { class: 'part' }, el('h4', {}, title), ...children);
}

function headersTable(headers: Readonly<Record<string, string>>, caption: string): HTMLElement {
  const rows = Object.entries(headers);
  if (rows.length === 0) return el('p', { class: 'quiet' }, 'No headers.');
  return el(
    'table',
    { class: 'kv' },
    el('caption', { class: 'visually-hidden' }, caption),
    el(
      'tbody',
      {},
      ...rows.map(([name, value]) => el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, value))),
    ),
  );
}

/** A JSON answer as a tree to map from; text as text. */
function bodyView(body: unknown, map: MapContext): HTMLElement {
  if (body === null || typeof body !== 'object')
    return el('pre', { class: 'body' }, body === null ? 'No body.' : text(body));
  if (Object.keys(body).length === 0) return el('pre', { class: 'body' }, text(body));
  return el(
    'div',
    { class: 'body-tree' },
    el('p', { class: 'quiet' }, `Body: press "Map…" beside a field to set a slot to it (${map.bodyPath}…).`),
    jsonTree(body, { onMap: (path, place, button) => toggleMapForm(map, path, place, button) }),
  );
}

/** A sent body: JSON indented, anything else as it is. */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
