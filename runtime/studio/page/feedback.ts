/**
 * Errors shown where they happened: the server names the request field a
 * 4xx is about (StudioError.field); the form's input with that
 * `data-field` is marked invalid and described by the message.
 */
import { ApiError } from './api.js';
import { el, show } from './dom.js';

/** A problem the page finds before asking the server, about one of the form's fields. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
  /** The `data-field` of the input it is about. */
  readonly field: string;
  constructor(message: string, field: string) {
    super(message);
    this.field = field;
  }
}

/** Shows `error` in `form`'s `.error` element (an alert) and marks the input it is about. */
export function showError(form: HTMLElement, error: unknown): void {
  clearError(form);
  const box = form.querySelector<HTMLElement>('.error');
  if (!box) throw error;
  const message = error instanceof Error ? error.message : String(error);
  // The code to look up (docs/studio.md), and with validate's codes the fix (a domain entry to add) as written.
  if (error instanceof ApiError && error.code !== null)
    show(
      box,
      el('code', { class: 'code' }, error.code),
      ' ',
      message,
      error.hint ? el('span', { class: 'hint' }, error.hint) : null,
    );
  else box.textContent = message;
  box.hidden = false;
  const about = error instanceof ApiError || error instanceof FieldError ? error.field : null;
  const field = about === null ? null : form.querySelector<HTMLElement>(`[data-field="${CSS.escape(about)}"]`);
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    if (box.id) field.setAttribute('aria-describedby', box.id);
  }
}

/** Takes back what {@link showError} showed. */
export function clearError(form: HTMLElement): void {
  const box = form.querySelector<HTMLElement>('.error');
  if (box) {
    box.textContent = '';
    box.hidden = true;
  }
  for (const field of form.querySelectorAll('[aria-invalid]')) {
    field.removeAttribute('aria-invalid');
    field.removeAttribute('aria-describedby');
  }
}

/**
 * Runs `work` once at a time per form, showing its error in the form. The
 * buttons are marked aria-disabled rather than disabled: disabling the
 * focused button would drop keyboard focus to the top of the page.
 */
export async function busy(form: HTMLElement, work: () => Promise<void>): Promise<void> {
  if (form.getAttribute('aria-busy') === 'true') return;
  const buttons = [...form.querySelectorAll('button')].filter((b) => !b.disabled);
  for (const b of buttons) b.setAttribute('aria-disabled', 'true');
  form.setAttribute('aria-busy', 'true');
  clearError(form);
  try {
    await work();
  } catch (err) {
    showError(form, err);
  } finally {
    for (const b of buttons) b.removeAttribute('aria-disabled');
    form.removeAttribute('aria-busy');
  }
}
