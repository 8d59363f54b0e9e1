/**
 * Time-boxed fuzzing of both framings against a running openlsmd (issue 9): batches of hostile connections,
 * openlsm frames (random headers, random bodies, random requests, frames cut short) and lsm frames (random
 * headers, random and malicious JSON, random requests), sent whole or in pieces, to a plugin served one process
 * per session (echo) and to one served many sessions per process (sim). After each batch a normal client must
 * still be served within a second, and the daemon must still be running. Time-boxed (OPENLSM_FUZZ_MS).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fc from 'fast-check';
import { methodsByWireName } from '@openlsm/core';
import { Client } from '@openlsm/client';
import { encodeBody, encodeFrame } from '@openlsm/ipc';
import { daemonEnv, type DaemonEnv, type DaemonProcess, sleep } from './daemon-env.js';
import { lsmFrame, rawConnect } from './wire.js';

/** OPENLSM_FUZZ_MS lengthens it, as for the other fuzz tests. */
const TIME_BOX_MS = Number(process.env.OPENLSM_FUZZ_MS ?? 8_000);

interface Hostile {
  plugin: 'echo' | 'sim';
  pieces: Buffer[];
  /** Wait for the daemon's answer (up to 100 ms) before closing, or close at once. */
  linger: boolean;
}

const methods = [...methodsByWireName.keys()];
const method = fc.oneof(fc.constantFrom(...methods), fc.string({ maxLength: 40 }));
// URIs never carry parameters, so no random state file path reaches the simulator.
const uri = fc.oneof(fc.constantFrom('sim://', 'echo://', 'echo://refuse', ''), fc.string({ maxLength: 30 }).filter((s) => !s.includes('?')));
const jsonish = fc.jsonValue({ maxDepth: 3 });
const params = fc.oneof(
  fc.dictionary(fc.constantFrom('flags', 'search_key', 'search_value', 'volume', 'pool', 'volume_name', 'size_bytes', 'job_id', 'system', 'timeout', 'ms'), jsonish, { maxKeys: 5 }),
  fc.record({ uri, password: fc.constantFrom(null, 'x'), timeout: fc.integer(), flags: fc.constant(0) }),
  jsonish,
);

const openlsmBodies = fc.oneof(
  fc.record({ id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null)), method, params }).map((m) => encodeBody(m)),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
  jsonish.map((v) => encodeBody(v)),
);
const openlsmStream = fc.oneof(
  fc.array(openlsmBodies, { minLength: 1, maxLength: 4 }).map((bodies) => Buffer.concat(bodies.map((b) => encodeFrame(b)))),
  // A frame cut short, or a header that lies about the length.
  fc.tuple(openlsmBodies, fc.nat({ max: 400 })).map(([body, cut]) => encodeFrame(body).subarray(0, Math.max(1, cut))),
  fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ maxLength: 64 })).map(([h, t]) => Buffer.concat([Buffer.from(h), Buffer.from(t)])),
);

const lsmJson = fc.oneof(
  fc.record({ method, id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), params }).map((m) => JSON.stringify(m)),
  jsonish.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.integer({ min: 41, max: 200_000 }).map((n) => `{"method": "plugin_info", "id": 1, "params": {"flags": ${'7'.repeat(n)}}}`),
  fc.integer({ min: 60, max: 5_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 300_000 }).map((n) => `{"method": "systems", "id": 1, "params": {"x": "${'a'.repeat(n)}"}}`),
);
const lsmStream = fc.oneof(
  fc.array(lsmJson, { minLength: 1, maxLength: 3 }).map((texts) => Buffer.concat(texts.map(lsmFrame))),
  fc.tuple(lsmJson, fc.nat({ max: 300 })).map(([text, cut]) => lsmFrame(text).subarray(0, Math.max(1, cut))),
  fc.tuple(fc.stringMatching(/^[0-9]{10}$/), fc.string({ maxLength: 100 })).map(([h, t]) => Buffer.from(h + t)),
);

/** Splits bytes into pieces at the given fractions, to exercise every reader's partial-frame paths. */
const hostile: fc.Arbitrary<Hostile> = fc.record({
  plugin: fc.constantFrom('echo' as const, 'sim' as const),
  bytes: fc.oneof(openlsmStream, lsmStream),
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
  linger: fc.boolean(),
}).map(({ plugin, bytes, cuts, linger }) => {
  const at = [...new Set(cuts.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const cut of [...at, bytes.length]) {
    if (cut > from) pieces.push(bytes.subarray(from, cut));
    from = Math.max(from, cut);
  }
  return { plugin, pieces, linger };
});

describe('openlsmd fuzzed on both framings', () => {
  let env: DaemonEnv;
  let daemon: DaemonProcess;

  before(async () => {
    env = daemonEnv({ plugins: ['echo', 'sim'], config: 'exit_grace_ms: 200\nshutdown_timeout_ms: 2000\n' });
    // Any session the fuzzer registers without a state file uses this one (never the shared default in /tmp).
    env.env.LSM_SIM_DATA = path.join(env.dir, 'fuzz.sqlite3');
    daemon = await env.start();
  });
  after(async () => {
    await env.cleanup();
  });

  async function send(h: Hostile): Promise<void> {
    const c = await rawConnect(path.join(env.socketDir, h.plugin));
    for (const piece of h.pieces) {
      if (c.socket.destroyed) break;
      c.socket.write(piece);
      await new Promise((r) => setImmediate(r));
    }
    if (h.linger) await Promise.race([c.closed, sleep(100)]);
    c.socket.destroy();
  }

  async function normalClientServed(): Promise<number> {
    const start = performance.now();
    const client = await Client.connect(`sim://?statefile=${encodeURIComponent(path.join(env.dir, 'live.sqlite3'))}`, { env: env.env, mode: 'daemon', timeoutMs: 10_000 });
    await client.systems();
    const ms = performance.now() - start;
    await client.close();
    return ms;
  }

  test('after every batch of hostile connections a normal client is served within a second', { timeout: TIME_BOX_MS + 120_000 }, async (t) => {
    await normalClientServed();
    let batches = 0;
    await fc.assert(fc.asyncProperty(fc.array(hostile, { minLength: 3, maxLength: 12 }), async (batch) => {
      await Promise.all(batch.map(send));
      const ms = await normalClientServed();
      assert.ok(ms < 1_000, `a normal client took ${ms.toFixed(0)} ms after a batch`);
      assert.equal(daemon.child.exitCode, null, 'openlsmd exited');
      batches++;
    }), { interruptAfterTimeLimit: TIME_BOX_MS, numRuns: 100_000, markInterruptAsFailure: false });
    assert.ok(batches > 0);
    t.diagnostic(`${batches} batches in ${TIME_BOX_MS} ms`);
    // The plugin served one process per session is fine too.
    const echo = await Client.connect('echo://', { env: env.env, mode: 'daemon', timeoutMs: 60_000 });
    assert.equal((await echo.systems()).length, 1);
    await echo.close();
    assert.deepEqual(daemon.logs.filter((l) => l.message === 'uncaught exception' || l.message === 'unhandled rejection'), []);
  });
});
