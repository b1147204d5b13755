/**
 * `slotwire studio`: the authoring page (docs/studio.md), served on the
 * loopback address with a token new each start. The files stay the source
 * of truth: the page reads them as they change and writes only what the
 * user asked for.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { listen } from '../server/index.js';
import type { ServerHandle } from '../server/index.js';
import { createStudio, newToken } from '../studio/index.js';
import { parseCommandArgs, USAGE_EXIT, usageError } from './args.js';
import type { Output } from './output.js';
import { reportFlagFile } from './flag-file.js';
import { testFileFor } from '../config/index.js';
import { loadProject, projectSource } from './project.js';

/** The default port: the next after `serve`'s 5055. */
const DEFAULT_PORT = 5056;

/** Ports tried after the default when it is taken (`npm start`'s demo API uses 5056). */
const PORTS_TRIED = 10;

export const studioUsage: string = `Usage: slotwire studio [options]

Serves a local web page to author actions.yml: the actions and their
diagnostics (live as the file changes), a form to run an action against a
test case's fixtures or the live API, the HTTP exchange with the answer as a
tree, click a field to map it to a slot (written into the file, comments
kept), and save a run as a test case. Open the printed address: it carries a
token, new each start, that the page needs.

Options:
  --actions FILE     actions file (default: ./actions.yml)
  --tests FILE       test file for fixtures and saved cases
                     (default: actions.test.yml beside the actions file)
  --project DIR      a Rasa project folder: the form's slot types come from its
                     domain, and mappings are checked against it (re-read when
                     its domain or flow files change)
  --domain PATH      domain.yml or a domain folder (repeatable), for the same
  -p, --port N       port (default: ${DEFAULT_PORT}, or the next free one of ${PORTS_TRIED}; 0 picks any)
  --host ADDR        address to listen on (default: 127.0.0.1; the page runs
                     actions with your secrets: keep it on loopback)
  -h, --help         this text

Environment: live runs read \${VAR} references from the environment, as
slotwire run does; fixture runs use placeholders, as slotwire test does.`;

/** Runs the studio until SIGTERM/SIGINT; returns the exit code. */
export async function studioCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const parsed = parseCommandArgs(
    'studio',
    {
      args: [...args],
      options: {
        actions: { type: 'string', default: 'actions.yml' },
        tests: { type: 'string' },
        project: { type: 'string' },
        domain: { type: 'string', multiple: true },
        port: { type: 'string', short: 'p' },
        host: { type: 'string', default: '127.0.0.1' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    io,
  );
  if (!parsed) return USAGE_EXIT;
  const { values } = parsed;
  if (values.help) {
    io.out(studioUsage);
    return 0;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return usageError(io, 'studio', `--port must be a port number, not "${values.port}"`);
  if (!existsSync(values.actions)) {
    io.err(`slotwire studio: ${values.actions} does not exist; write one with slotwire init, or give --actions FILE`);
    return 1;
  }
  // The page follows the project as its files change and shows a problem that comes later; a
  // --domain or --project that cannot be read at the start is a wrong flag, said here.
  try {
    await loadProject(values.domain ?? [], values.project);
  } catch (err) {
    return reportFlagFile(err, 'studio', io);
  }
  const token = newToken();
  let handle: ServerHandle | null = null;
  const studio = await createStudio({
    actionsFile: values.actions,
    testFile: values.tests ?? testFileFor(values.actions),
    env,
    project: await projectSource(values.domain ?? [], values.project),
    token,
    port: () => (handle === null ? port : Number(new URL(handle.url).port)),
    loopback: ['127.0.0.1', 'localhost', '::1'].includes(values.host),
  });
  // An explicit --port is that port; the default moves on when taken.
  const candidates =
    values.port === undefined ? Array.from({ length: PORTS_TRIED }, (_, i) => DEFAULT_PORT + i) : [port];
  for (const candidate of candidates) {
    try {
      handle = await listen(studio.app, { port: candidate, hostname: values.host, gracePeriodMs: 1000 });
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw err;
      if (candidate === candidates.at(-1)) {
        studio.close();
        io.err(
          `slotwire studio: cannot listen on ${values.host}:${candidate} (${code}); choose another --port${code === 'EADDRNOTAVAIL' ? ' or --host' : ''}`,
        );
        return 1;
      }
    }
  }
  const served = handle as ServerHandle;
  const shown = new URL(served.url);
  if (shown.hostname === '0.0.0.0' || shown.hostname === '[::]') shown.hostname = '127.0.0.1';
  io.out(`slotwire studio: ${shown.origin}/?token=${token}`);
  io.out(
    `Open that address in a browser. It shows ${display(values.actions)}; the token is new each start. Ctrl-C stops.`,
  );
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      studio.close();
      served.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function display(file: string): string {
  return isAbsolute(file) ? relative(process.cwd(), file) || file : file;
}
