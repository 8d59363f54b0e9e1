/**
 * Set-up for the daemon's end-to-end tests: a temp directory with `plugins/` (symlinks to the echo test plugin
 * and, when asked, to sim), `ipc/` for the sockets and `openlsmd.yaml`, and the built `openlsmd` started on them
 * as a child process. Its JSON log lines (stderr) are collected so tests can check what it reported.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type ConnectOptions } from '@openlsm/client';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const openlsmdBin = path.join(repoRoot, 'packages/daemon/bin/openlsmd.js');
export const echoPluginPath = path.resolve(here, '../fixtures/echo-plugin.js');
export const simPluginPath = path.join(repoRoot, 'plugins/sim/bin/sim_lsmplugin.js');

export interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

export interface DaemonProcess {
  child: ChildProcess;
  /** Every JSON line written so far. */
  logs: LogLine[];
  /** Raw stderr text. */
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line matching, waiting up to `timeoutMs`. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

export interface DaemonEnv {
  dir: string;
  pluginDir: string;
  socketDir: string;
  configFile: string;
  /** Client environment: LSM_UDS_PATH points at this daemon. */
  env: NodeJS.ProcessEnv;
  /** Adds `<name>_lsmplugin` -> target to the plugin directory. */
  addPlugin(name: string, target: string): void;
  start(extraArgs?: string[]): Promise<DaemonProcess>;
  /** Starts openlsmd without waiting for it to be ready (for refusal tests). */
  spawnDaemon(extraArgs?: string[]): DaemonProcess;
  connect(uri?: string, options?: ConnectOptions): Promise<Client>;
  cleanup(): Promise<void>;
}

export interface DaemonEnvOptions {
  /** YAML written to openlsmd.yaml. */
  config?: string;
  plugins?: ('echo' | 'sim')[];
}

export function daemonEnv(options: DaemonEnvOptions = {}): DaemonEnv {
  chmodSync(echoPluginPath, 0o755);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-daemon-test-'));
  const pluginDir = path.join(dir, 'plugins');
  const socketDir = path.join(dir, 'ipc');
  const configFile = path.join(dir, 'openlsmd.yaml');
  mkdirSync(pluginDir);
  writeFileSync(configFile, options.config ?? 'exit_grace_ms: 500\nshutdown_timeout_ms: 5000\n');
  const targets = { echo: echoPluginPath, sim: simPluginPath };
  const addPlugin = (name: string, target: string) => symlinkSync(target, path.join(pluginDir, `${name}_lsmplugin`));
  for (const p of options.plugins ?? ['echo']) addPlugin(p, targets[p]);
  const env: NodeJS.ProcessEnv = { ...process.env, LSM_UDS_PATH: socketDir, LSM_SIM_TIME: '0' };
  delete env.LSM_SIM_DATA;
  const daemons: DaemonProcess[] = [];
  const clients: Client[] = [];

  const spawnDaemon = (extraArgs: string[] = []): DaemonProcess => {
    const child = spawn(process.execPath, [openlsmdBin, '--socket-dir', socketDir, '--plugin-dir', pluginDir, '--config', configFile, ...extraArgs], {
      // Plugins inherit the daemon's environment: sim jobs finish at once.
      env: { ...env, OPENLSM_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let text = '';
    const logs: LogLine[] = [];
    const waiters = new Set<() => void>();
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      text += chunk;
      const lines = text.split('\n');
      text = lines.pop() ?? '';
      for (const line of lines) {
        try {
          logs.push(JSON.parse(line) as LogLine);
        } catch {
          logs.push({ level: 'raw', message: line });
        }
      }
      for (const w of waiters) w();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        for (const w of waiters) w();
        resolve({ code, signal });
      });
    });
    const daemon: DaemonProcess = {
      child,
      logs,
      stderr: () => logs.map((l) => (l.level === 'raw' ? l.message : JSON.stringify(l))).join('\n') + text,
      exited,
      waitForLog(match, timeoutMs = 15_000) {
        return new Promise((resolve, reject) => {
          const check = () => {
            const found = logs.find(match);
            if (found) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(found);
            } else if (child.exitCode !== null || child.signalCode !== null) {
              waiters.delete(check);
              clearTimeout(timer);
              reject(new Error(`openlsmd exited before logging what was expected:\n${daemon.stderr()}`));
            }
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`openlsmd did not log what was expected within ${timeoutMs} ms:\n${daemon.stderr()}`));
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      },
    };
    daemons.push(daemon);
    return daemon;
  };

  return {
    dir,
    pluginDir,
    socketDir,
    configFile,
    env,
    addPlugin,
    spawnDaemon,
    async start(extraArgs = []) {
      const daemon = spawnDaemon(extraArgs);
      await daemon.waitForLog((l) => l.message === 'openlsmd started');
      return daemon;
    },
    async connect(uri = 'echo://', options = {}) {
      const client = await Client.connect(uri, { env, mode: 'daemon', ...options });
      clients.push(client);
      return client;
    },
    async cleanup() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      for (const d of daemons) {
        if (d.child.exitCode === null && d.child.signalCode === null) {
          d.child.kill('SIGTERM');
          const t = setTimeout(() => d.child.kill('SIGKILL'), 5_000);
          await d.exited;
          clearTimeout(t);
        }
      }
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
