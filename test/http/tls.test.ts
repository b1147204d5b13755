import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createHttpClient } from '../../runtime/http/index.js';
import type { HttpClient } from '../../runtime/http/index.js';
import { closeAll, connection, json, noDeadline, prepared, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';
import { needs } from '../support/services.js';

interface Pki {
  ca: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  clientCert: string;
}

/** A private CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl in a temp dir. */
function makePki(dir: string): Pki {
  const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=slotwire test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    run('req', ...ec, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
    run(
      'x509',
      '-req',
      '-in',
      `${who}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${who}.crt`,
      '-days',
      '2',
      '-extfile',
      `${who}.ext`,
    );
  }
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return {
    ca: read('ca.crt'),
    serverKey: read('server.key'),
    serverCert: read('server.crt'),
    clientKey: read('client.key'),
    clientCert: read('client.crt'),
  };
}

needs('openssl').describe('TLS with a private CA', () => {
  let dir: string;
  let pki: Pki;
  let server: TestServer | undefined;
  let http: HttpClient | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'slotwire-tls-'));
    pki = makePki(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await closeAll(http, server);
    [server, http] = [undefined, undefined];
  });

  it('trusts an upstream signed by the connection CA', async () => {
    server = await startServer((_req, res) => json(res, 200, { secure: true }), {
      key: pki.serverKey,
      cert: pki.serverCert,
    });
    http = createHttpClient([connection(server.origin, { tls: { ca: pki.ca } })]);
    expect(await http.send(prepared('/x'), noDeadline)).toMatchObject({
      ok: true,
      response: { body: { secure: true } },
    });
  });

  it('refuses the same upstream without the CA, as network with the TLS code', async () => {
    server = await startServer((_req, res) => json(res, 200, {}), { key: pki.serverKey, cert: pki.serverCert });
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'network', code: 'SW_UPSTREAM_NETWORK', cause: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    });
    expect(server.seen).toHaveLength(0);
  });

  it('presents a client certificate to an upstream that requires one', async () => {
    server = await startServer(
      (req, res) => json(res, 200, { client: (req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? null }),
      { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
    );
    http = createHttpClient([
      connection(server.origin, { tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } }),
    ]);
    expect(await http.send(prepared('/x'), noDeadline)).toMatchObject({
      ok: true,
      response: { body: { client: 'client' } },
    });
  });

  it('fails as network when the upstream wants a client certificate and gets none', async () => {
    server = await startServer((_req, res) => json(res, 200, {}), {
      key: pki.serverKey,
      cert: pki.serverCert,
      ca: pki.ca,
      requestCert: true,
      rejectUnauthorized: true,
    });
    http = createHttpClient([connection(server.origin, { tls: { ca: pki.ca } })]);
    expect(await http.send(prepared('/x'), noDeadline)).toMatchObject({ ok: false, error: { kind: 'network' } });
  });
});
