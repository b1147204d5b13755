/** Limits every front-end of Rasa's calls applies the same way. */

/** Default time a client has to send the whole request: 30 s, a 32 MiB body at about 1 MB/s. */
export const DEFAULT_REQUEST_TIMEOUT_MS: number = 30 * 1000;
