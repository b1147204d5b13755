/** Loading and validating actions.yml: the public surface of runtime/config. */
export { loadConfigFile, loadConfigText, sortByPosition } from './load.js';
export { fileTooLarge, MAX_FILE_BYTES, readText } from './read-text.js';
export { replaceFile } from './replace-file.js';
export { parsePlainYaml } from './plain-yaml.js';
export { createParseCache } from './parse-chunks.js';
export type { ParseCache } from './parse-chunks.js';
export type { YamlProblem } from './plain-yaml.js';
export { appendYamlIn, misreadable, setYamlIn, yamlText, YamlWriteError } from './yaml-write.js';
export type { YamlWritten } from './yaml-write.js';
export type { LoadOptions, LoadResult } from './load.js';
export { catalogue, diagnostic, hasErrors, renameFix } from './diagnostics.js';
export type { Diagnostic, DiagnosticCode, Fix, Position, Severity } from './diagnostics.js';
export { asWritten } from './env.js';
export { connectionsCalled } from './connections-called.js';
export type { ConnectionScope, Env } from './env.js';
export { formatDiagnostic } from './format.js';
export { conformsTo, withoutUnknownKeys, schemaUrl, testSchemaUrl, humanPath } from './schema.js';
export { loadTestFile, loadTestText, testFileFor } from './test-file.js';
export type { TestFileResult } from './test-file.js';
export type {
  Case as TestCase,
  Expect as TestExpect,
  Fixture as TestFixture,
  SlotwireTestFile,
} from './test-schema-types.js';
export { locate, offsetInScalar, positionAt, positionOfNode } from './source.js';
export type { NodePath, SourceFile } from './source.js';
export { closest, didYouMean } from './suggest.js';
export { credentialHeaders } from './secrets.js';
export type * from './schema-types.js';
