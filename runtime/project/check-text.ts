/**
 * An actions file and its test file checked as text, as a tool holds
 * them in memory (the authoring page, an editor's unsaved buffers): the
 * diagnostics `slotwire validate` prints for the actions file, then the
 * test file's own, from the same code.
 */
import { loadConfigText, loadTestText } from '../config/index.js';
import type { Diagnostic, Env, LoadResult, ParseCache, TestFileResult } from '../config/index.js';
import type { ActionCache, ReadText } from '../compile/index.js';
import { checkActionsFile } from './check-file.js';
import type { FileCheck, Project } from './check-file.js';

/** A file's text, or why it could not be read (a missing test file is none). */
export type FileText = { readonly text: string } | { readonly error: Diagnostic };

/** What {@link checkActionsText} checks. */
export interface TextCheckInput {
  readonly actionsFile: string;
  readonly actions: FileText;
  readonly testFile: string;
  readonly tests: FileText;
  /** Where `${VAR}`s come from (a tool without the secrets passes placeholders, as `validate --placeholder-env`). */
  readonly env: Env;
  readonly project: Project | null;
  /** Reads files the actions file names, relative to it. Default: from disk */
  readonly readText?: ReadText;
  /** Compiled actions kept from the last check of this file. Default: none */
  readonly cache?: ActionCache;
  /** Parsed actions kept from the last check of this file. Default: none, the text is parsed whole */
  readonly parseCache?: ParseCache;
}

/** The check: validate's, with the loaded files and the test file's diagnostics after the actions file's. */
export interface TextCheck extends FileCheck {
  readonly loaded: LoadResult;
  /** The test file, loaded; null when it could not be read (there is none yet). */
  readonly tests: TestFileResult | null;
}

/** Checks an actions file and its test file given as text. */
export function checkActionsText(input: TextCheckInput): TextCheck {
  const { actions } = input;
  // validate's own reading (SW_FILE_READ for a missing file): the same diagnostics, whatever went wrong.
  const loaded: LoadResult =
    'text' in actions
      ? loadConfigText(input.actionsFile, actions.text, {
          env: input.env,
          ...(input.parseCache ? { parseCache: input.parseCache } : {}),
        })
      : { config: null, data: null, source: null, diagnostics: [actions.error] };
  const file = checkActionsFile(loaded, input.project, {
    ...(input.readText ? { readText: input.readText } : {}),
    ...(input.cache ? { cache: input.cache } : {}),
  });
  // A broken test file is said, not silently fixture-less; a missing one is none yet.
  const tests = 'text' in input.tests ? loadTestText(input.testFile, input.tests.text) : null;
  return { ...file, diagnostics: [...file.diagnostics, ...(tests?.diagnostics ?? [])], loaded, tests };
}
