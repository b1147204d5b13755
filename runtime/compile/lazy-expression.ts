/**
 * An expression compiled on its first evaluation. A reload's file was
 * already checked in full off the serving thread (engine/reload.ts), so
 * the serving thread need not build JSONata trees for all of it up front:
 * about 20 KB of heap per expression, whose allocation and garbage
 * collection (29 ms scavenges while a 5 000-action file compiled) delayed
 * webhook answers. Each expression now costs its compile once, on the
 * first call that reads it, and only actions that run pay at all.
 */
import { compileExpression } from './expression.js';
import type { CompiledExpression } from './expression.js';
import type { NameContext } from './names.js';

/**
 * A compiled expression whose JSONata is built on first use. `reads` and
 * `readsDomain` are left empty: the caller has the action's footprint from
 * the full check already.
 * @param source - an expression the full check compiled without problems
 */
export function lazyExpression(source: string, ctx: NameContext): CompiledExpression {
  let evaluate: CompiledExpression['evaluate'] | null = null;
  return {
    source,
    readsDomain: false,
    reads: [],
    evaluate(scope) {
      if (evaluate === null) {
        const { expr } = compileExpression(source, ctx);
        // Cannot happen for a checked file; if it did, the action's expression outcome says so.
        if (expr === null) throw new Error(`expression no longer compiles: ${source}`);
        evaluate = expr.evaluate;
      }
      return evaluate(scope);
    },
  };
}
