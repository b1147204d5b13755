/**
 * The form for one action: an input per slot it reads, typed as the
 * server says (StudioSlotInput.type), a fixture to fill it from, and the
 * three ways to run it. Values are read as `slotwire run --slot` reads
 * them: a list or an untyped slot is JSON when it parses, else text.
 */
import type { StudioAction, StudioRunMode, StudioRunRequest, StudioSlotInput } from '../api.js';
import { el, newId, text } from './dom.js';
import { busy, FieldError } from './feedback.js';

/** Options of {@link actionForm}. */
export interface FormOptions {
  /** Runs the request and shows its result; a rejection is shown in the form. */
  readonly onRun: (request: StudioRunRequest) => Promise<void>;
  /** What the form showed before it was drawn again ({@link formValues}); else the first fixture fills it. */
  readonly typed?: Readonly<Record<string, string>>;
}

/** Field name of the fixture select; a slot's input is named `slot:<name>` ({@link fieldOf}), so no slot name can clash with it. */
const FIXTURE = 'fixture';

function fieldOf(slot: StudioSlotInput): string {
  return `slot:${slot.name}`;
}

/** What a form shows, by field name, to draw it again as it was. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries(
    [...new FormData(form)].flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
  );
}

/** The form of `action`. */
export function actionForm(action: StudioAction, options: FormOptions): HTMLFormElement {
  const inputs = new Map(action.reads.map((slot) => [slot.name, slotInput(slot)]));
  const fixtureId = newId('fixture');
  const fixture = el(
    'select',
    { id: fixtureId, name: FIXTURE, 'data-field': 'fixture' },
    el('option', { value: '' }, action.fixtures.length === 0 ? '(no test case with fixtures)' : '(none)'),
    ...action.fixtures.map((f) => el('option', { value: f.index }, f.name)),
  );
  const fill = (): void => {
    const chosen = action.fixtures.find((f) => String(f.index) === fixture.value);
    if (chosen) for (const [name, input] of inputs) setValue(input, chosen.slots[name]);
  };
  fixture.addEventListener('change', fill);
  const { typed } = options;
  if (typed && Object.keys(typed).length > 0) {
    fixture.value = typed[FIXTURE] ?? '';
    for (const input of inputs.values()) input.control.value = typed[input.control.name] ?? UNSET;
  } else if (action.fixtures[0]) {
    fixture.value = String(action.fixtures[0].index);
    fill();
  }

  const form = el('form', { class: 'action-form', 'aria-label': `Run ${action.name}`, 'data-action': action.name });
  const run = (mode: StudioRunMode): void => {
    void busy(form, async () => {
      if (mode === 'fixture' && fixture.value === '')
        throw new FieldError('choose a test case whose fixtures answer the calls', 'fixture');
      // The page never gets a case's sensitive value (it shows ***), so a live call would send "***" itself.
      const masked =
        mode === 'live' ? [...inputs.values()].find((i) => i.slot.sensitive && i.control.value === MASK) : undefined;
      if (masked)
        throw new FieldError(
          `type the value of ${masked.slot.name} for a live run: the test case's value is not shown to the page`,
          fieldOf(masked.slot),
        );
      await options.onRun({
        action: action.name,
        slots: values(inputs),
        mode,
        ...(mode === 'fixture' ? { fixture: Number(fixture.value) } : {}),
      });
    });
  };
  const button = (mode: StudioRunMode, label: string, disabled = false): HTMLButtonElement => {
    const b = el('button', { type: mode === 'fixture' ? 'submit' : 'button', disabled }, label);
    if (mode !== 'fixture') b.addEventListener('click', () => run(mode));
    return b;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run('fixture');
  });
  form.append(
    el('div', { class: 'field' }, el('label', { for: fixtureId }, 'Test case (fixtures)'), fixture),
    el(
      'fieldset',
      { 'data-field': 'slots' },
      el('legend', {}, 'Slots it reads'),
      action.reads.length === 0 ? el('p', { class: 'quiet' }, 'This action reads no slots.') : null,
      ...[...inputs.values()].map((i) => i.row),
    ),
    el(
      'div',
      { class: 'buttons' },
      button('fixture', 'Run with fixture', action.fixtures.length === 0),
      button('live', action.changesData ? 'Run live (asks before changing data)' : 'Run live'),
      button('dry-run', 'Dry run'),
    ),
    el('p', { class: 'error', role: 'alert', hidden: true }),
  );
  return form;
}

/** A slot's input, in its labelled row. */
interface SlotInput {
  readonly slot: StudioSlotInput;
  readonly control: HTMLInputElement | HTMLSelectElement;
  readonly row: HTMLElement;
}

const UNSET = '';
const MASK = '***';

function slotInput(slot: StudioSlotInput): SlotInput {
  const id = newId('slot');
  const common = { id, name: fieldOf(slot), 'data-field': fieldOf(slot) };
  let control: HTMLInputElement | HTMLSelectElement;
  if (slot.type === 'boolean' || slot.type === 'choice') {
    const choices = slot.type === 'boolean' ? ['true', 'false'] : slot.choices;
    control = el(
      'select',
      common,
      el('option', { value: UNSET }, '(not set)'),
      ...choices.map((c) => el('option', { value: c }, c)),
    );
  } else {
    control = el('input', {
      ...common,
      type: slot.sensitive ? 'password' : slot.type === 'number' ? 'number' : 'text',
      step: slot.type === 'number' ? 'any' : null,
      autocomplete: 'off',
      spellcheck: 'false',
    });
  }
  const hint = [
    slot.type === 'list' || slot.type === 'any' ? `${slot.type}: JSON or text` : slot.type,
    slot.from ? `from the ${slot.from === 'domain' ? 'domain' : 'test file'}` : null,
    slot.sensitive ? 'sensitive' : null,
  ]
    .filter(Boolean)
    .join(', ');
  const row = el(
    'div',
    { class: 'field' },
    el('label', { for: id }, slot.name, ' ', el('span', { class: 'quiet' }, `(${hint})`)),
    control,
  );
  return { slot, control, row };
}

/** Puts a fixture's value in an input (as text the user could have typed). */
function setValue(input: SlotInput, value: unknown): void {
  input.control.value = value === undefined || value === null ? UNSET : text(value);
}

/** The form's slot values; a slot left empty is not sent. */
function values(inputs: ReadonlyMap<string, SlotInput>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, { slot, control }] of inputs) {
    const raw = control.value;
    if (raw === UNSET) continue;
    // A fixture's sensitive value comes masked; sent back as is, the server uses the case's own.
    if (slot.sensitive && raw === MASK) out[name] = raw;
    else
      out[name] =
        slot.type === 'number'
          ? Number(raw)
          : slot.type === 'boolean'
            ? raw === 'true'
            : slot.type === 'list' || slot.type === 'any'
              ? parsed(raw)
              : raw;
  }
  return out;
}

/** JSON when it parses, else the text (as `slotwire run --slot`). */
function parsed(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
