/**
 * openlsm-targetd over HTTPS on 127.0.0.1, backed by sim:// (LSM_SIM_TIME=0), driven as targetd clients drive
 * it: JSON-RPC POSTs with Basic auth, one keep-alive connection per client.
 *
 * * `vol_create`: 200 calls from 1 client, then 800 from 16 clients at once (which leaves 1,000 volumes);
 * * `vol_list` of those 1,000 volumes: 1 client, then 16 clients at once;
 * * for comparison, `vol_list` from 1 client opening a new TLS connection per call, which is what every
 *   targetd client pays against targetd itself (HTTP/1.0, closed after each reply).
 *
 * The server and its plugin are real processes; the certificate is a throw-away self-signed one (openssl).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './stats.js';

const SERVER_BIN = fileURLToPath(new URL('../../packages/targetd-server/bin/openlsm-targetd.js', import.meta.url));
const AUTH = `Basic ${Buffer.from('admin:bench-pw').toString('base64')}`;
const POOL = 'vg-bench';

function selfSigned(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  chmodSync(cert, 0o600);
  chmodSync(key, 0o600);
  return { cert, key };
}

async function startServer(dir: string): Promise<{ proc: ChildProcess; port: number; ca: string }> {
  const { cert, key } = selfSigned(dir);
  const config = path.join(dir, 'targetd.yaml');
  writeFileSync(config, JSON.stringify({
    backend: `sim://?statefile=${path.join(dir, 'sim.sqlite3')}`, password: 'bench-pw', port: 0, ssl: true, ssl_cert: cert, ssl_key: key,
    state_file: path.join(dir, 'luns.json'), block_pools: [{ name: POOL, pool: 'lsm_test_aggr' }], log_level: 'info',
    backend_sessions: 2,
  }), { mode: 0o600 });
  const env = { ...process.env, LSM_SIM_TIME: '0', LSM_UDS_PATH: path.join(dir, 'no-daemon') };
  // At info, as in production: the access log line of every call is part of what is measured.
  const proc = spawn(process.execPath, [SERVER_BIN, '--config', config], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let err = '';
    const onData = (s: string) => {
      err += s;
      const line = err.split('\n').find((l) => l.includes('"message":"listening"'));
      if (!line) return;
      proc.stderr!.off('data', onData).resume();
      resolve((JSON.parse(line) as { port: number }).port);
    };
    proc.stderr!.setEncoding('utf8').on('data', onData);
    proc.once('exit', (code) => reject(new Error(`openlsm-targetd exited ${code}: ${err}`)));
  });
  return { proc, port, ca: readFileSync(cert, 'utf8') };
}

/** One targetd client: its own keep-alive connection (or a new one per call with `fresh`). */
function client(port: number, ca: string, fresh = false): (method: string, params?: Record<string, unknown>) => Promise<number> {
  const agent = new https.Agent({ keepAlive: !fresh, maxSockets: 1, ca, servername: 'localhost' });
  let id = 0;
  return (method, params) => new Promise((resolve, reject) => {
    const started = performance.now();
    const body = JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params });
    const req = https.request({ host: '127.0.0.1', port, path: '/targetrpc', method: 'POST', agent, headers: { authorization: AUTH, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (s: string) => { text += s; });
      res.once('end', () => {
        if (res.statusCode !== 200 || text.includes('"error"')) reject(new Error(`${method}: ${res.statusCode} ${text.slice(0, 200)}`));
        else resolve(performance.now() - started);
      });
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** Runs `total` calls spread over `clients` concurrent clients; returns calls per second and latencies. */
async function load(port: number, ca: string, clients: number, total: number, call: (c: ReturnType<typeof client>, i: number) => Promise<number>, fresh = false) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    const c = client(port, ca, fresh);
    while (next < total) latencies.push(await call(c, next++));
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return `${(total / seconds).toFixed(0).padStart(5)} calls/s   p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-targetd-bench-'));
  const { proc, port, ca } = await startServer(dir);
  const rows: [string, string][] = [];
  try {
    const create = (c: ReturnType<typeof client>, i: number) => c('vol_create', { pool: POOL, name: `bench_${i}`, size: 1048576 });
    rows.push(['vol_create, 1 client (200 calls)', await load(port, ca, 1, 200, create)]);
    rows.push(['vol_create, 16 clients (800 calls)', await load(port, ca, 16, 800, (c, i) => create(c, 200 + i))]);
    const list = (c: ReturnType<typeof client>) => c('vol_list', { pool: POOL });
    rows.push(['vol_list of 1,000 volumes, 1 client (50 calls)', await load(port, ca, 1, 50, list)]);
    rows.push(['vol_list of 1,000 volumes, 16 clients (320 calls)', await load(port, ca, 16, 320, list)]);
    rows.push(['vol_list of 1,000, 1 client, new TLS connection per call (as against targetd)', await load(port, ca, 1, 50, list, true)]);
    rows.push(['pool_list, 16 clients (1,600 calls)', await load(port, ca, 16, 1_600, (c) => c('pool_list'))]);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((resolve) => proc.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('openlsm-targetd over HTTPS (TLS 1.3, keep-alive), sim:// backend, LSM_SIM_TIME=0');
  for (const [what, value] of rows) console.log(`  ${what.padEnd(width)}  ${value}`);
}

await main();
