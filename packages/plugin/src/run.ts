/**
 * The `main` of a plugin executable.
 */
import { SESSION_HOST_ENV, socketFromFd } from '@openlsm/ipc';
import { createLogger } from '@openlsm/log';
import { hostSessions } from './host.js';
import type { Plugin } from './plugin.js';
import { servePlugin, type ServeOptions } from './runner.js';

export interface RunOptions extends ServeOptions {
  /**
   * How many sessions one process may serve at once when openlsmd offers it (see host.ts). The default, 1, is lsm's
   * isolation: a process per session. Declare more only when every bit of session state lives in the plugin
   * instance (one is created per session) or on the array, never in module-level variables, and when sessions
   * of different users may share the process's memory (passwords included).
   */
  sessionsPerProcess?: number;
}

/**
 * `<name>_lsmplugin <fd>`, where fd is a connected socket inherited from the client (embedded mode) or from
 * openlsmd. Serves one session (or, with `sessionsPerProcess` and when openlsmd offers it, many), then exits.
 *
 * ```ts
 * #!/usr/bin/env node
 * import { runPlugin } from '@openlsm/plugin';
 * runPlugin(() => new MyPlugin());                               // one session per process, as lsm
 * runPlugin(() => new MyPlugin(), { sessionsPerProcess: 64 });    // openlsmd may share a process
 * ```
 */
export function runPlugin(create: () => Plugin, options: RunOptions = {}, argv = process.argv.slice(2)): void {
  const log = options.log ?? createLogger({ component: 'plugin', meta: { exe: process.argv[1] } });
  if (argv.length !== 1 || !/^\d+$/.test(argv[0] as string)) {
    process.stderr.write('usage: <plugin> <fd>\nA plugin is started by openlsmd or by the openlsm client with a connected socket descriptor.\n');
    process.exit(2);
  }
  const sessionsPerProcess = options.sessionsPerProcess ?? 1;
  if (!Number.isSafeInteger(sessionsPerProcess) || sessionsPerProcess < 1) throw new RangeError('sessionsPerProcess must be a positive integer');
  // openlsmd's offer is for this process alone: a plugin this one starts must not take it for its own.
  const offered = Number(process.env[SESSION_HOST_ENV]);
  delete process.env[SESSION_HOST_ENV];
  const sessions = Number.isSafeInteger(offered) && offered > 1 ? Math.min(offered, sessionsPerProcess) : 1;
  // Bad input must never kill the plugin; a bug outside a call is logged, and the session goes on.
  process.on('uncaughtException', (err) => {
    log.error('uncaught exception', { error: err.message });
    log.debug('uncaught exception: stack', { stack: err.stack });
  });
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: String(err) }));
  const stream = socketFromFd(Number(argv[0]));
  const served = sessions > 1
    ? hostSessions(create, stream, { ...options, log, sessions })
    : servePlugin(create(), stream, { ...options, log }).finished;
  void served.then(async () => {
    await log.flush();
    process.exit(0);
  });
}
