/** Running actions outside Rasa: test files, fixtures, captured calls. */
export { serveFixtures } from './fixtures.js';
export type { FixtureServer, UnmatchedRequest } from './fixtures.js';
export { inputOf, runAsRasa, runTestFile } from './run-tests.js';
export type { CaseReport, CaseRun, CaseRunner, FileReport, RunTestsOptions } from './run-tests.js';
export { mcpCaseRunner } from './via-mcp.js';
export type { McpCaseOptions } from './via-mcp.js';
export { placeholder, placeholderEnv, testEnv } from './test-env.js';
export { recordFixtures } from './record.js';
export { checkLive, LIVE_SOURCE } from './live.js';
export { BrokenFileError } from './live-run.js';
export type { LiveOptions, LiveReport } from './live.js';
export type { RecordedCase, RecordOptions, RecordOutcome, RecordReport } from './record.js';
export { encodedBody, sentHeaders } from './shown-request.js';
export { fixtureOf, headersRead } from './record.js';
export { collectWarnings } from './collect-warnings.js';
