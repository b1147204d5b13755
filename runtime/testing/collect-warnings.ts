/** The engine's warnings kept as lines, for tools that show them with a run's result (`slotwire run`, the studio). */
import type { EngineLogger } from '../engine/index.js';

/** A logger that appends every warning and error message of the engine to `lines`. */
export function collectWarnings(lines: string[]): EngineLogger {
  return { warn: (_obj, msg) => lines.push(msg), error: (_obj, msg) => lines.push(msg), info: () => {} };
}
