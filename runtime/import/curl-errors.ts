/** The one error of the cURL importer: a command it cannot read or express. */
import type { ImportErrorCode } from './errors.js';
import { ImportError } from './import-error.js';

/** What went wrong, as a stable code to branch on (the message is for people); docs/import.md says what each means. */
export type CurlImportCode = Extract<ImportErrorCode, `SW_CURL_${string}`>;

/** Why a cURL command cannot become an action. */
export class CurlImportError extends ImportError<CurlImportCode> {
  override readonly name = 'CurlImportError';
}
