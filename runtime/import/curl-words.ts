/**
 * A pasted shell command split into words, as a POSIX shell would before
 * running it, without running anything: single quotes, double quotes with
 * their four backslash escapes, backslash-newline continuations, and bash's
 * `$'…'` ANSI-C quoting. Variables are not expanded (the paste carries no
 * environment): `$NAME` stays as written, and each word says which names it
 * referred to, so the importer can tell `"Bearer $TOKEN"` (a variable the
 * author meant to set) from `'{"id": "$id"}'` (literal text).
 *
 * Written here rather than taken from npm: the cURL parsers there either
 * need a native tree-sitter build (curlconverter) or split words without
 * curl's flag grammar, and the generic tokenizer (shell-quote) is not a
 * dependency of slotwire. The shell grammar needed is small (POSIX.1-2017
 * XCU §2.2 Quoting, §2.3 Token Recognition).
 */

/** One shell word: its text after quote removal, and the variables it expanded. */
export interface ShellWord {
  readonly text: string;
  /** Names of `$NAME` / `${NAME}` expansions outside single quotes, in order. */
  readonly vars: readonly string[];
}

/** One simple command of the paste, and what ended it. */
export interface ShellCommand {
  readonly words: readonly ShellWord[];
  /** The operator after it (`|`, `&&`, `;`, `>`, a newline…), or '' at the end of the text. */
  readonly end: string;
}

/** Why the text is not a command the importer can read. */
export class ShellSyntaxError extends Error {
  override readonly name = 'ShellSyntaxError';
}

// Bash's ANSI-C escapes (bash(1), QUOTING): \xHH, \uHHHH, \UHHHHHHHH, \nnn octal, \cX.
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATOR_CHARS = '|&;<>()';

/**
 * Splits `text` into simple commands of words. Operators (`|`, `&&`, `;`,
 * redirections) and unescaped newlines end a command; `#` at the start of
 * a word starts a comment. Throws ShellSyntaxError for an unterminated
 * quote and for command substitution (`$(…)`, backquotes), whose output the
 * importer cannot know.
 * @param text - the pasted command, e.g. "curl -H 'Accept: x' \\\n  https://api.example.com"
 */
export function shellCommands(text: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: ShellWord[] = [];
  let word: { text: string; vars: string[] } | null = null;
  const endWord = (): void => {
    if (word !== null) words.push(word);
    word = null;
  };
  const endCommand = (end: string): void => {
    endWord();
    if (words.length > 0) commands.push({ words, end });
    words = [];
  };
  const current = (): { text: string; vars: string[] } => (word ??= { text: '', vars: [] });

  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '\n') i += 2;
      else if (next === '\r' && text[i + 2] === '\n') i += 3;
      else if (next === undefined) i += 1;
      else {
        current().text += next;
        i += 2;
      }
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) throw new ShellSyntaxError('a single quote is not closed');
      current().text += text.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      i = doubleQuoted(text, i + 1, current());
    } else if (c === '$' && text[i + 1] === "'") {
      i = ansiC(text, i + 2, current());
    } else if (c === '$' && text[i + 1] === '"') {
      // $"…" is a locale-translated string; without a catalogue it is "…".
      i = doubleQuoted(text, i + 2, current());
    } else if (c === '$') {
      i = dollar(text, i, current());
    } else if (c === '`') {
      throw new ShellSyntaxError('the command runs a command substitution (`…`); paste its output instead');
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i += 1;
    } else if (c === '\n') {
      endCommand('\n');
      i += 1;
    } else if (c === '#' && word === null) {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? text.length : eol;
    } else if (OPERATOR_CHARS.includes(c)) {
      // A redirection's file descriptor (`2>/dev/null`) is not a word of the command.
      if ((c === '<' || c === '>') && isDigits(word)) word = null;
      let op = c;
      while (i + op.length < text.length && OPERATOR_CHARS.includes(text[i + op.length]) && op.length < 2)
        op += text[i + op.length];
      endCommand(op);
      i += op.length;
    } else {
      current().text += c;
      i += 1;
    }
  }
  endCommand('');
  return commands;
}

function isDigits(word: { text: string } | null): boolean {
  return word !== null && /^[0-9]+$/.test(word.text);
}

/** Reads a double-quoted part from `i` (after the quote); returns the index after the closing quote. */
function doubleQuoted(text: string, start: number, out: { text: string; vars: string[] }): number {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return i + 1;
    if (c === '\\') {
      const next = text[i + 1];
      // XCU §2.2.3: inside double quotes a backslash escapes only $ ` " \ and newline.
      if (next === '\n') i += 2;
      else if (next === '\r' && text[i + 2] === '\n') i += 3;
      else if (next === '$' || next === '`' || next === '"' || next === '\\') {
        out.text += next;
        i += 2;
      } else {
        out.text += '\\';
        i += 1;
      }
    } else if (c === '$') {
      i = dollar(text, i, out);
    } else if (c === '`') {
      throw new ShellSyntaxError('the command runs a command substitution (`…`); paste its output instead');
    } else {
      out.text += c;
      i += 1;
    }
  }
  throw new ShellSyntaxError('a double quote is not closed');
}

/**
 * A `$` outside single quotes: `$NAME` and `${…}` are kept as written and
 * recorded; `$(…)` is refused; any other `$` is a literal dollar.
 */
function dollar(text: string, i: number, out: { text: string; vars: string[] }): number {
  const next = text[i + 1];
  if (next === '(')
    throw new ShellSyntaxError('the command runs a command substitution ($(…)); paste its output instead');
  if (next === '{') {
    const close = text.indexOf('}', i + 2);
    if (close === -1) throw new ShellSyntaxError('a ${ is not closed');
    const name = NAME.exec(text.slice(i + 2, close));
    if (name) out.vars.push(name[0]);
    out.text += text.slice(i, close + 1);
    return close + 1;
  }
  const name = NAME.exec(text.slice(i + 1));
  if (name) {
    out.vars.push(name[0]);
    out.text += `$${name[0]}`;
    return i + 1 + name[0].length;
  }
  out.text += '$';
  return i + 1;
}

/** Reads a `$'…'` part from `i` (after the quote); returns the index after the closing quote. */
function ansiC(text: string, start: number, out: { text: string; vars: string[] }): number {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") return i + 1;
    if (c !== '\\') {
      out.text += c;
      i += 1;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) break;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out.text += simple;
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const max = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = /^[0-9A-Fa-f]+/.exec(text.slice(i + 2, i + 2 + max))?.[0] ?? '';
      if (hex === '') {
        out.text += `\\${e}`;
        i += 2;
      } else {
        out.text +=
          e === 'x'
            ? String.fromCharCode(parseInt(hex, 16))
            : String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff));
        i += 2 + hex.length;
      }
    } else if (e >= '0' && e <= '7') {
      const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1))?.[0] as string;
      out.text += String.fromCharCode(parseInt(oct, 8) & 0xff);
      i += 1 + oct.length;
    } else if (e === 'c' && text[i + 2] !== undefined) {
      out.text += String.fromCharCode(text[i + 2].charCodeAt(0) & 0x1f);
      i += 3;
    } else {
      out.text += `\\${e}`;
      i += 2;
    }
  }
  throw new ShellSyntaxError("a $' quote is not closed");
}
