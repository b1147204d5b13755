/**
 * The shapes of a compiled expression and of a problem found in one, apart
 * from expression.ts so that the modules expression.ts uses (templates,
 * function checks, slot fit) can name them without importing it back.
 */
import type { DiagnosticCode, Fix } from '../config/index.js';

/** A compiled expression: how to evaluate it, and what it reads. */
export interface CompiledExpression {
  /** The JSONata text between the braces. */
  readonly source: string;
  /**
   * Evaluates against the scope. A plain path (`slots.city`) is a direct
   * property read that skips JSONata; an expression in the fast-path subset
   * runs synchronously (fast-path.ts); anything else runs the compiled AST.
   */
  readonly evaluate: (scope: Readonly<Record<string, unknown>>) => unknown | Promise<unknown>; // oxlint-disable-line typescript/no-redundant-type-constituents -- says that the answer may be a promise, which callers await
  /** True when it reads `domain` (or the whole input via `$$`), so the server must have one. */
  readonly readsDomain: boolean;
  /** The root names it reads, each with the field read under it (footprint.ts). */
  readonly reads: readonly NameRead[];
}

/**
 * One root name an expression reads: `slots.city` is `{ root: 'slots',
 * field: 'city' }`; a root read whole or through a filter or a function
 * (`$keys(slots)`, `slots[...]`) has field null; `$$` (the whole input) has
 * root '$$'.
 */
export interface NameRead {
  readonly root: string;
  readonly field: string | null;
  /** Offset into the expression of what it names: the field when there is one, else the root (for positions of slot reads). */
  readonly offset: number;
}

/** A problem found in an expression, at an offset into its source. */
export interface ExpressionProblem {
  readonly code: DiagnosticCode;
  readonly offset: number;
  readonly args: readonly string[];
  readonly hintArgs?: readonly string[];
  /** The change the hint names, when it names one. */
  readonly fix?: Fix;
}
