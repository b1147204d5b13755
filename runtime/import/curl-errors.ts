/** The one error of the cURL importer: a command it cannot read or express. */
import { ImportError } from './import-error.js';

/** What went wrong, as a stable code to branch on (the message is for people). */
export type CurlImportCode =
  /** Quotes or substitutions the importer cannot read. */
  | 'SW_CURL_SYNTAX'
  /** No `curl` command in the text. */
  | 'SW_CURL_NOT_CURL'
  /** A flag curl does not have, or that the importer does not know. */
  | 'SW_CURL_UNKNOWN_FLAG'
  /** A flag without its argument. */
  | 'SW_CURL_MISSING_ARGUMENT'
  /** A flag slotwire has no equivalent for (digest auth, a Host override…). */
  | 'SW_CURL_UNSUPPORTED'
  /** `@file`, `-T`, `-K`: the request depends on a file's content. */
  | 'SW_CURL_READS_FILE'
  /** `-F`: a multipart body. */
  | 'SW_CURL_MULTIPART'
  /** No URL, several URLs, or one curl would refuse. */
  | 'SW_CURL_URL'
  /** A method slotwire does not send. */
  | 'SW_CURL_METHOD'
  /** More credentials than a connection carries. */
  | 'SW_CURL_CREDENTIALS';

/** Why a cURL command cannot become an action. */
export class CurlImportError extends ImportError<CurlImportCode> {
  override readonly name = 'CurlImportError';
}
