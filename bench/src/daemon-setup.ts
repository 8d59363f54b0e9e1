/**
 * A private openlsmd for the daemon benchmarks: a temporary directory with the simulator served twice, as
 * `sim` (many sessions per process, as the sim plugin declares) and as `simiso` (`sessions_per_process: 1`,
 * lsm's process per session), plus what a benchmark needs to reach it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
const openlsmd = path.join(root, 'packages/daemon/bin/openlsmd.js');
const simPlugin = path.join(root, 'plugins/sim/bin/sim_lsmplugin.js');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function summary(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(2)} ms, p99 ${percentile(s, 99).toFixed(2)} ms (n=${s.length})`;
}

export const loadAverage = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

export interface BenchDaemon {
  dir: string;
  socketDir: string;
  child: ChildProcess;
  /** Client environment pointing at this daemon. */
  env: NodeJS.ProcessEnv;
  /** Client environment with no daemon (embedded mode). */
  embeddedEnv: NodeJS.ProcessEnv;
  /** A sim:// (or simiso://) URI on a state file of its own. */
  uri(scheme: 'sim' | 'simiso', name?: string): string;
  stop(): Promise<void>;
}

export async function startDaemon(extraConfig = ''): Promise<BenchDaemon> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-daemon-bench-'));
  const pluginDir = path.join(dir, 'plugins');
  const socketDir = path.join(dir, 'ipc');
  mkdirSync(pluginDir);
  symlinkSync(simPlugin, path.join(pluginDir, 'sim_lsmplugin'));
  symlinkSync(simPlugin, path.join(pluginDir, 'simiso_lsmplugin'));
  const configFile = path.join(dir, 'openlsmd.yaml');
  writeFileSync(configFile, `log_level: warn\nplugins:\n  simiso: { sessions_per_process: 1 }\n${extraConfig}`);
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, LSM_SIM_TIME: '0' };
  delete baseEnv.LSM_SIM_DATA;
  const child = spawn(process.execPath, [openlsmd, '--socket-dir', socketDir, '--plugin-dir', pluginDir, '--config', configFile], {
    env: baseEnv, stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; !existsSync(path.join(socketDir, 'sim')) || !existsSync(path.join(socketDir, 'simiso')); i++) {
    if (i > 1_000) throw new Error('openlsmd did not create its sockets');
    await sleep(20);
  }
  await sleep(1_000); // the warm processes load
  return {
    dir,
    socketDir,
    child,
    env: { ...baseEnv, LSM_UDS_PATH: socketDir },
    embeddedEnv: { ...baseEnv, LSM_UDS_PATH: path.join(dir, 'no-daemon') },
    uri: (scheme, name = 'state') => `${scheme}://?statefile=${encodeURIComponent(path.join(dir, `${name}.sqlite3`))}`,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
