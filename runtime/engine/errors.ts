/** The errors the engine throws; each carries a code of docs/errors.md. */
import type { Diagnostic } from '../config/index.js';

/** A call the engine cannot take: an unknown action, or a closed engine. */
export class EngineError extends Error {
  /** stable code, for matching without reading the message */
  readonly code: 'SW_ENGINE_UNKNOWN_ACTION' | 'SW_ENGINE_CLOSED';

  constructor(code: EngineError['code'], message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
  }
}

/** An actions file that cannot be served; `diagnostics` say why, with positions. */
export class ActionsFileError extends Error {
  /** stable code */
  readonly code = 'SW_ACTIONS_FILE_INVALID' as const;
  readonly diagnostics: readonly Diagnostic[];

  constructor(file: string, diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(
      `${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`).join('; ')}`,
    );
    this.name = 'ActionsFileError';
    this.diagnostics = diagnostics;
  }
}
