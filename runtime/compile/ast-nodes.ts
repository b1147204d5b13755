/** Visiting every node of a parsed JSONata expression. */

/** A node of jsonata's AST as it is at run time (its typings list fewer types and keys). */
export type AstNode = Readonly<Record<string, unknown>> & { readonly type: string };

/**
 * Calls `fn` on every node of `ast`, whichever key holds it: steps, stages,
 * predicates, group and object-constructor pairs, lambda bodies, sort terms…
 * Each node once, although the parser links some nodes from two places.
 * @param ast - from `jsonata(source).ast()`
 * @param fn - called with each node
 */
export function forEachAstNode(ast: unknown, fn: (node: AstNode) => void): void {
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || value instanceof RegExp || seen.has(value)) return;
    seen.add(value);
    if (typeof (value as { type?: unknown }).type === 'string') fn(value as AstNode);
    for (const child of Object.values(value)) visit(child);
  };
  visit(ast);
}
