/**
 * `openlsmd [--config FILE] [--socket-dir DIR] [--plugin-dir DIR]...`: runs in the foreground (systemd
 * supervises it; it never forks into the background), logs JSON lines on stderr.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { installedPluginDirectories, socketDirectory } from '@openlsm/discovery';
import { LsmError } from '@openlsm/core';
import { createLogger } from '@openlsm/log';
import { type DaemonConfig, defaultConfig, loadConfig, type Overrides } from './config.js';
import { Daemon } from './daemon.js';

const USAGE = `usage: openlsmd [--config FILE] [--socket-dir DIR] [--plugin-dir DIR]...

Serves every <name>_lsmplugin found in the plugin directories on <socket dir>/<name>,
a plugin process per client session (or a share of one, for plugins that declare it),
to openlsm and libstoragemgmt clients. The socket directory must belong to openlsmd's
user and be writable by nobody else.

  --config FILE      configuration file (default /etc/openlsm/openlsmd.yaml)
  --socket-dir DIR   socket directory (default: $LSM_UDS_PATH, /run/openlsm/ipc as root,
                     $XDG_RUNTIME_DIR/openlsm/ipc otherwise)
  --plugin-dir DIR   plugin directory; repeat for several (replaces plugin_dirs)
  -h, --help         show this help
  -V, --version      show the version

Signals: SIGHUP rescans plugins, SIGTERM/SIGINT stop (calls in flight finish first).
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function parseCommandLine(argv: string[]): Overrides | 'help' | 'version' {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      'socket-dir': { type: 'string' },
      'plugin-dir': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
  return { configFile: values.config, socketDir: values['socket-dir'], pluginDirs: values['plugin-dir'] };
}

async function main(): Promise<number> {
  let overrides: Overrides | 'help' | 'version';
  try {
    overrides = parseCommandLine(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`openlsmd: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (overrides === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (overrides === 'version') {
    process.stdout.write(`openlsmd ${version()}\n`);
    return 0;
  }
  const env = process.env;
  const base = defaultConfig(socketDirectory({ ...env, LSM_UDS_PATH: undefined }), installedPluginDirectories());
  const load = (): DaemonConfig => loadConfig(overrides, base, env);
  let config: DaemonConfig;
  try {
    config = load();
  } catch (err) {
    process.stderr.write(`openlsmd: ${(err as Error).message}\n`);
    return 2;
  }
  const log = createLogger({ component: 'daemon', level: config.logLevel });
  const daemon = new Daemon(config, { log, env, reloadConfig: load });
  // Signal handlers go in before start-up: a SIGHUP that arrives while the sockets are being created must not
  // hit the default action (terminate). Signals received before the daemon is up act once it is.
  let started = false;
  let reloadPending = false;
  let stopSignal: NodeJS.Signals | undefined;
  let onStop: (() => void) | undefined;
  const stop = new Promise<void>((resolve) => { onStop = resolve; });
  const stopNow = (signal: NodeJS.Signals) => {
    log.info('signal received', { signal });
    void daemon.stop().then(() => onStop?.());
  };
  process.on('SIGHUP', () => {
    if (started) void daemon.reload();
    else reloadPending = true;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopSignal) return;
    stopSignal = signal;
    if (started) stopNow(signal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    await daemon.start();
  } catch (err) {
    const message = err instanceof LsmError ? err.message : (err as Error).message;
    log.error('openlsmd cannot start', { error: message });
    process.stderr.write(`openlsmd: ${message}\n`);
    await log.flush();
    return 1;
  }
  started = true;
  if (stopSignal) stopNow(stopSignal);
  else if (reloadPending) void daemon.reload();
  // A bug in one session must not take every other client down: log it and go on.
  process.on('uncaughtException', (err) => log.error('uncaught exception', { error: err.message, stack: err.stack }));
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: String(err) }));
  // With no plug-in installed yet there is no socket to keep Node running, but the daemon must wait for the
  // SIGHUP that finds them (a package installed after the daemon started): hold the process open until it stops.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  await stop;
  clearInterval(keepAlive);
  await log.flush();
  return 0;
}

process.exitCode = await main();
// Sockets to plugins that were killed, timers of finished sessions: nothing left matters once stopped.
process.exit();
