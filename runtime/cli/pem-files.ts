/**
 * The PEM files of `serve --ssl-certificate`, `--ssl-keyfile` and
 * `--ssl-ca-file`, read and checked before anything listens. node and
 * grpc-js would refuse a file that is not a certificate, a key that is not
 * the certificate's or that its passphrase does not open, but only when the
 * server starts, with OpenSSL's words and a stack; checked here, each is one
 * line naming the flag and the file (flag-file.ts). Nothing of the files'
 * contents nor the passphrase is ever printed.
 */
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { GrpcTlsOptions } from '../grpc/index.js';
import { FlagFileError, readFlagFile } from './flag-file.js';
import type { TlsFlags } from './serve-options.js';

/**
 * The files' contents, as listen() and listenGrpc() take them: each is read
 * first, then checked. Throws FlagFileError for one that cannot be used.
 */
export async function readPems(tls: TlsFlags): Promise<GrpcTlsOptions> {
  const cert = await readFlagFile('--ssl-certificate', tls.certificate);
  const key = await readFlagFile('--ssl-keyfile', tls.keyfile);
  const ca =
    tls.caFile === undefined ? null : { file: tls.caFile, text: await readFlagFile('--ssl-ca-file', tls.caFile) };
  checkCertificate('--ssl-certificate', tls.certificate, cert);
  if (ca !== null) checkCertificate('--ssl-ca-file', ca.file, ca.text);
  checkKey(tls, cert, key);
  return {
    cert,
    key,
    ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
    ...(ca === null ? {} : { clientCa: ca.text }),
  };
}

/** Throws FlagFileError unless `text` starts with a PEM certificate. */
function checkCertificate(flag: string, file: string, text: string): void {
  try {
    if (new X509Certificate(text).raw.length > 0) return;
  } catch {
    // Whatever X509Certificate refuses, it refused the user's bytes.
  }
  throw new FlagFileError(flag, file, 'is not a PEM certificate');
}

/**
 * Throws FlagFileError unless the key opens with the passphrase given and
 * belongs to the certificate: a TLS context is built from both, as the
 * server will, and OpenSSL's error code says which of these failed.
 */
function checkKey(tls: TlsFlags, cert: string, key: string): void {
  try {
    createSecureContext({ cert, key, ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }) });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_OSSL_')) throw err;
    throw new FlagFileError('--ssl-keyfile', tls.keyfile, keyProblem(code, tls));
  }
}

function keyProblem(code: string, tls: TlsFlags): string {
  if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') return `is not the key of --ssl-certificate ${tls.certificate}`;
  if (code === 'ERR_OSSL_BAD_DECRYPT')
    return tls.passphrase === undefined
      ? 'is encrypted: give its passphrase with --ssl-password'
      : 'cannot be decrypted with the --ssl-password given';
  return 'is not a PEM private key';
}
