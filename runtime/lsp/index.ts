/** The language server for editors (`slotwire lsp`): the public surface of runtime/lsp. */
export { serveLanguage } from './server.js';
export type { LanguageServerOptions, ProjectSetting } from './server.js';
