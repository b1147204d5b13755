/**
 * One server, two kinds of action: the YAML actions of actions.yml and the
 * TypeScript action of suggest-time.ts.
 *
 *   npx tsx examples/code-action/server.ts      # PORT (default 5055)
 *
 * `${VAR}` in actions.yml come from the environment, as with `slotwire serve`.
 */
import { fileURLToPath } from 'node:url';
import { closeOnSignals, createActionServer, createLogger, listen } from '../../runtime/index.js';
import { suggestTime } from './suggest-time.js';

const logger = createLogger();
const server = await createActionServer({
  actionsFile: fileURLToPath(new URL('./actions.yml', import.meta.url)),
  codeActions: [suggestTime],
  env: process.env,
  logger,
});
const handle = await listen(server.app, { port: Number(process.env['PORT'] ?? 5055) });
logger.info(
  `serving ${server.engine
    .actions()
    .map((a) => a.name)
    .join(', ')} on ${handle.url}/webhook`,
);
closeOnSignals(handle, {
  logger,
  onClosed: (err) => {
    void server.close().then(() => {
      process.exitCode = err ? 1 : 0;
    });
  },
});
