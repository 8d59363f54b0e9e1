import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { Connection } from '@openlsm/ipc';
import type { Logger } from '@openlsm/log';
import { PluginPool } from './pool.js';
import { StartLimiter } from './start-limiter.js';

const quiet: Logger = {
  error() {}, warn() {}, info() {}, debug() {}, child: () => quiet, enabled: () => false, flush: async () => {},
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-pool-'));
const ipc = pathToFileURL(path.resolve(import.meta.dirname, '../../ipc/dist/index.js')).href;

/**
 * Two tiny plugins on a real socket pair: `single` answers plugin_info and serves one session; `host` takes
 * openlsmd's offer (OPENLSM_SESSION_HOST) and serves sessions as channels, each answering `pid`.
 */
function script(name: string, body: string): string {
  const file = path.join(dir, `${name}_lsmplugin`);
  writeFileSync(file, `#!${process.execPath}\nimport { Connection, StreamMux, FrameReader, decodeBody, encodeBody, encodeFrame, socketFromFd } from ${JSON.stringify(ipc)};\nconst socket = socketFromFd(3);\n${body}\n`, { mode: 0o755 });
  return file;
}
const single = script('single', `new Connection(socket, { onRequest: (m) => (m === 'plugin_info' ? ['single', '1'] : process.pid) });`);
const host = script('host', `
const offer = Number(process.env.OPENLSM_SESSION_HOST);
if (!(offer > 1)) { new Connection(socket, { onRequest: (m) => (m === 'plugin_info' ? ['host', '1'] : process.pid) }); } else {
  socket.write(encodeFrame(encodeBody({ method: '$/session_host', params: { sessions: Math.min(offer, 3) } })));
  const reader = new FrameReader();
  const first = (chunk) => {
    const [body] = reader.push(chunk);
    if (!body) return;
    socket.removeListener('data', first);
    socket.pause();
    socket.write(encodeFrame(encodeBody({ id: decodeBody(body).id, result: ['host', '1'] })));
    new StreamMux(socket, { onChannel: (ch) => new Connection(ch, { onRequest: () => process.pid }) });
    socket.resume();
  };
  socket.on('data', first);
}`);

after(() => rmSync(dir, { recursive: true, force: true }));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1_000 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), what);
}

function pool(executable: string, options: { warm?: number; maxWarm?: number; maxSessions?: number; sessionsPerProcess?: number; shrinkAfterMs?: number } = {}): PluginPool {
  const p = new PluginPool({
    name: path.basename(executable), spawn: { executable, env: process.env }, warm: options.warm ?? 1, maxWarm: options.maxWarm ?? 3,
    maxSessions: options.maxSessions ?? 16, sessionsPerProcess: options.sessionsPerProcess, starter: new StartLimiter(2), log: quiet,
    shrinkAfterMs: options.shrinkAfterMs ?? 300,
  });
  p.start();
  return p;
}

describe('PluginPool', () => {
  test('back-to-back sessions raise the number kept warm; it shrinks again when they stop', async () => {
    // Long enough that the target does not fall while process starts on a loaded machine are still coming in.
    const p = pool(single, { shrinkAfterMs: 3_000 });
    try {
      await until(() => p.stats.ready === 1, 'one warm process');
      assert.equal(p.mode, 'isolated');
      const leases = [];
      for (let i = 0; i < 4; i++) leases.push(await p.acquire());
      assert.equal(new Set(leases.map((l) => l.pid)).size, 4);
      // Each miss raised the target (how many depends on how fast the replacements came up).
      const grown = p.stats.target;
      assert.ok(grown > 1 && grown <= 3, `target ${grown}`);
      await until(() => p.stats.ready === grown, `${grown} warm processes`);
      await Promise.all(leases.map((l) => l.end(500)));
      await until(() => p.stats.target === 1 && p.stats.ready === 1, `back to one: ${JSON.stringify(p.stats)}`);
      assert.equal(p.stats.sessions, 0);
    } finally {
      await p.close();
    }
  });

  test('max_sessions refuses with a reason; a waiter that gives up starts nothing', async () => {
    const p = pool(single, { warm: 0, maxWarm: 0, maxSessions: 1 });
    try {
      const left = new AbortController();
      const waiting = p.acquire(left.signal);
      await assert.rejects(p.acquire(), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.PLUGIN_IPC_FAIL && /Too many sessions.*max_sessions 1/.test(err.message));
      left.abort();
      await assert.rejects(waiting, (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_COMMUNICATION);
      assert.equal(p.stats.sessions, 0);
      const lease = await p.acquire();
      await lease.end(500);
    } finally {
      await p.close();
    }
  });

  test('a plugin that takes the offer serves sessions as channels of a host, spread and bounded by its capacity', async () => {
    const p = pool(host);
    try {
      await until(() => p.stats.hosts === 1, 'one host');
      assert.equal(p.mode, 'shared');
      const leases = await Promise.all(Array.from({ length: 4 }, () => p.acquire()));
      assert.ok(leases.every((l) => l.shared));
      const pids = await Promise.all(leases.map((l) => new Connection(l.stream).request('pid', {})));
      // Capacity 3: the fourth session needed a second host.
      assert.equal(new Set(pids).size, 2);
      await Promise.all(leases.map((l) => l.end(500)));
      await until(() => p.stats.hosts === 1, 'the extra host stopped when idle');
    } finally {
      await p.close();
    }
  });

  test('sessions_per_process 1 never offers, and the same plugin serves one session per process', async () => {
    const p = pool(host, { sessionsPerProcess: 1 });
    try {
      const [a, b] = await Promise.all([p.acquire(), p.acquire()]);
      assert.equal(p.mode, 'isolated');
      assert.ok(a && b && !a.shared && a.pid !== b.pid);
      await Promise.all([a.end(500), b.end(500)]);
    } finally {
      await p.close();
    }
  });
});
