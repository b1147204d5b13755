/**
 * The authoring page (docs/studio.md): the file's actions and
 * diagnostics, live as the file changes on disk; one action's form; the
 * last run's result. The files are the source of truth: what the page
 * shows comes from the server each time, and it keeps only what the user
 * is doing (the action open, the last run).
 */
import type { StudioAction, StudioMapResult, StudioRunRequest, StudioRunResult, StudioState } from '../api.js';
import { getState, runAction, watchChanges } from './api.js';
import type { Connection } from './api.js';
import { el, show } from './dom.js';
import { actionForm, formValues } from './form.js';
import { actionList, diagnosticList, summary } from './overview.js';
import { resultView } from './result.js';

/** The page's parts, found once in index.html. */
interface Parts {
  readonly file: HTMLElement;
  readonly summary: HTMLElement;
  readonly live: HTMLElement;
  readonly actions: HTMLElement;
  readonly diagnostics: HTMLElement;
  readonly action: HTMLElement;
  readonly result: HTMLElement;
  readonly status: HTMLElement;
}

function parts(): Parts {
  const get = (id: string): HTMLElement => {
    const found = document.getElementById(id);
    if (!found) throw new Error(`index.html has no #${id}`);
    return found;
  };
  return {
    file: get('file'),
    summary: get('summary'),
    live: get('live'),
    actions: get('actions'),
    diagnostics: get('diagnostics'),
    action: get('action'),
    result: get('result'),
    status: get('status'),
  };
}

function start(): void {
  const ui = parts();
  let state: StudioState | null = null;
  let selected: string | null = decodeURIComponent(location.hash.slice(1)) || null;
  /** What the open form was drawn from: redrawn only when that changes, so typed values stay. */
  let formKey = '';
  let lastRequest: StudioRunRequest | null = null;

  const refresh = async (): Promise<void> => {
    let next: StudioState;
    try {
      next = await getState();
    } catch (err) {
      show(ui.summary, el('span', { class: 'summary bad' }, err instanceof Error ? err.message : String(err)));
      return;
    }
    // Two changes close together: an older answer must not replace a newer one.
    if (state !== null && next.version < state.version) return;
    state = next;
    document.title = `${next.file} · slotwire studio`;
    show(ui.file, next.file);
    show(ui.summary, summary(next));
    show(ui.actions, actionList(next.actions, selected, select));
    show(
      ui.diagnostics,
      next.ok
        ? null
        : el('p', { class: 'note bad' }, 'The file has errors: the actions shown are those of its last good version.'),
      diagnosticList(next.diagnostics),
    );
    drawAction();
  };

  const select = (name: string): void => {
    selected = name;
    history.replaceState(null, '', `#${encodeURIComponent(name)}`);
    formKey = '';
    // A result belongs to its action: another action starts with none.
    lastRequest = null;
    show(ui.result);
    show(ui.status);
    if (state) show(ui.actions, actionList(state.actions, selected, select));
    drawAction();
    ui.action.querySelector<HTMLElement>('h2')?.focus();
  };

  const drawAction = (): void => {
    const action = state?.actions.find((a) => a.name === selected);
    if (!action) {
      formKey = '';
      show(
        ui.action,
        el('h2', { tabindex: -1 }, 'Choose an action'),
        el(
          'p',
          { class: 'quiet' },
          selected ? `There is no action "${selected}" in the file now.` : 'Pick one in the list to run it.',
        ),
      );
      return;
    }
    const key = JSON.stringify([action.name, action.reads, action.fixtures]);
    if (key === formKey) {
      ui.action.querySelector('.action-head')?.replaceWith(actionHead(action));
      return;
    }
    // The same action changed (a case saved, a slot's type edited): what was typed stays.
    const previous = ui.action.querySelector<HTMLFormElement>(
      `form.action-form[data-action="${CSS.escape(action.name)}"]`,
    );
    const typed = previous ? formValues(previous) : {};
    formKey = key;
    show(ui.action, actionHead(action), actionForm(action, { onRun: run, typed }));
  };

  const run = async (request: StudioRunRequest): Promise<void> => {
    show(ui.status, `Running ${request.action}…`);
    const result = await runAction(request);
    lastRequest = request;
    drawResult(result, null);
  };

  const drawResult = (result: StudioRunResult, mapped: StudioMapResult | null): void => {
    // Pressed inside the result (confirm, map): the control is gone once redrawn, so focus goes to the new result's start.
    const focusInside = ui.result.contains(document.activeElement);
    const action = state?.actions.find((a) => a.name === result.action);
    const slots = [...new Set([...(action?.sets ?? []), ...(state?.domainSlots ?? [])])];
    show(
      ui.result,
      mapped
        ? el(
            'p',
            { class: 'note good', role: 'status', tabindex: -1 },
            'Wrote ',
            el('code', {}, `${mapped.expression}`),
            ` on line ${mapped.line} of ${state?.file ?? 'the actions file'}; the run below is done again with it.`,
          )
        : null,
      resultView(result, {
        slots,
        onMapped: (m) => drawResult(m.run, m),
        onConfirm: async () => {
          if (lastRequest) await run({ ...lastRequest, confirmed: true });
        },
      }),
    );
    show(ui.status, statusLine(result));
    if (focusInside) ui.result.querySelector<HTMLElement>('[tabindex="-1"]')?.focus();
  };

  watchChanges(
    () => void refresh(),
    (connection) => {
      const [label, title] = CONNECTION_TEXT[connection];
      ui.live.className = `live ${connection === 'live' ? 'on' : 'off'}`;
      show(ui.live, label);
      ui.live.title = title;
    },
  );
  void refresh();
}

const CONNECTION_TEXT: Readonly<Record<Connection, readonly [string, string]>> = {
  live: ['live', 'Changes on disk show here as they happen'],
  retrying: ['reconnecting…', 'The studio does not answer; the page keeps trying'],
  closed: [
    'disconnected',
    'The studio refused the page (started again? it has a new token): open the address it printed',
  ],
};

/** The open action's name, description and calls. */
function actionHead(action: StudioAction): HTMLElement {
  return el(
    'div',
    { class: 'action-head' },
    el(
      'h2',
      { tabindex: -1 },
      action.name,
      action.changesData ? el('span', { class: 'badge warn' }, 'changes data') : null,
    ),
    action.description ? el('p', {}, action.description) : null,
    el(
      'ul',
      { class: 'calls' },
      ...action.calls.map((c, i) =>
        el('li', {}, el('code', {}, c), action.connections[i] ? ` (${action.connections[i]})` : null),
      ),
    ),
    el('p', { class: 'quiet' }, `Line ${action.line}.${action.sets.length ? ` Sets ${action.sets.join(', ')}.` : ''}`),
  );
}

/** What screen readers hear when a run ends. */
function statusLine(result: StudioRunResult): string {
  if (result.needsConfirmation) return `${result.action}: nothing sent yet; confirm to send.`;
  const calls = result.exchanges
    .map((x) => (x.response ? `${x.request.method} ${x.response.status}` : `${x.request.method} not answered`))
    .join(', ');
  return `${result.action}: ${result.outcome.status}${calls ? ` (${calls})` : ''}, ${result.slots.length} slot${result.slots.length === 1 ? '' : 's'} set.`;
}

start();
