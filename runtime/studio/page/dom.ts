/**
 * A tiny element builder: the page is plain DOM (no UI library),
 * and every piece of text goes in as a text node, never as HTML, so a
 * response body can show nothing but text.
 */

/** What a child may be: an element, text, or nothing (skipped). */
export type Child = Node | string | number | null | undefined | false;

/** Attributes and listeners: `on*` functions are listeners, `true` is a bare attribute, `false`/null/undefined are left out. */
export type Attrs = Readonly<Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>>;

/**
 * `el('button', { type: 'button', onclick: run }, 'Run')`.
 * @returns the element, of the tag's own type
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  node.append(...nodes(children));
  return node;
}

/** Replaces what `parent` shows. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...nodes(children));
}

function nodes(children: readonly Child[]): (Node | string)[] {
  return children.flatMap((c) =>
    c === null || c === undefined || c === false ? [] : [typeof c === 'number' ? String(c) : c],
  );
}

/** A value as one line of text: strings as they are, the rest as JSON. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

// A counter, not crypto.randomUUID(): that needs a secure context, and --host may serve plain http off loopback.
let ids = 0;

/** A new id for a label's `for` or an `aria-describedby`. */
export function newId(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}
