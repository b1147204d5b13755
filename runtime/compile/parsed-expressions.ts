/**
 * JSONata parsed with the evaluation bounds, once per distinct text in one
 * compile. `jsonata()` builds its parser's whole operator table of
 * closures for every expression (about 60 µs), and the parsed tree keeps
 * that table alive through its nodes' prototypes (about 20 KB each, most of
 * a large file's garbage collection at load). Actions files repeat their
 * expressions (one `on_error` mapping in every action), so the actions of
 * one compile share each text's parse. Sharing is safe: a compiled
 * expression keeps nothing of an evaluation (each gets its own frame, the
 * bounds' memos are per frame), as concurrent calls of one action already
 * rely on.
 */
import jsonata from 'jsonata';
import type { Expression } from 'jsonata';
import { astNodes } from './ast-nodes.js';
import type { AstNode } from './ast-nodes.js';
import { boundEvaluation } from './bounded-functions.js';
import type { CompiledExpression } from './expression-types.js';
import { compileFast } from './fast-path.js';
import { expressionLimits } from './limits.js';
import { linearRegexEngine } from './regex-engine.js';

/**
 * jsonata's options for every expression: its own guardrails (`timeout`,
 * `stack`, `sequence`), so `[1..1e9]` or runaway recursion becomes an `expression` error
 * instead of a stuck event loop, and RE2 for regular expressions
 * (regex-engine.ts). bounded-functions.ts adds the rest of limits.ts.
 */
const jsonataOptions = {
  timeout: expressionLimits.timeout,
  stack: expressionLimits.stack,
  sequence: expressionLimits.sequence,
  RegexEngine: linearRegexEngine(),
};

/** How an expression runs. */
export type Evaluate = CompiledExpression['evaluate'];

/** One parsed expression: JSONata's, its AST's nodes (collected once for the bounds and the checks), and how it runs. */
export interface ParsedExpression {
  readonly compiled: Expression;
  readonly nodes: readonly AstNode[];
  /** How it runs; made on first use. */
  evaluator(): Evaluate;
}

/** The expressions one compile has parsed, by text. */
export type ParsedExpressions = Map<string, ParsedExpression>;

/**
 * Parses `source` (taken from `parsed` when it has it, and kept there);
 * throws JSONata's error for a syntax error, which is not kept.
 */
export function parseExpression(source: string, parsed?: ParsedExpressions): ParsedExpression {
  const known = parsed?.get(source);
  if (known !== undefined) return known;
  const made = guarded(source);
  parsed?.set(source, made);
  return made;
}

/**
 * JSONata with the bounds, and without $eval (text built at run time
 * escapes every load-time check).
 */
function guarded(source: string): ParsedExpression {
  const compiled = jsonata(source, jsonataOptions);
  const nodes = astNodes(compiled.ast());
  boundEvaluation(compiled, expressionLimits, nodes);
  compiled.registerFunction('eval', () => {
    throw { code: 'U2000', message: '$eval is disabled' };
  });
  let evaluate: Evaluate | null = null;
  return { compiled, nodes, evaluator: () => (evaluate ??= evaluatorOf(compiled)) };
}

/**
 * How a compiled expression runs: wholly in the fast-path subset, as a
 * synchronous closure with JSONata's semantics (fast-path.ts); else through JSONata.
 */
function evaluatorOf(compiled: Expression): Evaluate {
  return (
    compileFast(compiled.ast(), expressionLimits.sequence, expressionLimits.size) ??
    ((scope) => compiled.evaluate(scope))
  );
}
