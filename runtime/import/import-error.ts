/** The base of the importers' errors; each code is a key of the catalogue in errors.ts. */
import type { ImportErrorCode } from './errors.js';

/** Why an API description or command cannot be imported: one line naming the file, flag or problem; nothing is written. */
export class ImportError<Code extends ImportErrorCode = ImportErrorCode> extends Error {
  /** What went wrong, for callers and tests to match on (never the wording). */
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.code = code;
  }
}
