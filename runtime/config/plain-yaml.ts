/**
 * YAML read only as data, without positions kept: a Rasa domain or flow
 * file, `run --fixtures`. A file that does not parse is the user's input:
 * it comes back as a value saying where and why, never as a throw.
 */
import { LineCounter, parse, YAMLParseError } from 'yaml';

/** Where a YAML text stops parsing and why: the parser's first complaint. */
export interface YamlProblem {
  /** 1-based */
  readonly line: number;
  /** 1-based */
  readonly col: number;
  /** The yaml library's message, without the position it would add. */
  readonly message: string;
}

/** The value of a YAML text (null for an empty one), or its problem. */
export function parsePlainYaml(text: string): { readonly value: unknown } | { readonly error: YamlProblem } {
  const lineCounter = new LineCounter();
  try {
    return { value: parse(text, { prettyErrors: false, lineCounter }) as unknown };
  } catch (err) {
    if (!(err instanceof YAMLParseError)) throw err;
    const at = lineCounter.linePos(err.pos[0]);
    return { error: { line: at.line, col: at.col, message: err.message } };
  }
}
