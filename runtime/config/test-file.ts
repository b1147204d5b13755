/**
 * Loading a `slotwire test` file (docs/testing.md): YAML with positions,
 * validated against schemas/actions-test.schema.json, problems as
 * diagnostics like those of actions.yml, with hints that point at
 * docs/testing.md rather than the actions.yml page.
 */
import { forTestFile, hasErrors } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { sortByPosition } from './load.js';
import { parseYaml } from './parse-yaml.js';
import { readText } from './read-text.js';
import { testSchemaUrl, validateSchema } from './schema.js';
import type { SourceFile } from './source.js';
import type { SlotwireTestFile } from './test-schema-types.js';

/** A loaded test file: the cases (null when it has errors) and where they came from. */
export interface TestFileResult {
  readonly tests: SlotwireTestFile | null;
  readonly source: SourceFile | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads and validates a test file; never throws for bad input. */
export async function loadTestFile(file: string): Promise<TestFileResult> {
  const read = await readText(file);
  if ('error' in read) return { tests: null, source: null, diagnostics: [forTestFile(read.error)] };
  return loadTestText(file, read.text);
}

/** Validates a test file's text, already read; `file` is the name diagnostics print. */
export function loadTestText(file: string, text: string): TestFileResult {
  const { source, diagnostics } = parseYaml(file, text);
  if (hasErrors(diagnostics)) return { tests: null, source, diagnostics: diagnostics.map(forTestFile) };
  const data: unknown = source.doc.toJS({ maxAliasCount: 0 });
  const problems = sortByPosition(validateSchema(source, data, testSchemaUrl)).map(forTestFile);
  return { tests: problems.length === 0 ? (data as SlotwireTestFile) : null, source, diagnostics: problems };
}

/** The test file named for an actions file: `actions.test.yml` for `actions.yml` (the name `slotwire init` writes), `x.test.yml` for `x`. */
export function testFileFor(actionsFile: string): string {
  return YAML_EXTENSION.test(actionsFile)
    ? actionsFile.replace(YAML_EXTENSION, (ext) => `.test${ext}`)
    : `${actionsFile}.test.yml`;
}

const YAML_EXTENSION = /\.ya?ml$/;
