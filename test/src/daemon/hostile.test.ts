/**
 * openlsmd against hostile clients, each test the probe that found a defect (issue 9), over a real daemon, real
 * sockets and real plugin processes: a huge JSON integer, silent and idle connections, partial frames holding
 * memory, connection bursts, and oversized openlsm headers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { ErrorNumber, LsmError, VolumeCreate } from '@openlsm/core';
import { Client } from '@openlsm/client';
import { encodeBody, encodeFrame } from '@openlsm/ipc';
import { daemonEnv, type DaemonEnv, type DaemonProcess, sleep } from './daemon-env.js';
import { childrenOf, lsmcli, lsmFrame, lsmMessages, openlsmMessages, rawConnect, rssOf } from './wire.js';

const MiB = 1024 * 1024;

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(20);
  }
}

async function withDaemon(config: string, run: (env: DaemonEnv, pid: number, daemon: DaemonProcess) => Promise<void>): Promise<void> {
  const env = daemonEnv({ config: `exit_grace_ms: 500\nshutdown_timeout_ms: 2000\n${config}` });
  try {
    const daemon = await env.start();
    await daemon.waitForLog((l) => l.message === 'plug-in ready');
    await run(env, daemon.child.pid as number, daemon);
  } finally {
    await env.cleanup();
  }
}

const isCode = (code: number, re?: RegExp) => (err: unknown) => err instanceof LsmError && err.code === code && (!re || re.test(err.message));

describe('openlsmd under hostile clients', () => {
  test('a normal lsmcli ls is served at once while another client holds a 40-million-digit integer in an lsm frame', async () => {
    await withDaemon('', async (env) => {
      const socket = path.join(env.socketDir, 'echo');
      const baseline = await lsmcli(['-u', 'echo://', 'ls'], env.env);
      assert.equal(baseline.status, 0, baseline.stderr);
      const probe = await env.connect();
      const hostile = await rawConnect(socket);
      const frame = lsmFrame(`{"method": "plugin_info", "id": 7, "params": {"flags": ${'9'.repeat(40_000_000)}}}`);
      await new Promise((resolve) => hostile.socket.write(frame, resolve));
      // While the daemon deals with it: an lsmcli command, and small calls on an open session the whole time.
      const cli = lsmcli(['-u', 'echo://', 'ls'], env.env);
      const calls: number[] = [];
      while (lsmMessages(hostile.received()).length === 0) {
        const start = performance.now();
        await probe.systems();
        calls.push(performance.now() - start);
        await sleep(20);
      }
      const during = await cli;
      assert.equal(during.status, 0, during.stderr);
      assert.match(during.stdout, /echo-01/);
      // Converting those digits to a bigint used to freeze the daemon for seconds; now no call waits a second.
      assert.ok(Math.max(...calls) < 1_000, `a call took ${Math.max(...calls).toFixed(0)} ms`);
      // lsmcli alone may take about a second on a loaded machine: the bound is on what the hostile client adds.
      assert.ok(during.ms < Math.max(1_000, 2 * baseline.ms + 1_000), `lsmcli took ${during.ms.toFixed(0)} ms (alone: ${baseline.ms.toFixed(0)} ms)`);
      // The hostile request is answered with TRANSPORT_SERIALIZATION, and that session goes on.
      const [refusal] = lsmMessages(hostile.received()) as [{ error: { code: number; message: string } }];
      assert.equal(refusal.error.code, ErrorNumber.TRANSPORT_SERIALIZATION);
      assert.match(refusal.error.message, /number longer than 40 characters/);
      hostile.socket.write(lsmFrame('{"method": "plugin_info", "id": 8, "params": {"flags": 0}}'));
      await waitFor(() => lsmMessages(hostile.received()).length === 2, 'the next answer');
      assert.deepEqual(lsmMessages(hostile.received())[1], { id: 8, result: ['openlsm test plugin', '0.0.1'] });
      hostile.socket.destroy();
    });
  });

  test('with max_sessions 4, four connections silent for 3 s hold no session: a fifth client is served', async () => {
    await withDaemon('max_sessions: 4\n', async (env, pid) => {
      const silent = await Promise.all(Array.from({ length: 4 }, () => rawConnect(path.join(env.socketDir, 'echo'))));
      await sleep(3_000);
      // They started no plugin process either: only the warm one exists.
      assert.equal(childrenOf(pid).length, 1);
      const fifth = await lsmcli(['-u', 'echo://', 'ls'], env.env);
      assert.equal(fifth.status, 0, fifth.stderr);
      assert.match(fifth.stdout, /echo-01/);
      for (const s of silent) s.socket.destroy();
    });
  });

  test('a client over max_sessions is told why, in its own framing, instead of a broken pipe', async () => {
    await withDaemon('max_sessions: 2\n', async (env) => {
      await env.connect();
      await env.connect();
      const cli = await lsmcli(['-u', 'echo://', 'ls'], env.env);
      assert.equal(cli.status, 4);
      assert.match(cli.stderr, /PLUGIN_IPC_FAIL\(301\): Too many sessions: openlsmd already serves 2 sessions of plug-in "echo" \(max_sessions 2\)/);
      assert.doesNotMatch(cli.stderr, /EPIPE|TRANSPORT_COMMUNICATION/);
      await assert.rejects(Client.connect('echo://', { env: env.env, mode: 'daemon' }), isCode(ErrorNumber.PLUGIN_IPC_FAIL, /Too many sessions/));
      const lsm = await rawConnect(path.join(env.socketDir, 'echo'));
      lsm.socket.write(lsmFrame('{"method": "plugin_register", "id": 100, "params": {"uri": "echo://", "password": null, "timeout": 30000, "flags": 0}}'));
      await lsm.closed;
      const [answer] = lsmMessages(lsm.received()) as [{ id: number; error: { code: number; message: string } }];
      assert.equal(answer.id, 100);
      assert.equal(answer.error.code, ErrorNumber.PLUGIN_IPC_FAIL);
      assert.match(answer.error.message, /Too many sessions/);
    });
  });

  test('a connection that sends no complete request is closed at the first-request deadline', async () => {
    await withDaemon('first_request_timeout_ms: 500\n', async (env) => {
      const socket = path.join(env.socketDir, 'echo');
      const silent = await rawConnect(socket);
      const partial = await rawConnect(socket);
      partial.socket.write(encodeFrame(encodeBody({ id: 1, method: 'plugin_info', params: { flags: 0 } })).subarray(0, 10));
      await Promise.all([silent.closed, partial.closed]);
      assert.equal(silent.received().length, 0);
      const [last] = openlsmMessages(partial.received()) as [{ id: unknown; error: { code: number; message: string } }];
      assert.equal(last.id, null);
      assert.equal(last.error.code, ErrorNumber.TIMEOUT);
      assert.match(last.error.message, /no complete request within 500 ms/);
      // A normal client still is.
      assert.equal((await (await env.connect()).systems()).length, 1);
    });
  });

  test('an idle session is closed after idle_timeout_ms, one with a call in flight is not', async () => {
    await withDaemon('idle_timeout_ms: 1000\n', async (env) => {
      const idle = await env.connect();
      assert.equal((await idle.systems()).length, 1);
      const busy = await Client.connect('echo://', { env: env.env, mode: 'daemon', timeoutMs: 60_000 });
      const [pool] = await busy.pools();
      assert.ok(pool);
      let settled = false;
      const hanging = busy.call(VolumeCreate, { pool, volume_name: 'hang', size_bytes: 1024n }, { timeoutMs: 0 }).finally(() => { settled = true; });
      hanging.catch(() => {});
      await sleep(3_000);
      await assert.rejects(idle.systems(), isCode(ErrorNumber.TIMEOUT, /closed the session after 1000 ms without a call \(idle_timeout_ms\)/));
      assert.equal(settled, false, 'the call in flight was cut by the idle timeout');
      await busy.close();
    });
  });

  test('partial lsm frames are bounded by max_buffered_bytes across connections, and their memory is given back', async () => {
    await withDaemon(`max_buffered_bytes: ${64 * MiB}\n`, async (env, pid) => {
      const socket = path.join(env.socketDir, 'echo');
      await (await env.connect()).systems();
      const baseline = rssOf(pid);
      const hostile = await Promise.all(Array.from({ length: 4 }, () => rawConnect(socket)));
      // Each announces a 64 MiB frame and sends 60 MB of it, then stops.
      const body = Buffer.alloc(60_000_000, 0x20);
      let peak = baseline;
      const sampler = setInterval(() => { peak = Math.max(peak, rssOf(pid)); }, 20);
      try {
        await Promise.all(hostile.map((h) => new Promise<void>((resolve) => {
          h.socket.write(Buffer.from('0067108864'));
          h.socket.write(body, () => resolve());
          void h.closed.then(() => resolve());
        })));
        // Meanwhile a normal client is served.
        assert.equal((await (await env.connect()).systems()).length, 1);
        peak = Math.max(peak, rssOf(pid));
      } finally {
        clearInterval(sampler);
      }
      // 60 MB each: at most one fits in 64 MiB. The last refusals may still be on their way.
      const refused = () => hostile.filter((h) => lsmMessages(h.received()).some((m) => /max_buffered_bytes/.test(String((m.error as { message?: string } | undefined)?.message))));
      await waitFor(() => refused().length >= 3, 'three refusals');
      peak = Math.max(peak, rssOf(pid));
      // Without the bound the four held 240 MB.
      assert.ok(peak - baseline < 150 * MiB, `daemon RSS grew by ${((peak - baseline) / MiB).toFixed(0)} MiB`);
      for (const h of hostile) h.socket.destroy();
      await waitFor(() => rssOf(pid) - baseline < 100 * MiB, 'the daemon giving memory back');
    });
  });

  test('1,000 quick connects are all accepted, cost no process, and process starts stay bounded', async () => {
    await withDaemon('max_sessions: 8\nmax_starting_processes: 2\nlog_level: debug\n', async (env, pid, daemon) => {
      const socket = path.join(env.socketDir, 'echo');
      const results = await Promise.all(Array.from({ length: 1_000 }, () => new Promise<string>((resolve) => {
        const s = net.connect({ path: socket });
        s.once('connect', () => { s.destroy(); resolve('ok'); });
        s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      })));
      assert.deepEqual(results.filter((r) => r !== 'ok'), []);
      assert.ok(childrenOf(pid).length <= 1, 'connect-and-drop started plug-in processes');

      // 40 clients that all send a request at once: each is answered, or told there are too many sessions.
      const clients = await Promise.all(Array.from({ length: 40 }, () => rawConnect(socket)));
      for (const c of clients) c.socket.write(encodeFrame(encodeBody({ id: 1, method: 'plugin_info', params: { flags: 0 } })));
      await waitFor(() => clients.every((c) => openlsmMessages(c.received()).length > 0), 'an answer for every client', 120_000);
      const answers = clients.map((c) => openlsmMessages(c.received())[0] as { result?: unknown; error?: { message: string } });
      assert.equal(answers.filter((a) => a.result !== undefined).length, 8);
      assert.ok(answers.every((a) => a.result !== undefined || /Too many sessions/.test(a.error?.message ?? '')));
      const starts = daemon.logs.filter((l) => l.message === 'starting a plug-in process').map((l) => Number(l.starting));
      assert.ok(starts.length >= 8);
      assert.ok(Math.max(...starts) <= 2, `${Math.max(...starts)} plug-in processes were starting at once`);
      for (const c of clients) c.socket.destroy();
    });
  });

  test('4 GiB and other oversized openlsm headers are answered with the 401 frame protocol.md shows', async () => {
    await withDaemon('', async (env) => {
      const socket = path.join(env.socketDir, 'echo');
      const cases: [number[], RegExp][] = [
        [[0xff, 0xff, 0xff, 0xff], /Frame of 4294967295 bytes announced by the peer exceeds the limit of 67108864 bytes/],
        [[0x80, 0x00, 0x00, 0x00], /Frame of 2147483648 bytes announced by the peer exceeds the limit/],
        [[0x04, 0x00, 0x00, 0x01], /Frame of 67108865 bytes announced by the peer exceeds the limit/],
        [[0x00, 0x00, 0x00, 0x00], /empty frame/],
      ];
      for (const [header, message] of cases) {
        const c = await rawConnect(socket);
        c.socket.write(Buffer.from(header));
        await c.closed;
        const [answer] = openlsmMessages(c.received()) as [{ id: unknown; error: { code: number; message: string } }];
        assert.equal(answer.id, null);
        assert.equal(answer.error.code, ErrorNumber.TRANSPORT_SERIALIZATION);
        assert.match(answer.error.message, message);
      }
    });
  });
});
