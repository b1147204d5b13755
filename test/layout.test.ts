// The shape of the code, checked: front-ends reach the layers below only
// through the engine, gRPC and HTTP share Rasa's call rules without either
// importing the other, and no module imports itself back through others.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const runtime = fileURLToPath(new URL('../runtime/', import.meta.url));

/** Every .ts file of runtime/ (the browser page aside) with the runtime files it imports, type-only imports too. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (relative(runtime, path) !== join('studio', 'page')) visit(path);
      } else if (entry.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        const targets = [...text.matchAll(/(?:import|export)[^'"]*?from '(\.[^']+)'/g)].map((m) =>
          relative(runtime, normalize(join(dirname(path), m[1].replace(/\.js$/, '.ts')))),
        );
        graph.set(relative(runtime, path), targets);
      }
    }
  };
  visit(runtime);
  return graph;
}

const graph = importGraph();
const folderOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '');

/** The import lines from files of `from` folders into files of `to` folders. */
function crossings(from: readonly string[], to: readonly string[]): string[] {
  return [...graph].flatMap(([file, targets]) =>
    from.includes(folderOf(file)) ? targets.filter((t) => to.includes(folderOf(t))).map((t) => `${file} → ${t}`) : [],
  );
}

describe('the layout', () => {
  it('front-ends import nothing from compile/, http/ or execute/: they go through the engine', () => {
    expect(
      crossings(
        ['cli', 'studio', 'testing', 'mcp', 'grpc', 'server', 'call-rules', 'fallback', 'lsp'],
        ['compile', 'http', 'execute'],
      ),
    ).toEqual([]);
  });

  it('gRPC imports nothing from the HTTP server, nor the server from gRPC', () => {
    expect(crossings(['grpc'], ['server'])).toEqual([]);
    expect(crossings(['server'], ['grpc'])).toEqual([]);
  });

  it('has no import circle between files', () => {
    // Tarjan's strongly connected components: any component of two or more files is a circle.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const circles: string[][] = [];
    let next = 0;
    const strong = (file: string): void => {
      index.set(file, next);
      low.set(file, next);
      next += 1;
      stack.push(file);
      for (const target of graph.get(file) ?? []) {
        if (!graph.has(target)) continue;
        if (!index.has(target)) {
          strong(target);
          low.set(file, Math.min(low.get(file)!, low.get(target)!));
        } else if (stack.includes(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
      if (low.get(file) === index.get(file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          component.push(member);
        } while (member !== file);
        if (component.length > 1) circles.push(component.sort());
      }
    };
    for (const file of graph.keys()) if (!index.has(file)) strong(file);
    expect(circles).toEqual([]);
  });

  it('sees the files it checks', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('grpc/run-call.ts')).toContain('call-rules/index.ts');
  });
});
