/**
 * Crash safety: plugin processes killed with SIGKILL in the middle of writing leave a state file that opens and
 * is consistent (SQLite's own checks pass, and every pool's free space is its total minus what is carved from it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findPluginExecutable, spawnPlugin } from '@openlsm/client';
import { type Pool, VolumeCreate } from '@openlsm/core';
import { Connection } from '@openlsm/ipc';
import { SimStore } from '@openlsm/plugin-sim';
import { killDuringCalls } from '../fixtures/kill-mid-flight.js';
import { simEnv, type SimEnv } from './sim-env.js';

function pluginExecutable(sim: SimEnv): string {
  const exe = findPluginExecutable('sim', sim.env);
  if (!exe) throw new Error('sim_lsmplugin not found: build the workspace first');
  return exe;
}

/** Problems with the state file: SQLite's checks, then the space accounting of every pool. */
function consistencyProblems(file: string): string[] {
  const store = SimStore.open(file, { timeoutMs: 10_000 });
  try {
    const problems = store.integrityProblems();
    const pools = store.all<{ id: bigint; total_space: bigint; free_space: bigint; used: bigint }>(`
      SELECT p.id, p.total_space, p.free_space,
        coalesce((SELECT sum(block_size * num_of_blocks) FROM volumes WHERE pool_id = p.id), 0)
        + coalesce((SELECT sum(total_space) FROM fss WHERE pool_id = p.id), 0)
        + coalesce((SELECT sum(total_space) FROM pools c WHERE c.parent_pool_id = p.id), 0) AS used
      FROM pools p`);
    for (const p of pools) {
      if (p.free_space !== p.total_space - p.used) problems.push(`pool ${p.id}: free ${p.free_space} != total ${p.total_space} - used ${p.used}`);
    }
    return problems;
  } finally {
    store.close();
  }
}

/** Starts a plugin on the state file, registers, and returns the raw connection (no client-side waiting). */
async function startPlugin(sim: SimEnv, exe: string) {
  const plugin = await spawnPlugin(exe, sim.env);
  const connection = new Connection(plugin.socket, { peerName: 'sim plug-in', timeoutMs: 30_000 });
  return { plugin, connection };
}

test('50 plugin processes killed with SIGKILL during writes leave a consistent state file', async () => {
  const sim = simEnv();
  const exe = pluginExecutable(sim);
  try {
    let attempted = 0;
    for (let run = 0; run < 50; run++) {
      const { plugin, connection } = await startPlugin(sim, exe);
      await connection.request('plugin_register', { uri: sim.uri, password: null, timeout: 30_000, flags: 0 });
      const [, , , pool] = (await connection.request('pools', { flags: 0 })) as Pool[];
      // Creates are pumped until the kill, so the kill always lands while writes are under way.
      attempted += await killDuringCalls(plugin, (i) => connection.request(VolumeCreate.method, {
        pool, volume_name: `r${run}-${i}`, size_bytes: BigInt(1 + (i % 100)) << 20n, provisioning: 3, flags: 0,
      }), { delayMs: run % 7, countsAsDone: 'success' });
      connection.destroy();
      await plugin.stop(1_000);
      const problems = consistencyProblems(sim.stateFile);
      assert.deepEqual(problems, [], `after run ${run}`);
    }
    const client = await sim.connect();
    const volumes = await client.volumes();
    assert.ok(volumes.length > 0 && volumes.length < attempted, `some but not all creates were committed (${volumes.length} of ${attempted})`);
  } finally {
    await sim.cleanup();
  }
});

test('plugins killed while seeding a new state file leave a file the next session opens and seeds', async () => {
  const sim = simEnv();
  const exe = pluginExecutable(sim);
  try {
    for (let run = 0; run < 5; run++) {
      const file = path.join(sim.dir, `fresh-${run}.sqlite3`);
      const uri = `sim://?statefile=${encodeURIComponent(file)}`;
      const { plugin, connection } = await startPlugin(sim, exe);
      const register = connection.request('plugin_register', { uri, password: null, timeout: 30_000, flags: 0 });
      await sleep(run * 15);
      plugin.child.kill('SIGKILL');
      await register.catch(() => undefined);
      connection.destroy();
      await plugin.stop(1_000);
      const client = await import('@openlsm/client').then((m) => m.Client.connect(uri, { mode: 'embedded', env: sim.env }));
      assert.equal((await client.disks()).length, 20);
      assert.equal((await client.pools()).length, 4);
      await client.close();
      assert.deepEqual(consistencyProblems(file), []);
    }
  } finally {
    await sim.cleanup();
  }
});
