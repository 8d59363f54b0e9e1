/**
 * openlsmd under load and under hostile clients (issue 9), with the simulator served as `sim` (many sessions
 * per process) and `simiso` (one process per session):
 *  - the daemon's resident memory, alone and after 100 connections that send nothing (and how many plugin
 *    processes they cost);
 *  - a normal call (`systems` on an open session) alone, and while a hostile client sends a 40-million-digit
 *    integer in an lsm frame, or 60 MB of a 64 MiB openlsm frame;
 *  - 50 concurrent SDK clients making 20 `pools` calls each: p50/p99 of the calls, both ways of serving.
 *
 * Aim (issue 9): 50 concurrent clients at p99 <= 10 ms.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from '@openlsm/client';
import { loadAverage, type BenchDaemon, sleep, startDaemon, summary } from './daemon-setup.js';

const IDLE_CONNECTIONS = 100;
const CALLS = 200;
const CONCURRENT_CLIENTS = 50;
const CALLS_PER_CLIENT = 20;
const MiB = 1024 * 1024;

function rss(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

function children(pid: number): number {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).length;
}

function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ path: socketPath });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

async function timedCalls(client: Client, n: number, until?: () => boolean): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n || (until && !until()); i++) {
    const start = performance.now();
    await client.systems();
    samples.push(performance.now() - start);
    await sleep(5);
  }
  return samples;
}

async function idleConnections(daemon: BenchDaemon): Promise<void> {
  const pid = daemon.child.pid as number;
  const before = rss(pid);
  const processes = children(pid);
  const sockets = await Promise.all(Array.from({ length: IDLE_CONNECTIONS }, () => connect(path.join(daemon.socketDir, 'simiso'))));
  await sleep(1_000);
  const after = rss(pid);
  console.log(`daemon RSS: ${(before / MiB).toFixed(1)} MiB; after ${IDLE_CONNECTIONS} idle connections: ${(after / MiB).toFixed(1)} MiB (+${((after - before) / MiB).toFixed(1)} MiB), plug-in processes ${processes} -> ${children(pid)}`);
  for (const s of sockets) s.destroy();
}

async function hostileFrames(daemon: BenchDaemon): Promise<void> {
  const client = await Client.connect(daemon.uri('sim'), { env: daemon.env, mode: 'daemon' });
  await timedCalls(client, 50);
  console.log('systems on an open session (sim://, many sessions per process)');
  console.log(`  alone:                                                       ${summary(await timedCalls(client, CALLS))}`);

  const lsm = await connect(path.join(daemon.socketDir, 'sim'));
  let answered = false;
  lsm.on('data', () => { answered = true; });
  const text = Buffer.from(`{"method": "plugin_info", "id": 7, "params": {"flags": ${'9'.repeat(40_000_000)}}}`);
  lsm.write(Buffer.concat([Buffer.from(String(text.length).padStart(10, '0')), text]));
  console.log(`  while a client sends a 40-million-digit integer (lsm frame): ${summary(await timedCalls(client, 20, () => answered))}`);
  lsm.destroy();

  const partial = await connect(path.join(daemon.socketDir, 'sim'));
  partial.on('error', () => {});
  let sent = false;
  const header = Buffer.alloc(4);
  header.writeUInt32BE(64 * MiB);
  partial.write(header);
  partial.write(Buffer.alloc(60_000_000), () => { sent = true; });
  console.log(`  while a client sends 60 MB of a 64 MiB openlsm frame:        ${summary(await timedCalls(client, 20, () => sent))}`);
  partial.destroy();
  await client.close();
}

/** 50 clients at once, each connecting and making 20 `pools` calls; the calls' and connects' latencies. */
async function burst(uri: string, env: NodeJS.ProcessEnv): Promise<{ calls: number[]; connects: number[]; wall: number }> {
  const calls: number[] = [];
  const connects: number[] = [];
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENT_CLIENTS }, async () => {
    const connectStart = performance.now();
    const client = await Client.connect(uri, { env, mode: 'daemon', timeoutMs: 120_000 });
    connects.push(performance.now() - connectStart);
    for (let i = 0; i < CALLS_PER_CLIENT; i++) {
      const callStart = performance.now();
      await client.pools();
      calls.push(performance.now() - callStart);
    }
    await client.close();
  }));
  return { calls, connects, wall: performance.now() - start };
}

async function concurrentClients(daemon: BenchDaemon): Promise<void> {
  console.log(`${CONCURRENT_CLIENTS} concurrent clients, ${CALLS_PER_CLIENT} pools calls each (the second of two bursts: the first sizes the pool)`);
  for (const scheme of ['sim', 'simiso'] as const) {
    const uri = daemon.uri(scheme, `concurrent-${scheme}`);
    await burst(uri, daemon.env);
    await sleep(1_000);
    const { calls, connects, wall } = await burst(uri, daemon.env);
    const mode = scheme === 'sim' ? 'many sessions per process' : 'one process per session';
    console.log(`  ${mode}: pools ${summary(calls)}; connect ${summary(connects)}; all done in ${wall.toFixed(0)} ms`);
    await sleep(2_000);
  }
}

async function main(): Promise<void> {
  console.log(`load average ${loadAverage()} at start`);
  const daemon = await startDaemon();
  try {
    await idleConnections(daemon);
    await hostileFrames(daemon);
    await concurrentClients(daemon);
  } finally {
    await daemon.stop();
  }
  console.log(`load average ${loadAverage()} at the end`);
}

await main();
