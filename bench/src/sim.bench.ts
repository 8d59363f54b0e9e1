/**
 * The simulator at scale, through the SDK and a real `sim_lsmplugin` process (LSM_SIM_TIME=0):
 *
 * * start-up: spawn `sim_lsmplugin` -> first answer (`plugin_info`), and spawn -> registered -> `systems`
 *   answered, on an existing state file (median of 15);
 * * create 10,000 volumes one after another (each `volume_create` + `job_status` + `job_free`, as lsmcli does),
 *   and the same with 16 calls in flight on one connection;
 * * list the 10,000 volumes (median of 7);
 * * list 100,000 volumes (median of 5). The other 90,000 are inserted by a direct store transaction (same rows as
 *   `volume_create` writes), because creating them through the SDK would only repeat the figure above.
 *
 * Aims (issue 6): list 100,000 volumes in under 1 s; create 10,000 in under 10 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, findPluginExecutable } from '@openlsm/client';
import type { Pool } from '@openlsm/core';
import { SimStore } from '@openlsm/plugin-sim';
import { timeStartup } from './startup.js';
import { median, timed } from './stats.js';

const MiB = 1n << 20n;

/** Inserts volumes `from..to-1` in one transaction, with the pool accounting `volume_create` does. */
function insertDirect(file: string, from: number, to: number): void {
  const store = SimStore.open(file, { timeoutMs: 30_000 });
  try {
    store.write(() => {
      for (let i = from; i < to; i++) {
        store.run(`INSERT INTO volumes (name, vpd83, block_size, num_of_blocks, admin_state, pool_id, provisioning,
          write_cache_policy, read_cache_policy, physical_disk_cache) VALUES (?, ?, 512, 2048, 1, 4, 3, 3, 2, 3)`,
        `bulk_${i}`, `5${(0x1000000000000000n + BigInt(i)).toString(16).slice(1)}`);
      }
      store.run('UPDATE pools SET free_space = free_space - ? WHERE id = 4', BigInt(to - from) * MiB);
    });
  } finally {
    store.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-sim-bench-'));
  const file = path.join(dir, 'state.sqlite3');
  const uri = `sim://?statefile=${encodeURIComponent(file)}`;
  const env = { ...process.env, LSM_SIM_TIME: '0', LSM_UDS_PATH: path.join(dir, 'no-daemon') };
  const exe = findPluginExecutable('sim', env);
  if (!exe) throw new Error('sim_lsmplugin not found; build first');
  const rows: [string, string][] = [];
  try {
    const client = await Client.connect(uri, { env, mode: 'embedded' });
    const [pool] = (await client.pools({ search_key: 'id', search_value: 'POOL_ID_00004' })) as [Pool];

    const starts: [number, number][] = [];
    for (let i = 0; i < 15; i++) starts.push(await timeStartup(exe, uri, env));
    rows.push(['start-up: spawn -> plugin_info answered (median of 15)', `${median(starts.map((s) => s[0])).toFixed(1)} ms`]);
    rows.push(['start-up: spawn -> registered -> systems answered', `${median(starts.map((s) => s[1])).toFixed(1)} ms`]);

    const [seqMs] = await timed(async () => {
      for (let i = 0; i < 10_000; i++) await client.volumeCreate({ pool, volume_name: `seq_${i}`, size_bytes: MiB });
    });
    rows.push(['create 10,000 volumes, one at a time (3 RPCs each)', `${(seqMs / 1000).toFixed(2)} s (${(seqMs / 10_000).toFixed(3)} ms/volume)`]);

    const lists: number[] = [];
    let count = 0;
    for (let i = 0; i < 7; i++) {
      const [ms, vols] = await timed(() => client.volumes());
      lists.push(ms);
      count = vols.length;
    }
    rows.push([`list ${count.toLocaleString('en')} volumes (median of 7)`, `${median(lists).toFixed(1)} ms`]);

    const [parMs] = await timed(async () => {
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (next < 10_000) {
          const i = next++;
          await client.volumeCreate({ pool, volume_name: `par_${i}`, size_bytes: MiB });
        }
      }));
    });
    rows.push(['create 10,000 more, 16 in flight on one connection', `${(parMs / 1000).toFixed(2)} s`]);

    const have = (await client.volumes()).length;
    insertDirect(file, have, 100_000);
    const big: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [ms, vols] = await timed(() => client.volumes());
      big.push(ms);
      count = vols.length;
    }
    rows.push([`list ${count.toLocaleString('en')} volumes (median of 5)`, `${median(big).toFixed(1)} ms`]);
    const [searchMs, found] = await timed(() => client.volumes({ search_key: 'id', search_value: 'VOL_ID_54321' }));
    rows.push([`search one volume by id among ${count.toLocaleString('en')}`, `${searchMs.toFixed(2)} ms (${found.length} found)`]);
    await client.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('sim:// through the SDK, LSM_SIM_TIME=0');
  for (const [what, value] of rows) console.log(`  ${what.padEnd(width)}  ${value}`);
}

await main();
