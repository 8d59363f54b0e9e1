/**
 * What the packaging changed on the paths users wait for:
 *  - loading the SDK in a fresh process, now that `@openlsm/client` also re-exports `@openlsm/core` and the
 *    local-disk API, and through the one-for-everything `openlsm` (median of 15 processes each, minus an empty
 *    Node start-up measured the same way);
 *  - finding a plugin executable (`findPluginExecutable('sim')`, done by every embedded connect and lsmcli run);
 *  - a whole `openlsm-plugin-test` run against the simulator (50 checks), as a plugin author runs it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPluginExecutable } from '@openlsm/discovery';
import { median } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = 15;

function wallMs(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, argv, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'], shell: false });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`${argv.join(' ')} exited with ${code}`));
      else resolve(Number(process.hrtime.bigint() - start) / 1e6);
    });
  });
}

async function importMs(specifier: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await wallMs(['--input-type=module', '-e', specifier ? `await import(${JSON.stringify(specifier)})` : '']));
  return median(samples);
}

async function main(): Promise<void> {
  const empty = await importMs('');
  console.log(`fresh-process import, median of ${RUNS}, above an empty Node start-up (${empty.toFixed(1)} ms):`);
  // The Client class alone (its module, without the index's re-exports) is the baseline of what they add.
  const rows: [string, string][] = [
    ['Client alone', './packages/client/dist/client.js'], ['@openlsm/core', '@openlsm/core'], ['@openlsm/localdisk', '@openlsm/localdisk'],
    ['@openlsm/client', '@openlsm/client'], ['openlsm', 'openlsm'],
  ];
  for (const [label, specifier] of rows) {
    console.log(`  ${label.padEnd(20)} ${((await importMs(specifier)) - empty).toFixed(1)} ms`);
  }

  const calls = 20_000;
  findPluginExecutable('sim');
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) findPluginExecutable('sim');
  const perCall = Number(process.hrtime.bigint() - start) / 1e3 / calls;
  console.log(`findPluginExecutable('sim'): ${perCall.toFixed(1)} us per call (${calls} calls)`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-conformance-bench-'));
  try {
    const argv = [path.join(root, 'packages/plugin-test/bin/openlsm-plugin-test.js'), '--uri', `sim://?statefile=${path.join(dir, 'state.sqlite3')}`];
    const env = { ...process.env, LSM_SIM_TIME: '0', LSM_UDS_PATH: path.join(dir, 'no-daemon') };
    await wallMs(argv, env);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push(await wallMs(argv, env));
    console.log(`openlsm-plugin-test --uri sim:// (every check): median ${median(runs).toFixed(0)} ms of 5 runs`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
