/**
 * lsmcli wall time: `lsmcli -u sim://?statefile=... list --type volumes` with 1,000 volumes, on the embedded
 * path (no daemon: lsmcli starts sim_lsmplugin itself). The state is made through the SDK first; then the
 * built binary is run ~20 times, each as a fresh process exactly as a user would, and the wall time from
 * spawn to exit is reported (median, p90).
 *
 * Aim (issue 5): median under 200 ms. For scale, libstoragemgmt's lsmcli through lsmd takes 228 ms with its
 * Python simulator and 120 ms with its C simulator on this kind of machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@openlsm/client';
import { percentile } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const lsmcli = path.resolve(here, '../../cli/bin/lsmcli.js');
const VOLUMES = 1_000;
const RUNS = 20;

/** Runs lsmcli once; resolves with [wall ms, stdout bytes]. */
function timeRun(argv: string[], env: NodeJS.ProcessEnv): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [lsmcli, ...argv], { env, stdio: ['ignore', 'pipe', 'inherit'], shell: false });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => { bytes += chunk.length; });
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`lsmcli exited with ${code}`));
      else resolve([ms, bytes]);
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-cli-bench-'));
  const uri = `sim://?statefile=${path.join(dir, 'state.db')}`;
  const env = { ...process.env, LSM_SIM_TIME: '0' };
  try {
    const client = await Client.connect(uri, { env, mode: 'embedded' });
    try {
      const [pool] = await client.pools({ search_key: 'id', search_value: 'POOL_ID_00004' });
      if (!pool) throw new Error('the simulator has no POOL_ID_00004');
      for (let i = 0; i < VOLUMES; i++) {
        await client.volumeCreate({ pool, volume_name: `bench_${i}`, size_bytes: 1n << 30n });
      }
    } finally {
      await client.close();
    }
    const argv = ['-u', uri, 'list', '--type', 'volumes'];
    await timeRun(argv, env); // warm the file cache
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const [ms, out] = await timeRun(argv, env);
      times.push(ms);
      bytes = out;
    }
    times.sort((a, b) => a - b);
    const [help] = await timeRun(['--help'], env);
    const [local] = await timeRun(['-u', uri, 'plugin-info'], env);
    console.log(`lsmcli list --type volumes (${VOLUMES} volumes, embedded sim, ${RUNS} runs, ${bytes} bytes of output)`);
    console.log(`  median ${percentile(times, 50).toFixed(1)} ms, p90 ${percentile(times, 90).toFixed(1)} ms, min ${(times[0] ?? 0).toFixed(1)} ms  (aim: median < 200 ms)`);
    console.log(`  for scale: lsmcli --help ${help.toFixed(1)} ms; plugin-info ${local.toFixed(1)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
