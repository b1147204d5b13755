/**
 * Just enough of the Dockerfile and .dockerignore formats to check ours
 * without a Docker daemon: instructions grouped by stage, and whether the
 * build context keeps a path.
 */

/** One instruction: `COPY --from=build /app/dist ./dist` → keyword COPY, args the rest. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  /** 1-based line where the instruction starts */
  readonly line: number;
}

/** A build stage: its FROM image, its `AS` name, its instructions after FROM. */
export interface Stage {
  readonly image: string;
  readonly name: string | null;
  readonly instructions: readonly Instruction[];
}

/**
 * The stages of a Dockerfile. Comment lines go, also inside a continued
 * instruction, and a trailing `\` joins the next line, as Docker does.
 */
export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | null = null;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === null)) continue;
    const continued = line.endsWith('\\');
    const part = continued ? line.slice(0, -1).trim() : line;
    pending =
      pending === null ? { text: part, line: index + 1 } : { text: `${pending.text} ${part}`, line: pending.line };
    if (continued) continue;
    const keyword = pending.text.split(/\s/, 1)[0] ?? '';
    instructions.push({
      keyword: keyword.toUpperCase(),
      args: pending.text.slice(keyword.length).trim(),
      line: pending.line,
    });
    pending = null;
  }
  const stages: { image: string; name: string | null; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' && name !== undefined ? name : null, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** A COPY's `--flag=value`s, its sources and its destination (shell form only). */
export function parseCopy(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith('--')) {
    const [name = '', value = ''] = words.shift()!.slice(2).split('=');
    flags[name] = value;
  }
  const dest = words.pop() ?? '';
  return { flags, sources: words, dest };
}

/**
 * Whether `.dockerignore` (its text) keeps `path` (relative, with `/`) out
 * of the build context: the last pattern that matches the path or one of
 * its parent folders decides, a `!` pattern keeping it in. Patterns are
 * globs where `*` and `?` stay within a path segment and `**` spans any.
 */
export function isIgnored(dockerignore: string, path: string): boolean {
  const patterns = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const pattern of patterns) {
    const keep = pattern.startsWith('!');
    const glob = globToRegExp((keep ? pattern.slice(1) : pattern).replace(/^\/+|\/+$/g, ''));
    if (candidates.some((c) => glob.test(c))) ignored = !keep;
  }
  return ignored;
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}
