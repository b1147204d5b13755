/**
 * A run's result as a person reads it: the calls, the outcome, the slots
 * set, what the bot would say (buttons drawn as buttons), other events and
 * warnings; a held live run asks before sending; a run can be saved as a
 * test case.
 */
import type { StudioExchange, StudioRunResult } from '../api.js';
import { saveTest } from './api.js';
import { el, newId, text } from './dom.js';
import type { Child } from './dom.js';
import { exchangeView } from './exchange.js';
import { busy } from './feedback.js';
import type { MapContext } from './mapping.js';

/** What the result view calls back to. */
export interface ResultOptions {
  /** Slot names a mapping may target (the action's `sets`, then the domain's). */
  readonly slots: readonly string[];
  readonly onMapped: MapContext['onMapped'];
  /** Runs the same again with `confirmed: true` (the user pressed "Send…"). */
  readonly onConfirm: () => Promise<void>;
}

/** The view of `run`. */
export function resultView(run: StudioRunResult, options: ResultOptions): HTMLElement {
  const map = { runId: run.runId, slots: options.slots, onMapped: options.onMapped };
  return el(
    'div',
    { class: 'result' },
    run.needsConfirmation
      ? confirmBox(
          run.exchanges.filter((x) => x.held),
          options.onConfirm,
        )
      : null,
    el('h2', { tabindex: -1 }, `${run.action}: ${MODE_NAMES[run.mode]}`),
    run.exchanges.length === 0 ? el('p', { class: 'quiet' }, 'No HTTP calls.') : null,
    ...run.exchanges.map((exchange, i) => exchangeView(exchange, i, map)),
    outcomeView(run.outcome),
    slotsView(run.slots),
    block('Messages', run.messages.length === 0 ? null : el('ol', { class: 'chat' }, ...run.messages.map(bubble))),
    block(
      'Other events',
      run.events.length === 0
        ? null
        : el('ul', { class: 'events' }, ...run.events.map((e) => el('li', {}, el('code', {}, text(e))))),
    ),
    block(
      'Warnings',
      run.warnings.length === 0 ? null : el('ul', { class: 'warnings' }, ...run.warnings.map((w) => el('li', {}, w))),
    ),
    run.outcome.status === 'held' ? null : saveForm(run.runId),
  );
}

const MODE_NAMES: Readonly<Record<StudioRunResult['mode'], string>> = {
  fixture: 'run with fixture',
  live: 'live run',
  'dry-run': 'dry run',
};

/** A live run held a call that changes data: show what would go, and send only on an explicit press. */
function confirmBox(held: readonly StudioExchange[], onConfirm: () => Promise<void>): HTMLElement {
  const first = held[0];
  const label = first ? `Send the ${first.request.method} to ${first.request.url}` : 'Send';
  const button = el(
    'button',
    { type: 'button', class: 'danger' },
    held.length > 1 ? `${label} (and ${held.length - 1} more)` : label,
  );
  const box = el(
    'section',
    { class: 'confirm', 'aria-label': 'Confirm sending' },
    el('h2', {}, 'Nothing was sent yet'),
    el('p', {}, 'This action changes data. Check what would be sent, then send it:'),
    ...held.map((x) =>
      el(
        'div',
        { class: 'would-send' },
        el('code', {}, `${x.request.method} ${x.request.url}`),
        x.request.body === null ? null : el('pre', { class: 'body' }, x.request.body),
      ),
    ),
    button,
    el('p', { class: 'error', role: 'alert', hidden: true }),
  );
  button.addEventListener('click', () => void busy(box, onConfirm));
  return box;
}

function outcomeView(outcome: StudioRunResult['outcome']): HTMLElement {
  const { error } = outcome;
  return el(
    'section',
    { class: `outcome is-${outcome.status}` },
    el('h3', {}, 'Outcome: ', el('span', { class: 'badge' }, outcome.status)),
    outcome.message === null ? null : el('p', {}, outcome.message),
    error === null
      ? null
      : el(
          'dl',
          { class: 'facts' },
          ...(
            [
              ['Kind', error.kind],
              ['Reason', error.reason],
              ['Status', error.status],
              ['Code', error.code],
              ['Message', error.message],
            ] as const
          )
            .filter(([, v]) => v !== null)
            .flatMap(([name, v]) => [el('dt', {}, name), el('dd', {}, v)]),
        ),
  );
}

function slotsView(slots: StudioRunResult['slots']): HTMLElement {
  return block(
    'Slots set',
    slots.length === 0
      ? null
      : el(
          'table',
          { class: 'kv slots' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Slot'), el('th', { scope: 'col' }, 'Value'))),
          el(
            'tbody',
            {},
            ...slots.map((s) =>
              el(
                'tr',
                { 'data-slot': s.name },
                el('th', { scope: 'row' }, s.name),
                el('td', {}, el('code', {}, s.sensitive ? '*** (sensitive)' : (JSON.stringify(s.value) ?? 'null'))),
              ),
            ),
          ),
        ),
  );
}

/** A section that says "none" when it has nothing. */
function block(title: string, content: Child): HTMLElement {
  return el('section', { class: 'part' }, el('h3', {}, title), content || el('p', { class: 'quiet' }, 'None.'));
}

/** One message as the user would see it in a chat. */
function bubble(message: Readonly<Record<string, unknown>>): HTMLElement {
  const { text: said, buttons, image, ...rest } = message;
  const other = Object.entries(rest).filter(
    ([, v]) =>
      v !== null &&
      v !== undefined &&
      !(Array.isArray(v) && v.length === 0) &&
      !(typeof v === 'object' && Object.keys(v).length === 0),
  );
  return el(
    'li',
    { class: 'bubble' },
    typeof said === 'string' && said !== '' ? el('p', {}, said) : null,
    imageView(image),
    Array.isArray(buttons) && buttons.length > 0 ? el('div', { class: 'buttons' }, ...buttons.map(buttonView)) : null,
    other.length === 0
      ? null
      : el(
          'dl',
          { class: 'facts' },
          ...other.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, el('code', {}, text(v)))]),
        ),
  );
}

/** Drawn as the chat would draw it; pressing it does nothing here, its payload is its title. */
function buttonView(button: unknown): HTMLElement {
  const { title, payload } = (button ?? {}) as { title?: unknown; payload?: unknown };
  return el('button', { type: 'button', disabled: true, title: `payload: ${text(payload ?? '')}` }, text(title ?? ''));
}

/** An image only when it is an http(s) URL; anything else is shown as text. */
function imageView(image: unknown): Child {
  if (image === undefined || image === null || image === '') return null;
  if (typeof image === 'string' && /^https?:\/\//.test(image))
    return el('img', { src: image, alt: `image: ${image}`, class: 'image' });
  return el('p', {}, 'image: ', el('code', {}, text(image)));
}

function saveForm(runId: string): HTMLElement {
  const id = newId('case');
  const input = el('input', { id, name: 'name', required: true, 'data-field': 'name', autocomplete: 'off' });
  const done = el('p', { class: 'done', role: 'status' });
  const form = el(
    'form',
    { class: 'save-test' },
    el('h3', {}, 'Save this exchange as a test case'),
    el('label', { for: id }, 'Test case name'),
    ' ',
    input,
    ' ',
    el('button', { type: 'submit' }, 'Save test case'),
    el('p', { class: 'error', role: 'alert', hidden: true }),
    done,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(form, async () => {
      done.textContent = '';
      const saved = await saveTest({ runId, name: input.value.trim() });
      done.textContent = `Saved: ${saved.testFile}, line ${saved.line}. slotwire test runs it.`;
    });
  });
  return form;
}
