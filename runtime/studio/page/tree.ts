/**
 * A response body as a collapsible tree. Lists and objects open and close
 * with a button (aria-expanded), so the keyboard works as the mouse does;
 * every field, leaf or not, has its own "Map…" button, which is how a person
 * says "set a slot to this" (docs/studio.md#the-page).
 */
import { el, newId } from './dom.js';

/** A field's place in the body: names and list positions from the root. */
export type FieldPath = readonly (string | number)[];

/** Options of {@link jsonTree}. */
export interface TreeOptions {
  /**
   * Called when a field's "Map…" button is pressed, with the field and an
   * empty element just under its row, where a form can go.
   */
  readonly onMap: (path: FieldPath, place: HTMLElement, button: HTMLButtonElement) => void;
  /** Levels open at first; deeper ones start closed. Default: 3 */
  readonly openLevels?: number;
}

/** The tree of `value` (an object or a list). */
export function jsonTree(value: unknown, options: TreeOptions): HTMLElement {
  return el('ul', { class: 'tree' }, ...fields(value, [], options));
}

/** `times[0].time` (or `response.body.times[0].time` with a root), as a person reads a field. */
export function pathText(path: FieldPath, root = ''): string {
  return path.reduce<string>(
    (text, p) =>
      typeof p === 'number'
        ? `${text}[${p}]`
        : /^[A-Za-z_$][\w$]*$/.test(p)
          ? `${text}${text ? '.' : ''}${p}`
          : `${text}[${JSON.stringify(p)}]`,
    root,
  );
}

/** Fields drawn at once per list or object: a long answer draws the rest on request, so the page stays quick. */
const FIELDS_AT_ONCE = 100;

function fields(value: unknown, path: FieldPath, options: TreeOptions): HTMLElement[] {
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  return drawFrom(entries, 0, path, options);
}

function drawFrom(
  entries: readonly [string | number, unknown][],
  start: number,
  path: FieldPath,
  options: TreeOptions,
): HTMLElement[] {
  const drawn = entries
    .slice(start, start + FIELDS_AT_ONCE)
    .map(([key, child]) => field(key, child, [...path, key], options));
  const left = entries.length - start - FIELDS_AT_ONCE;
  if (left <= 0) return drawn;
  const more = el(
    'button',
    { type: 'button', class: 'more' },
    `Show ${Math.min(left, FIELDS_AT_ONCE)} more of ${left}`,
  );
  const item = el('li', { class: 'node' }, more);
  more.addEventListener('click', () => {
    const next = drawFrom(entries, start + FIELDS_AT_ONCE, path, options);
    item.replaceWith(...next);
    next[0]?.querySelector<HTMLElement>('button')?.focus();
  });
  return [...drawn, item];
}

function field(key: string | number, value: unknown, path: FieldPath, options: TreeOptions): HTMLElement {
  const place = el('div', { class: 'map-place' });
  const name = pathText(path);
  const map = el(
    'button',
    {
      type: 'button',
      class: 'map',
      'aria-label': `Map ${name} to a slot`,
      'aria-expanded': 'false',
      title: `Set a slot to ${name}`,
    },
    'Map…',
  );
  map.addEventListener('click', () => options.onMap(path, place, map));
  const label = typeof key === 'number' ? `[${key}]` : key;
  if (value === null || typeof value !== 'object') {
    return el(
      'li',
      { class: 'node' },
      el('div', { class: 'row' }, el('span', {}, el('span', { class: 'key' }, label), ': ', leaf(value)), map),
      place,
    );
  }
  const size = Array.isArray(value) ? `[${value.length}]` : `{${Object.keys(value).length}}`;
  const childrenId = newId('tree');
  const open = path.length < (options.openLevels ?? 3);
  const children = el('ul', { id: childrenId, hidden: !open }, ...fields(value, path, options));
  const toggle = el(
    'button',
    { type: 'button', class: 'toggle', 'aria-expanded': String(open), 'aria-controls': childrenId },
    el('span', { class: 'key' }, label),
    ' ',
    el('span', { class: 'size' }, size),
  );
  toggle.addEventListener('click', () => {
    const opening = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(opening));
    children.hidden = !opening;
  });
  return el('li', { class: 'node' }, el('div', { class: 'row' }, toggle, map), place, children);
}

function leaf(value: unknown): HTMLElement {
  const kind = value === null ? 'null' : typeof value;
  return el('span', { class: `value ${kind}` }, JSON.stringify(value) ?? String(value));
}
