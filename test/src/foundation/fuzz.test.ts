/**
 * Random and truncated bytes never crash either side: a real plugin process fed garbage drops the connection and
 * exits cleanly, without an uncaught exception; a real client answered with garbage by a plugin process fails
 * with an LsmError.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, symlinkSync } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { LsmError } from '@openlsm/core';
import { Client } from '@openlsm/client';
import { encodeBody, encodeFrame } from '@openlsm/ipc';
import { echoEnv, type EchoEnv, echoPluginPath } from './echo-env.js';

const fuzzMs = Number(process.env.OPENLSM_FUZZ_MS ?? 3_000);

let echo: EchoEnv;
before(() => { echo = echoEnv(); });
after(() => echo.cleanup());

/** Starts the echo plugin on fd 3, sends `chunks`, closes, and reports how the process ended and what it logged. */
function feed(chunks: Uint8Array[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(`${echo.dir}/echo_lsmplugin`, ['3'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], env: echo.env, shell: false });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.once('error', reject);
    const socket = child.stdio[3] as net.Socket;
    socket.on('error', () => { /* the plugin may close first */ });
    socket.on('data', () => { /* answers and the goodbye are not examined */ });
    for (const c of chunks) socket.write(c);
    socket.end();
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stderr });
    });
  });
}

const validRequest = encodeFrame(encodeBody({ id: 1, method: 'plugin_info', params: { flags: 0 } }));

test('fuzz: random, truncated and malformed frames never crash the plugin process', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => encodeFrame(b)),
      fc.uint8Array({ minLength: 2, maxLength: 64 }).map((b) => encodeFrame(b).subarray(0, 4 + b.length - 1)),
      fc.constant(validRequest),
      fc.record({ id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), method: fc.constantFrom('plugin_register', 'systems', 'volume_create', 'job_status', '$/cancel', 'x'), params: fc.anything() })
        .map((m) => encodeFrame(encodeBody(m))),
    ), { minLength: 1, maxLength: 6 }),
    async (chunks) => {
      const { code, signal, stderr } = await feed(chunks);
      assert.equal(signal, null, `killed by ${signal}; stderr: ${stderr}`);
      assert.equal(code, 0, `exit code ${code}; stderr: ${stderr}`);
      assert.doesNotMatch(stderr, /uncaught|unhandled rejection/i);
    },
  ), { interruptAfterTimeLimit: fuzzMs, numRuns: 200 });
});

test('fuzz: a plugin answering random, truncated or malformed frames never crashes the client', async () => {
  const garbagePlugin = path.join(path.dirname(echoPluginPath), 'garbage-plugin.js');
  chmodSync(garbagePlugin, 0o755);
  symlinkSync(garbagePlugin, path.join(echo.dir, 'garbage_lsmplugin'));
  await fc.assert(fc.asyncProperty(
    fc.array(fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => encodeFrame(b)),
      fc.uint8Array({ minLength: 2, maxLength: 64 }).map((b) => encodeFrame(b).subarray(0, 4 + b.length - 1)),
      fc.record({ id: fc.oneof(fc.constant(1), fc.integer(), fc.string(), fc.constant(null)), result: fc.anything(), error: fc.option(fc.anything()) })
        .map((m) => encodeFrame(encodeBody(m))),
      fc.record({ method: fc.constantFrom('job_progress', '$/cancel', 'x'), params: fc.anything() }).map((m) => encodeFrame(encodeBody(m))),
    ), { minLength: 0, maxLength: 5 }),
    async (chunks) => {
      const env = { ...echo.env, OPENLSM_GARBAGE_HEX: Buffer.concat(chunks).toString('hex') };
      let client: Client | undefined;
      try {
        client = await Client.connect('garbage://', { env, timeoutMs: 5_000 });
      } catch (err) {
        assert.ok(err instanceof LsmError, `connect failed with ${String(err)}`);
        return;
      }
      // The garbage happened to hold a valid answer to plugin_register: the session is up; closing must work.
      await client.close();
    },
  ), { interruptAfterTimeLimit: fuzzMs, numRuns: 200 });
});
