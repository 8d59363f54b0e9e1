/**
 * Many plugin processes on one state file: no update is lost and NAME_CONFLICT is exact, because every mutation
 * is one BEGIN IMMEDIATE transaction with its checks inside.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorNumber, simEnv, type SimEnv } from './sim-env.js';

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'create-volumes-worker.js');

interface WorkerResult {
  created: number;
  errors: Record<string, number>;
}

function runWorker(sim: SimEnv, prefix: string, count: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, sim.uri, prefix, String(count)], {
      env: sim.env, stdio: ['ignore', 'pipe', 'inherit'], shell: false,
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker ${prefix} exited with ${code}`));
      else resolve(JSON.parse(out) as WorkerResult);
    });
  });
}

test('8 processes creating 200 volumes each on one state file end with exactly 1,600 volumes', async () => {
  const sim = simEnv();
  try {
    // Seed the file first so the workers race on volumes, not on creating the file (tested separately).
    const client = await sim.connect();
    const before = (await client.pools({ search_key: 'id', search_value: 'POOL_ID_00004' }))[0]!;
    const results = await Promise.all(Array.from({ length: 8 }, (_, w) => runWorker(sim, `w${w}-`, 200)));
    for (const r of results) assert.deepEqual(r, { created: 200, errors: {} });
    const volumes = await client.volumes();
    assert.equal(volumes.length, 1600);
    assert.equal(new Set(volumes.map((v) => v.id)).size, 1600);
    assert.equal(new Set(volumes.map((v) => v.name)).size, 1600);
    const after = (await client.pools({ search_key: 'id', search_value: 'POOL_ID_00004' }))[0]!;
    assert.equal(after.free_space, before.free_space - 1600n * (1n << 20n));
  } finally {
    await sim.cleanup();
  }
});

test('processes racing for the same names on a new state file: each name is created once, the rest is NAME_CONFLICT', async () => {
  const sim = simEnv();
  try {
    const results = await Promise.all(Array.from({ length: 4 }, () => runWorker(sim, 'same-', 50)));
    const created = results.reduce((n, r) => n + r.created, 0);
    const conflicts = results.reduce((n, r) => n + (r.errors[String(ErrorNumber.NAME_CONFLICT)] ?? 0), 0);
    assert.equal(created, 50);
    assert.equal(conflicts, 150);
    for (const r of results) assert.deepEqual(Object.keys(r.errors).filter((k) => k !== String(ErrorNumber.NAME_CONFLICT)), []);
    const client = await sim.connect();
    assert.equal((await client.volumes()).length, 50);
    assert.equal((await client.disks()).length, 20, 'the file was seeded exactly once');
  } finally {
    await sim.cleanup();
  }
});
