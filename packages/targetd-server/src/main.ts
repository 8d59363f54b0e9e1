/**
 * `openlsm-targetd [--config FILE]`: runs in the foreground (systemd supervises it), logs JSON lines on stderr.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger } from '@openlsm/log';
import { DEFAULT_CONFIG_FILE, loadServerConfig, type ServerConfig } from './config.js';
import { TargetdServer } from './server.js';

const USAGE = `usage: openlsm-targetd [--config FILE]

Serves targetd's JSON-RPC API (POST /targetrpc, HTTP Basic auth, optional TLS) for the
storage of an openlsm backend (the config's "backend" URI: lio://, sim://, ...).

  --config FILE   configuration file (default ${DEFAULT_CONFIG_FILE})
  -h, --help      show this help
  -V, --version   show the version

Signals: SIGHUP re-reads the TLS certificate and key (open connections keep theirs),
SIGTERM/SIGINT stop (calls in flight finish first). See docs/targetd-server.md.
`;

function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

async function main(): Promise<number> {
  let configFile: string;
  try {
    const { values, positionals } = parseArgs({
      args: process.argv.slice(2),
      options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'V' } },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (values.version) {
      process.stdout.write(`openlsm-targetd ${version()}\n`);
      return 0;
    }
    if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
    configFile = values.config ?? DEFAULT_CONFIG_FILE;
  } catch (err) {
    process.stderr.write(`openlsm-targetd: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  let config: ServerConfig;
  try {
    config = loadServerConfig(configFile);
  } catch (err) {
    process.stderr.write(`openlsm-targetd: ${(err as Error).message}\n`);
    return 2;
  }
  const log = createLogger({ component: 'targetd-server', level: config.logLevel });
  for (const warning of config.warnings) log.warn(warning);
  // Signals are handled from the start: a SIGHUP during start-up must not terminate the process.
  let server: TargetdServer | undefined;
  let stopping: NodeJS.Signals | undefined;
  let stopped: (() => void) | undefined;
  const done = new Promise<void>((resolve) => { stopped = resolve; });
  const stop = (signal: NodeJS.Signals) => {
    log.info('signal received, stopping', { signal });
    void server?.stop().then(() => stopped?.());
  };
  process.on('SIGHUP', () => {
    if (!server) return;
    try {
      server.reloadCertificate();
      if (server.tls) log.info('TLS certificate reloaded', { cert: config.sslCert });
    } catch (err) {
      log.error('TLS certificate not reloaded; the current one stays in use', { error: (err as Error).message });
    }
  });
  const onStop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = signal;
    if (server) stop(signal);
  };
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  try {
    server = await TargetdServer.start({ config, log });
  } catch (err) {
    const message = (err as Error).message;
    log.error('openlsm-targetd cannot start', { error: message });
    process.stderr.write(`openlsm-targetd: ${message}\n`);
    await log.flush();
    return 1;
  }
  const { address, port } = server.address;
  log.info('listening', { address, port, tls: config.ssl, backend: config.backend, url: `${config.ssl ? 'https' : 'http'}://${address.includes(':') ? `[${address}]` : address}:${port}/targetrpc` });
  if (stopping) stop(stopping);
  process.on('uncaughtException', (err) => log.error('uncaught exception', { error: err.message, stack: err.stack }));
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: String(err) }));
  await done;
  await log.flush();
  return 0;
}

process.exitCode = await main();
process.exit();
