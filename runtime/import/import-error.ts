/** Why an API description or command cannot be imported: one line naming the file, flag or problem; nothing is written. */
export class ImportError<Code extends string = string> extends Error {
  /** What went wrong, for callers and tests to match on (never the wording). */
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.code = code;
  }
}
