/**
 * openlsmd benchmark, with the simulator plugin served two ways (daemon-setup.ts): `sim`, many sessions per
 * process (what the sim plugin declares), and `simiso`, one process per session (lsm's model):
 *  - connect + first call (`Client.connect` + `systems`) through the daemon, paced like separate tool runs
 *    (one every 200 ms) and back to back, for both, against embedded mode (a plugin process per connection);
 *  - `lsmcli -u sim://... list --type volumes` wall time with 1,000 volumes, through the daemon and embedded
 *    (median of 20 runs each);
 *  - listing those 1,000 volumes on an open session: openlsm client (msgpack relayed byte for byte) against a
 *    libstoragemgmt-framed client (translated to lsm's JSON by the daemon).
 *
 * Aims (issues 6 and 8): connect + first call p50 < 10 ms through the daemon, back to back as spaced;
 * lsmcli list of 1,000 volumes < 100 ms.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@openlsm/client';
import { encodeLsmFrame, LsmFrameReader, parseLsmJson, stringifyLsmJson } from '@openlsm/daemon';
import { loadAverage, root, sleep, startDaemon, summary } from './daemon-setup.js';

const lsmcli = path.join(root, 'cli/bin/lsmcli.js');

const PACED_CONNECTIONS = 100;
const PACE_MS = 200;
const BURST_CONNECTIONS = 50;
const EMBEDDED_CONNECTIONS = 30;
const VOLUMES = 1_000;
const CLI_RUNS = 20;
const LIST_RUNS = 20;

async function connectAndCall(uri: string, env: NodeJS.ProcessEnv, mode: 'daemon' | 'embedded'): Promise<number> {
  const start = performance.now();
  const client = await Client.connect(uri, { env, mode });
  await client.systems();
  const ms = performance.now() - start;
  await client.close();
  return ms;
}

/** A minimal libstoragemgmt-framed session for the translation figure. */
async function lsmSession(socketPath: string) {
  const socket = net.connect({ path: socketPath });
  await new Promise((r) => socket.once('connect', r));
  const reader = new LsmFrameReader();
  const queue: Buffer[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => { queue.push(...reader.push(chunk)); wake?.(); });
  return {
    async call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
      socket.write(encodeLsmFrame(stringifyLsmJson({ method, id: 100, params: { ...params, flags: 0 } })));
      while (queue.length === 0) await new Promise<void>((r) => { wake = r; });
      const answer = parseLsmJson((queue.shift() as Buffer).toString()) as { result?: unknown; error?: { message: string } };
      if (answer.error) throw new Error(answer.error.message);
      return answer.result;
    },
    close: () => socket.end(),
  };
}

function runCli(args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, [lsmcli, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`lsmcli ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

async function main(): Promise<void> {
  console.log(`host: ${os.cpus().length} CPUs, load average ${loadAverage()} at start`);
  const daemon = await startDaemon();
  const uri = daemon.uri('sim');
  const daemonEnv = daemon.env;
  const embeddedEnv = daemon.embeddedEnv;
  try {
    // Warm both paths (module caches, the state file) before measuring.
    for (let i = 0; i < 5; i++) await connectAndCall(uri, daemonEnv, 'daemon');
    await connectAndCall(uri, embeddedEnv, 'embedded');

    console.log('connect + first call (Client.connect + systems), sim://');
    for (const scheme of ['sim', 'simiso'] as const) {
      const target = daemon.uri(scheme);
      const paced: number[] = [];
      for (let i = 0; i < PACED_CONNECTIONS; i++) {
        paced.push(await connectAndCall(target, daemonEnv, 'daemon'));
        await sleep(PACE_MS);
      }
      const burst: number[] = [];
      for (let i = 0; i < BURST_CONNECTIONS; i++) burst.push(await connectAndCall(target, daemonEnv, 'daemon'));
      const mode = scheme === 'sim' ? 'many sessions per process' : 'one process per session';
      console.log(`  daemon, ${mode}, one every ${PACE_MS} ms: ${summary(paced)}`);
      console.log(`  daemon, ${mode}, back to back:       ${summary(burst)}`);
      await sleep(1_000);
    }
    const embedded: number[] = [];
    for (let i = 0; i < EMBEDDED_CONNECTIONS; i++) embedded.push(await connectAndCall(uri, embeddedEnv, 'embedded'));
    console.log(`  embedded (process per call):  ${summary(embedded)}`);

    // 1,000 volumes in the state file.
    const client = await Client.connect(uri, { env: daemonEnv, mode: 'daemon' });
    const [pool] = await client.pools({ search_key: 'id', search_value: 'POOL_ID_00004' });
    if (!pool) throw new Error('sim has no POOL_ID_00004');
    const existing = (await client.volumes()).length;
    for (let i = existing; i < VOLUMES; i++) {
      await client.volumeCreate({ pool, volume_name: `bench-${String(i).padStart(4, '0')}`, size_bytes: 1n << 30n }, { pollIntervalMs: 5 });
    }
    if ((await client.volumes()).length !== VOLUMES) throw new Error('volume count mismatch');

    const listOwn: number[] = [];
    for (let i = 0; i < LIST_RUNS; i++) {
      const start = performance.now();
      await client.volumes();
      listOwn.push(performance.now() - start);
    }
    await client.close();
    const lsm = await lsmSession(path.join(daemon.socketDir, 'sim'));
    await lsm.call('plugin_register', { uri, password: null, timeout: 30_000 });
    const listLsm: number[] = [];
    for (let i = 0; i < LIST_RUNS; i++) {
      const start = performance.now();
      const volumes = (await lsm.call('volumes', { search_key: null, search_value: null })) as unknown[];
      listLsm.push(performance.now() - start);
      if (volumes.length !== VOLUMES) throw new Error('lsm listing count mismatch');
    }
    await lsm.call('plugin_unregister');
    lsm.close();
    console.log(`volumes (${VOLUMES}) on an open session through the daemon`);
    console.log(`  openlsm client (msgpack, relayed):   ${summary(listOwn)}`);
    console.log(`  lsm-framed client (JSON, translated): ${summary(listLsm)}`);

    const args = ['-u', uri, 'list', '--type', 'volumes'];
    runCli(args, daemonEnv);
    const cliDaemon: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) cliDaemon.push(runCli(args, daemonEnv));
    const cliEmbedded: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) cliEmbedded.push(runCli(args, embeddedEnv));
    // The floor for any Node tool: start, load the SDK, connect, list, print the count.
    const sdkScript = `import { Client } from '@openlsm/client';
const c = await Client.connect(process.env.BENCH_URI);
const v = await c.volumes();
await c.close();
console.log(v.length);`;
    const sdk: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) {
      const start = performance.now();
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', sdkScript], { cwd: root, env: { ...daemonEnv, BENCH_URI: uri }, encoding: 'utf8' });
      sdk.push(performance.now() - start);
      if (r.stdout.trim() !== String(VOLUMES)) throw new Error(`SDK script failed: ${r.stderr}`);
    }
    const nodeBaseline: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) {
      const start = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      nodeBaseline.push(performance.now() - start);
    }
    console.log(`lsmcli list --type volumes, ${VOLUMES} volumes, wall time`);
    console.log(`  through the daemon: ${summary(cliDaemon)}`);
    console.log(`  embedded:           ${summary(cliEmbedded)}`);
    console.log(`  SDK script (connect, list, print count) through the daemon: ${summary(sdk)}`);
    console.log(`  (node -e 0 alone:   ${summary(nodeBaseline)})`);
    console.log(`load average ${loadAverage()} at the end`);
  } finally {
    await daemon.stop();
  }
}

await main();
