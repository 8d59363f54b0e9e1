/**
 * lsmcli start-up, side by side with Node's own floor, in one run: every round runs, one after the other,
 *  - `lsmcli list --type volumes` with 1,000 volumes through openlsmd (warm plugin processes),
 *  - the same listing embedded (lsmcli starts sim_lsmplugin itself),
 *  - `lsmcli list --type systems` through openlsmd,
 *  - `lsmcli --version`,
 *  - `node -e 0` (the floor: Node starting and exiting, before any line of ours runs),
 * each a fresh process as a user runs it, so machine load hits them all alike. Medians and p90 of wall time.
 *
 * The comparison (issue 8): libstoragemgmt 1.10.3's lsmcli, through lsmd, on the same kind of machine:
 * `list --type volumes` (1,000) 87 ms with its C simulator (simc), 125 ms with the Python one; `list --type
 * systems` 65 ms with simc. libstoragemgmt cannot run here, so those are the issue's figures; what this bench can
 * say is how far above `node -e 0` we are. Goal: at or below simc's 87 ms, aim 0.8x (70 ms).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@openlsm/client';
import { percentile } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lsmcli = path.join(root, 'cli/bin/lsmcli.js');
const openlsmd = path.join(root, 'packages/daemon/bin/openlsmd.js');
const simPlugin = path.join(root, 'plugins/sim/bin/sim_lsmplugin.js');
const VOLUMES = 1_000;
const ROUNDS = 20;
/** libstoragemgmt 1.10.3 through lsmd, from issue 8 (medians on this kind of machine). */
const LSM_SIMC_VOLUMES_MS = 87;
const LSM_PYTHON_SIM_VOLUMES_MS = 125;
const LSM_SIMC_SYSTEMS_MS = 65;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Wall time of one fresh process, spawn to exit; fails the bench when the command fails. */
function timeProcess(argv: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, argv, { env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  return ms;
}

function line(label: string, samples: number[], note = ''): string {
  const s = [...samples].sort((a, b) => a - b);
  return `  ${label.padEnd(44)} median ${percentile(s, 50).toFixed(1).padStart(6)} ms, p90 ${percentile(s, 90).toFixed(1).padStart(6)} ms${note}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-cli-bench-'));
  const pluginDir = path.join(dir, 'plugins');
  const socketDir = path.join(dir, 'ipc');
  mkdirSync(pluginDir);
  symlinkSync(simPlugin, path.join(pluginDir, 'sim_lsmplugin'));
  writeFileSync(path.join(dir, 'openlsmd.yaml'), 'log_level: warn\n');
  const uri = `sim://?statefile=${path.join(dir, 'state.sqlite3')}`;
  const base: NodeJS.ProcessEnv = { ...process.env, LSM_SIM_TIME: '0' };
  delete base.LSM_SIM_DATA;
  const daemonEnv = { ...base, LSM_UDS_PATH: socketDir };
  const embeddedEnv = { ...base, LSM_UDS_PATH: path.join(dir, 'no-daemon') };
  const daemon = spawn(process.execPath, [openlsmd, '--socket-dir', socketDir, '--plugin-dir', pluginDir, '--config', path.join(dir, 'openlsmd.yaml')], {
    env: base, stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; !existsSync(path.join(socketDir, 'sim')); i++) {
      if (i > 500) throw new Error('openlsmd did not create its sim socket');
      await sleep(20);
    }
    const client = await Client.connect(uri, { env: daemonEnv, mode: 'daemon' });
    try {
      const [pool] = await client.pools({ search_key: 'id', search_value: 'POOL_ID_00004' });
      if (!pool) throw new Error('the simulator has no POOL_ID_00004');
      for (let i = 0; i < VOLUMES; i++) {
        await client.volumeCreate({ pool, volume_name: `bench-${String(i).padStart(4, '0')}`, size_bytes: 1n << 30n }, { pollIntervalMs: 5 });
      }
    } finally {
      await client.close();
    }
    const runs: [string, string[], NodeJS.ProcessEnv][] = [
      ['list --type volumes, through openlsmd', [lsmcli, '-u', uri, 'list', '--type', 'volumes'], daemonEnv],
      ['list --type volumes, embedded', [lsmcli, '-u', uri, 'list', '--type', 'volumes'], embeddedEnv],
      ['list --type systems, through openlsmd', [lsmcli, '-u', uri, 'list', '--type', 'systems'], daemonEnv],
      ['--version', [lsmcli, '--version'], base],
      ['node -e 0 (the floor)', ['-e', '0'], base],
    ];
    for (const [, argv, env] of runs) timeProcess(argv, env); // file cache, warm plugin processes
    const samples = runs.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      runs.forEach(([, argv, env], i) => {
        samples[i]?.push(timeProcess(argv, env));
        // Calls spaced like a person's: openlsmd has refilled its warm plugin process (a process start) before
        // the next command, so the refill neither makes a listing wait nor competes with the next measurement.
        Atomics.wait(pause, 0, 0, 400);
      });
    }
    const median = (i: number) => percentile([...(samples[i] ?? [])].sort((a, b) => a - b), 50);
    const floor = median(4);
    console.log(`lsmcli wall time, fresh process per call, ${ROUNDS} interleaved rounds, ${VOLUMES} volumes (host: ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)})`);
    console.log(line(runs[0]![0], samples[0]!, `  = ${(median(0) / LSM_SIMC_VOLUMES_MS).toFixed(2)}x lsm+simc's ${LSM_SIMC_VOLUMES_MS} ms (aim <= 0.8x), lsm+Python sim ${LSM_PYTHON_SIM_VOLUMES_MS} ms`));
    console.log(line(runs[1]![0], samples[1]!));
    console.log(line(runs[2]![0], samples[2]!, `  (lsm+simc: ${LSM_SIMC_SYSTEMS_MS} ms)`));
    console.log(line(runs[3]![0], samples[3]!));
    console.log(line(runs[4]![0], samples[4]!));
    console.log(`  above the floor: volumes through openlsmd +${(median(0) - floor).toFixed(1)} ms, --version +${(median(3) - floor).toFixed(1)} ms`);
  } finally {
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
