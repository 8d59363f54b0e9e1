/**
 * The targetd plugin against the targetd double (test/src/fixtures/targetd) on 127.0.0.1, over HTTPS with a
 * certificate from a throw-away CA, through the SDK and a real `targetd_lsmplugin` process:
 *
 * * start-up: spawn -> `plugin_info` answered, and spawn -> registered (one HTTPS call) -> `systems` (median of 10);
 * * `volume_create` per call (vol_create + vol_list of the pool), 200 one after another (median, p95);
 * * `volumes` of 1,000 volumes per call (pool_list + one vol_list per block pool), and the same as a user runs
 *   it: `lsmcli list --type volumes`, a fresh process each time (medians);
 * * calls per second with 16 in flight on one session (`pools`: one HTTPS call each), with the pool's default
 *   4 sockets, and in-process with 1, 2, 4 and 8 sockets to show what the pool size buys;
 * * the floor: one JSON-RPC round trip to the double with undici alone (new TLS connection each time, as
 *   targetd closes after every reply).
 *
 * targetd itself serialises every call and closes the connection after each reply, so every figure here includes
 * a TCP and TLS handshake per targetd call; the double answers from memory, so LVM's own time is not included.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, findPluginExecutable } from '@openlsm/client';
import type { Pool } from '@openlsm/core';
import { Connection, memoryPair } from '@openlsm/ipc';
import { servePlugin } from '@openlsm/plugin';
import { TargetdPlugin } from '@openlsm/plugin-targetd';
import { startTargetdServer, type TargetdServer } from '@openlsm/test/targetd-server';
import { makeTestCa } from '@openlsm/test/test-ca';
import { Pool as HttpPool } from 'undici';
import { timeStartup } from './startup.js';
import { median, percentile, timed } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const lsmcliBin = path.resolve(here, '../../cli/bin/lsmcli.js');
const MiB = 1n << 20n;
const THIN = 'vg-targetd-thin/thin_pool';

function runLsmcli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [lsmcliBin, ...argv], { env, stdio: ['ignore', 'ignore', 'inherit'], shell: false });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`lsmcli exited with ${code}`))));
  });
}

/** `pools` calls per second with 16 in flight on `call`. */
async function throughput(call: () => Promise<unknown>, total = 400): Promise<number> {
  let next = 0;
  const [ms] = await timed(() => Promise.all(Array.from({ length: 16 }, async () => {
    while (next++ < total) await call();
  })));
  return (total / ms) * 1000;
}

/** The plugin served in-process (no plugin process) with `connections` sockets. */
async function inProcess(server: TargetdServer, uri: string, connections: number): Promise<Connection> {
  const [clientEnd, pluginEnd] = memoryPair();
  servePlugin(new TargetdPlugin({ connections }), pluginEnd);
  const connection = new Connection(clientEnd);
  await connection.request('plugin_register', { uri, password: server.password, timeout: 30_000, flags: 0 });
  return connection;
}

async function main(): Promise<void> {
  const ca = makeTestCa();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-targetd-bench-'));
  const server = await startTargetdServer({ tls: { cert: ca.server.cert, key: ca.server.key } });
  const uri = server.uri(`ca_cert_file=${encodeURIComponent(ca.ca.certFile)}`);
  const env = { ...process.env, LSM_UDS_PATH: path.join(dir, 'no-daemon'), LSMCLI_PASSWORD: server.password };
  const exe = findPluginExecutable('targetd', env);
  if (!exe) throw new Error('targetd_lsmplugin not found; build first');
  const rows: [string, string][] = [];
  try {
    const starts: [number, number][] = [];
    for (let i = 0; i < 10; i++) starts.push(await timeStartup(exe, uri, env, server.password));
    rows.push(['start-up: spawn -> plugin_info answered (median of 10)', `${median(starts.map((s) => s[0])).toFixed(1)} ms`]);
    rows.push(['start-up: spawn -> registered -> systems answered', `${median(starts.map((s) => s[1])).toFixed(1)} ms`]);

    const client = await Client.connect(uri, { password: server.password, env, mode: 'embedded' });
    const pool = (await client.pools()).find((p) => p.id === THIN) as Pool;
    const creates: number[] = [];
    for (let i = 0; i < 200; i++) {
      const [ms] = await timed(() => client.volumeCreate({ pool, volume_name: `bench_${i}`, size_bytes: MiB }));
      creates.push(ms);
    }
    creates.sort((a, b) => a - b);
    rows.push(['volume_create, one at a time (median / p95 of 200)', `${median(creates).toFixed(2)} / ${percentile(creates, 95).toFixed(2)} ms per volume`]);

    const thin = server.state.block.pools.get(THIN);
    for (let i = 200; i < 1000; i++) server.state.block.volCreate(THIN, `bench_${i}`, MiB);
    if (thin?.volumes.size !== 1000) throw new Error('expected 1,000 volumes');
    const lists: number[] = [];
    for (let i = 0; i < 10; i++) lists.push((await timed(() => client.volumes()))[0]);
    rows.push(['volumes (1,000) through the SDK (median of 10)', `${median(lists).toFixed(1)} ms per call`]);
    const cli: number[] = [];
    for (let i = 0; i < 5; i++) cli.push(await runLsmcli(['-u', uri, 'list', '--type', 'volumes'], env));
    rows.push(['lsmcli list --type volumes (1,000), fresh process (median of 5)', `${median(cli).toFixed(0)} ms`]);

    rows.push(['pools, 16 in flight, plugin process (4 sockets)', `${(await throughput(() => client.pools())).toFixed(0)} calls/s`]);
    await client.close();
    for (const n of [1, 2, 4, 8]) {
      const c = await inProcess(server, uri, n);
      rows.push([`pools, 16 in flight, in-process plugin with ${n} socket${n > 1 ? 's' : ''}`, `${(await throughput(() => c.request('pools', { flags: 0 }))).toFixed(0)} calls/s`]);
      await c.request('plugin_unregister', { flags: 0 });
      c.destroy();
    }

    const http = new HttpPool(`https://127.0.0.1:${server.port}`, { connect: { ca: ca.ca.cert } });
    const auth = `Basic ${Buffer.from(`${server.user}:${server.password}`).toString('base64')}`;
    const raw: number[] = [];
    for (let i = 0; i < 200; i++) {
      const [ms] = await timed(async () => {
        const r = await http.request({ path: '/targetrpc', method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: `{"id": ${i + 1}, "method": "pool_list", "params": null, "jsonrpc": "2.0"}` });
        await r.body.text();
      });
      raw.push(ms);
    }
    await http.close();
    rows.push(['floor: one pool_list with undici alone, new TLS connection (median of 200)', `${median(raw).toFixed(2)} ms`]);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    ca.cleanup();
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('targetd+ssl:// against the targetd double on 127.0.0.1');
  for (const [what, value] of rows) console.log(`  ${what.padEnd(width)}  ${value}`);
}

await main();
