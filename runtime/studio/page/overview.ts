/**
 * The file at a glance: the header's summary, the actions list and the
 * diagnostics (as `slotwire validate` gives them), redrawn on every change
 * on disk.
 */
import type { StudioAction, StudioDiagnostic, StudioState } from '../api.js';
import { el } from './dom.js';

/** "ok", or "2 errors, 1 warning". */
export function summary(state: StudioState): HTMLElement {
  const count = (severity: StudioDiagnostic['severity']): number =>
    state.diagnostics.filter((d) => d.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  const words = [errors ? plural(errors, 'error') : null, warnings ? plural(warnings, 'warning') : null]
    .filter(Boolean)
    .join(', ');
  return el(
    'span',
    { class: `summary ${errors ? 'bad' : warnings ? 'warn' : 'good'}` },
    errors || warnings ? words : 'ok',
    ` · ${plural(state.actions.length, 'action')}`,
  );
}

/** The actions, each a button that opens it. */
export function actionList(
  actions: readonly StudioAction[],
  selected: string | null,
  onSelect: (name: string) => void,
): HTMLElement {
  if (actions.length === 0) return el('p', { class: 'quiet' }, 'No actions in the file.');
  return el(
    'ul',
    { class: 'actions' },
    ...actions.map((action) => {
      const open = el(
        'button',
        { type: 'button', class: 'action', 'aria-current': action.name === selected ? 'true' : null },
        el(
          'span',
          { class: 'name' },
          action.name,
          action.changesData ? el('span', { class: 'badge warn' }, 'changes data') : null,
        ),
        action.description ? el('span', { class: 'description' }, action.description) : null,
        action.connections.length > 0
          ? el('span', { class: 'connections' }, `via ${action.connections.join(', ')}`)
          : null,
        ...action.calls.map((call) => el('code', { class: 'call' }, call)),
      );
      open.addEventListener('click', () => onSelect(action.name));
      return el('li', {}, open);
    }),
  );
}

/** The diagnostics, errors first as validate prints them. */
export function diagnosticList(diagnostics: readonly StudioDiagnostic[]): HTMLElement {
  if (diagnostics.length === 0) return el('p', { class: 'quiet good' }, 'No problems: the file validates.');
  return el(
    'ul',
    { class: 'diagnostics' },
    ...diagnostics.map((d) =>
      el(
        'li',
        { class: `diagnostic ${d.severity}`, 'data-code': d.code },
        el('span', { class: `badge ${d.severity === 'error' ? 'bad' : 'warn'}` }, d.severity),
        ' ',
        el('code', { class: 'code' }, d.code),
        ' ',
        el('span', { class: 'where' }, `${d.file}:${d.line}:${d.col}`),
        el('p', { class: 'message' }, d.message),
        d.hint ? el('p', { class: 'hint' }, d.hint) : null,
      ),
    ),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
