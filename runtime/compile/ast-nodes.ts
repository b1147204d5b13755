/** Visiting every node of a parsed JSONata expression. */

/** A node of jsonata's AST as it is at run time (its typings list fewer types and keys). */
export type AstNode = Readonly<Record<string, unknown>> & { readonly type: string };

/**
 * Every node of `ast`, whichever key holds it: steps, stages, predicates,
 * group and object-constructor pairs, lambda bodies, sort terms… Each node
 * once, although the parser links some nodes from two places. Collected
 * once per expression and handed to each check (expression.ts): a walk per
 * check was four walks of every AST at load.
 * @param ast - from `jsonata(source).ast()`
 */
export function astNodes(ast: unknown): AstNode[] {
  const nodes: AstNode[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || value instanceof RegExp || seen.has(value)) return;
    seen.add(value);
    if (typeof (value as { type?: unknown }).type === 'string') nodes.push(value as AstNode);
    for (const child of Object.values(value)) visit(child);
  };
  visit(ast);
  return nodes;
}
