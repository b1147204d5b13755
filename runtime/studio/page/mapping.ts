/**
 * The inline "set slot … to this" form under a response field: the slot
 * name comes with suggestions (what the action sets, then the domain's
 * slots), and the server writes the mapping into actions.yml.
 */
import type { StudioMapResult } from '../api.js';
import { mapField } from './api.js';
import { el, newId } from './dom.js';
import { busy } from './feedback.js';
import { pathText } from './tree.js';
import type { FieldPath } from './tree.js';

/** What the form needs to know about the run it maps from. */
export interface MapContext {
  readonly runId: string;
  /** Index of the exchange in the run. */
  readonly exchange: number;
  /** What the server writes before the path: `response.body` or `steps.<name>.body`. */
  readonly bodyPath: string;
  /** Suggested slot names. */
  readonly slots: readonly string[];
  /** Called with what the server did (the form is gone by then: the result is redrawn). */
  readonly onMapped: (result: StudioMapResult) => void;
}

/** Opens the form in `place`, or closes it when it is open there. */
export function toggleMapForm(cx: MapContext, path: FieldPath, place: HTMLElement, button: HTMLButtonElement): void {
  if (place.firstChild) {
    place.replaceChildren();
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  const inputId = newId('slot');
  const listId = newId('slots');
  const errorId = newId('error');
  const field = pathText(path, cx.bodyPath);
  const input = el('input', {
    id: inputId,
    name: 'slot',
    list: listId,
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    'data-field': 'slot',
  });
  const close = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const form = el(
    'form',
    { class: 'map-form', 'aria-label': `Map ${field}` },
    el('label', { for: inputId }, 'Set slot'),
    ' ',
    input,
    el('datalist', { id: listId }, ...cx.slots.map((s) => el('option', { value: s }))),
    ' to ',
    el('code', {}, field),
    ' ',
    el('button', { type: 'submit' }, 'Set slot'),
    ' ',
    close,
    el('p', { class: 'error', id: errorId, role: 'alert', hidden: true }),
  );
  close.addEventListener('click', () => {
    toggleMapForm(cx, path, place, button);
    button.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(form, async () =>
      cx.onMapped(await mapField({ runId: cx.runId, exchange: cx.exchange, path, slot: input.value.trim() })),
    );
  });
  place.replaceChildren(form);
  button.setAttribute('aria-expanded', 'true');
  input.focus();
}
