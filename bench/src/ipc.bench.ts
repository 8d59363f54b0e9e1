/**
 * IPC benchmark: the client SDK talking to a real plugin process (the echo test plugin, embedded mode) over a
 * real Unix socket pair. Prints the no-op round trip (p50/p99), pipelined calls per second and the time to
 * receive a listing of 100,000 volumes.
 *
 * Aims (issue 2): p50 <= 100 us, >= 50,000 calls/s, 100,000 volumes <= 1 s.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@openlsm/client';
import { median, percentile } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const echoPlugin = path.resolve(here, '../../test/dist/fixtures/echo-plugin.js');

const SEQUENTIAL_WARMUP = 3_000;
const SEQUENTIAL_CALLS = 10_000;
const PIPELINED_CALLS = 50_000;
const IN_FLIGHT = 512;
const VOLUME_COUNT = 100_000;
const VOLUME_RUNS = 5;

async function sequential(client: Client): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < SEQUENTIAL_WARMUP; i++) await client.pluginInfo();
  const samples = new Array<number>(SEQUENTIAL_CALLS);
  for (let i = 0; i < SEQUENTIAL_CALLS; i++) {
    const start = process.hrtime.bigint();
    await client.pluginInfo();
    samples[i] = Number(process.hrtime.bigint() - start) / 1_000;
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** Keeps IN_FLIGHT calls outstanding until `total` have been answered; returns calls per second. */
async function pipelined(client: Client, total: number): Promise<number> {
  let started = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (started < total) {
      started++;
      await client.pluginInfo();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return total / seconds;
}

/**
 * The machine's floor: the same socket pair between two Node processes, the child echoing bytes back with no
 * framing, decoding or plugin at all. On an idle VM the round trip is dominated by waking the other process,
 * which varies from run to run (25-100 us p50 here); our p50 is only meaningful next to this figure.
 */
async function rawPingPong(): Promise<{ p50: number; p99: number }> {
  const child = spawn(process.execPath, ['-e', "const s = new (require('net').Socket)({ fd: 3 }); s.on('data', (d) => s.write(d));"], {
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
  });
  const socket = child.stdio[3] as net.Socket;
  const message = Buffer.alloc(16);
  const roundTrip = () => new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.write(message);
  });
  for (let i = 0; i < SEQUENTIAL_WARMUP; i++) await roundTrip();
  const samples: number[] = [];
  for (let i = 0; i < SEQUENTIAL_CALLS; i++) {
    const start = process.hrtime.bigint();
    await roundTrip();
    samples.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  child.kill();
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function volumeListing(client: Client): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < VOLUME_RUNS + 1; i++) {
    const start = process.hrtime.bigint();
    const volumes = await client.volumes();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (volumes.length !== VOLUME_COUNT) throw new Error(`expected ${VOLUME_COUNT} volumes, got ${volumes.length}`);
    if (i > 0) runs.push(ms); // the first run warms up both processes
  }
  return median(runs);
}

async function main(): Promise<void> {
  chmodSync(echoPlugin, 0o755);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-bench-'));
  symlinkSync(echoPlugin, path.join(dir, 'echo_lsmplugin'));
  // To profile the plugin side, point OPENLSM_BENCH_PLUGIN_DIR at a directory holding an `echo_lsmplugin` that
  // starts node with --cpu-prof (NODE_OPTIONS does not accept it).
  const env = { ...process.env, OPENLSM_PLUGIN_DIR: process.env.OPENLSM_BENCH_PLUGIN_DIR ?? dir };
  try {
    const client = await Client.connect('echo://', { env, mode: 'embedded' });
    let rtt: { p50: number; p99: number };
    let rate: number;
    try {
      rtt = await sequential(client);
      await pipelined(client, 10_000);
      rate = await pipelined(client, PIPELINED_CALLS);
    } finally {
      await client.close();
    }
    const big = await Client.connect(`echo://?volumes=${VOLUME_COUNT}`, { env, mode: 'embedded' });
    let listingMs: number;
    try {
      listingMs = await volumeListing(big);
    } finally {
      await big.close();
    }
    const floor = await rawPingPong();
    const rows = [
      { measure: 'raw socket ping-pong p50 / p99 (machine floor)', value: `${floor.p50.toFixed(1)} / ${floor.p99.toFixed(1)} us`, aim: '', ok: true },
      { measure: 'no-op round trip p50 (plugin_info)', value: `${rtt.p50.toFixed(1)} us`, aim: '<= 100 us', ok: rtt.p50 <= 100 },
      { measure: 'no-op round trip p99', value: `${rtt.p99.toFixed(1)} us`, aim: '', ok: true },
      { measure: `pipelined calls (${IN_FLIGHT} in flight)`, value: `${Math.round(rate).toLocaleString('en-US')} calls/s`, aim: '>= 50,000 calls/s', ok: rate >= 50_000 },
      { measure: `receive ${VOLUME_COUNT.toLocaleString('en-US')} volumes (median of ${VOLUME_RUNS})`, value: `${listingMs.toFixed(0)} ms`, aim: '<= 1,000 ms', ok: listingMs <= 1_000 },
    ];
    console.log(`openlsm IPC over a Unix socket pair, client and plugin in two processes (node ${process.version}, ${os.cpus().length} CPUs)`);
    console.table(rows.map((r) => ({ measure: r.measure, value: r.value, aim: r.aim, met: r.aim ? (r.ok ? 'yes' : 'NO') : '' })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
