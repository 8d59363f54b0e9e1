/**
 * Runs the built `openlsm-targetd` as a user would: its own Node process, a YAML file of the test's own
 * (written as JSON, which YAML reads), `port: 0` so that the system picks a free port on 127.0.0.1, and the
 * port read back from the server's "listening" log line. The backend is a simulator on a state file in the
 * test's temporary directory; with `tls`, a throw-away CA signs the server's certificate.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CertificatePair, makeTestCa, type TestCa } from '../fixtures/test-ca.js';
import type { Target } from './rpc-client.js';

export const SERVER_BIN = fileURLToPath(new URL('../../../packages/targetd-server/bin/openlsm-targetd.js', import.meta.url));

export const USER = 'admin';
export const PASSWORD = 'S3cret-pw';
/** The sim pool offered, under a targetd-style name. */
export const POOL = 'vg-targetd';
export const FS_POOL = '/srv/targetd';

export interface ServerOptions {
  /** Settings merged over the defaults below (null removes a default). */
  config?: Record<string, unknown>;
  tls?: boolean;
  /** LSM_SIM_TIME for the simulator (default 0: jobs finish at once). */
  simTime?: string;
  /** Reuse this directory (and its simulator state) instead of a new one. */
  dir?: string;
  /** Mode of the configuration file (default 0600). */
  configMode?: number;
}

export interface RunningServer {
  host: '127.0.0.1';
  port: number;
  url: string;
  dir: string;
  configFile: string;
  /** The CA that signed the server's certificate (with `tls`). */
  ca: TestCa | undefined;
  /** Where raw and JSON-RPC clients connect (trusting `ca` with `tls`). */
  target: Target;
  proc: ChildProcess;
  /** stderr so far (JSON log lines). */
  stderr(): string;
  /** The parsed log lines so far. */
  logLines(): Record<string, unknown>[];
  /** Resolves with the next log line whose message is `message`. */
  waitForLog(message: string): Promise<Record<string, unknown>>;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
}

export interface ExitedServer {
  code: number | null;
  stdout: string;
  stderr: string;
}

function serverEnv(dir: string, simTime: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LSM_SIM_TIME: simTime, LSM_UDS_PATH: path.join(dir, 'no-daemon') };
  delete env.LSM_SIM_DATA;
  delete env.OPENLSM_LOG_LEVEL;
  return env;
}

/**
 * Copies a certificate and its key into `dir` as `server.crt` and `server.key`, mode 0600 as targetd demands
 * of both (the tests run as root, so they are root's), and returns their paths.
 */
export function installCertificate(dir: string, pair: CertificatePair): { cert: string; key: string } {
  const cert = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  copyFileSync(pair.certFile, cert);
  copyFileSync(pair.keyFile, key);
  chmodSync(cert, 0o600);
  chmodSync(key, 0o600);
  return { cert, key };
}

/** Writes the configuration file for `options` into `dir` (mode 0600) and returns its path. */
export function writeConfig(dir: string, options: ServerOptions, ca?: TestCa): string {
  const config: Record<string, unknown> = {
    backend: `sim://?statefile=${path.join(dir, 'sim.sqlite3')}`,
    user: USER,
    password: PASSWORD,
    port: 0,
    state_file: path.join(dir, 'luns.json'),
    block_pools: [{ name: POOL, pool: 'lsm_test_aggr' }],
    fs_pools: [{ name: FS_POOL, pool: 'lsm_test_aggr' }],
    log_level: 'info',
  };
  if (ca) {
    const { cert, key } = installCertificate(dir, ca.server);
    Object.assign(config, { ssl: true, ssl_cert: cert, ssl_key: key });
  }
  for (const [k, v] of Object.entries(options.config ?? {})) {
    if (v === null) delete config[k];
    else config[k] = v;
  }
  const file = path.join(dir, 'targetd.yaml');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  chmodSync(file, options.configMode ?? 0o600);
  return file;
}

function parseLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((l) => l.startsWith('{')).flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** Starts a server and waits until it listens; rejects with its stderr if it exits first. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'openlsm-targetd-test-'));
  const ca = options.tls ? makeTestCa() : undefined;
  const configFile = writeConfig(dir, options, ca);
  const proc = spawn(process.execPath, [SERVER_BIN, '--config', configFile], {
    env: serverEnv(dir, options.simTime ?? '0'), stdio: ['ignore', 'ignore', 'pipe'], shell: false,
  });
  let stderr = '';
  const waiters: { message: string; seen: number; resolve: (l: Record<string, unknown>) => void }[] = [];
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
    const lines = parseLines(stderr);
    for (const w of [...waiters]) {
      const hit = lines.slice(w.seen).find((l) => l.message === w.message);
      if (hit) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const waitForLog = (message: string) => new Promise<Record<string, unknown>>((resolve) => {
    const seen = parseLines(stderr).length;
    waiters.push({ message, seen, resolve });
  });
  const cleanup = () => {
    ca?.cleanup();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  };
  let up = false;
  const listening = await Promise.race([
    waitForLog('listening'),
    exited.then((code) => {
      if (up) return new Promise<never>(() => undefined);
      cleanup();
      throw new Error(`openlsm-targetd exited ${code} before listening:\n${stderr}`);
    }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`openlsm-targetd did not listen within 60 s:\n${stderr}`)), 60_000).unref()),
  ]);
  up = true;
  const port = listening.port as number;
  return {
    host: '127.0.0.1',
    port,
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/targetrpc`,
    dir,
    configFile,
    ca,
    target: ca ? { host: '127.0.0.1', port, ca: ca.ca.cert } : { host: '127.0.0.1', port },
    proc,
    stderr: () => stderr,
    logLines: () => parseLines(stderr),
    waitForLog,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const code = await exited;
      cleanup();
      return code;
    },
  };
}

/** Runs the server with a configuration that must make it exit; returns how it exited. */
export function runToExit(configFile: string, dir: string, args: string[] = ['--config', configFile]): Promise<ExitedServer> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [SERVER_BIN, ...args], { env: serverEnv(dir, '0'), stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    proc.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`openlsm-targetd kept running (it should have exited):\n${stderr}`));
    }, 60_000);
    proc.once('error', reject);
    proc.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
