import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import fc from 'fast-check';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { decodeBody, encodeBody } from './codec.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { encodeFrame, FrameReader } from './frame.js';
import { memoryPair } from './memory-pair.js';
import { connectUnix, listenUnix } from './transport.js';

const fuzzMs = Number(process.env.OPENLSM_FUZZ_MS ?? 1_500);

function pair(server: ConnectionOptions = {}, client: ConnectionOptions = {}): { client: Connection; server: Connection } {
  const [a, b] = memoryPair();
  return { client: new Connection(a, { peerName: 'server', ...client }), server: new Connection(b, { peerName: 'client', ...server }) };
}

/** A hand-driven peer: writes raw bytes and collects the decoded messages it receives. */
function rawPeer(stream: Duplex): { messages: unknown[]; next(): Promise<unknown>; send(value: unknown): void } {
  const reader = new FrameReader();
  const messages: unknown[] = [];
  const waiters: ((v: unknown) => void)[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const body of reader.push(chunk)) {
      const value = decodeBody(body);
      const w = waiters.shift();
      if (w) w(value);
      else messages.push(value);
    }
  });
  return {
    messages,
    next: () => (messages.length ? Promise.resolve(messages.shift()) : new Promise((r) => waiters.push(r))),
    send: (value) => stream.write(encodeFrame(encodeBody(value))),
  };
}

function isCode(code: number, message?: RegExp) {
  return (err: unknown) => err instanceof LsmError && err.code === code && (!message || message.test(err.message));
}

test('a request gets its answer; params and results keep bigints and binary data', async () => {
  const { client, server } = pair();
  server.onRequest((method, params) => ({ method, echoed: params }));
  const answer = await client.request('volume_create', { size_bytes: 2n ** 61n, cap: new Uint8Array([1, 0, 1]) });
  assert.deepEqual(answer, { method: 'volume_create', echoed: { size_bytes: 2n ** 61n, cap: Buffer.from([1, 0, 1]) } });
  await client.close();
  await server.closed;
});

test('1,000 pipelined requests answered out of order reach the right callers', async () => {
  const { client, server } = pair();
  const held: (() => void)[] = [];
  server.onRequest((_method, params) => new Promise((resolve) => {
    held.push(() => resolve({ echo: params.n }));
    if (held.length === 1000) {
      // Answer in a shuffled order, some in the same tick, some later.
      for (let i = held.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [held[i], held[j]] = [held[j] as () => void, held[i] as () => void];
      }
      held.forEach((answer, i) => (i % 3 === 0 ? setImmediate(answer) : answer()));
    }
  }));
  const answers = await Promise.all(Array.from({ length: 1000 }, (_, n) => client.request('echo', { n })));
  assert.deepEqual(answers, Array.from({ length: 1000 }, (_, n) => ({ echo: n })));
  assert.equal(client.pendingCount, 0);
  await client.close();
});

test('a call without an answer fails with TIMEOUT at its deadline, and the peer is told to stop', async () => {
  const { client, server } = pair();
  let cancelled: Promise<void> | undefined;
  server.onRequest((_m, _p, ctx) => {
    cancelled = new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    return new Promise(() => {});
  });
  await assert.rejects(client.request('hang', {}, { timeoutMs: 50 }), isCode(ErrorNumber.TIMEOUT, /server did not answer "hang" within 50 ms/));
  await cancelled;
  assert.equal(client.pendingCount, 0);
  // The connection is still usable.
  server.onRequest(() => 'ok');
  assert.equal(await client.request('again', {}), 'ok');
  await client.close();
});

test('aborting a call fails it at once with TIMEOUT; an aborted signal fails before sending', async () => {
  const { client, server } = pair();
  const seen: string[] = [];
  server.onRequest((method) => { seen.push(method); return new Promise(() => {}); });
  const controller = new AbortController();
  const call = client.request('slow', {}, { signal: controller.signal });
  controller.abort();
  await assert.rejects(call, isCode(ErrorNumber.TIMEOUT, /aborted by the caller/));
  await assert.rejects(client.request('never', {}, { signal: AbortSignal.abort() }), isCode(ErrorNumber.TIMEOUT));
  await assert.rejects(client.request('late', {}, { signal: AbortSignal.timeout(20) }), isCode(ErrorNumber.TIMEOUT, /timed out/));
  assert.ok(!seen.includes('never'));
  client.destroy();
});

test('when the peer dies every pending call fails with TRANSPORT_COMMUNICATION naming the cause', async () => {
  const [a, b] = memoryPair();
  const client = new Connection(a, { peerName: 'plug-in "x"', closeReason: () => 'plug-in x was killed by SIGKILL' });
  const server = new Connection(b, { onRequest: () => new Promise(() => {}) });
  const calls = Array.from({ length: 10 }, (_, i) => client.request('hang', { i }));
  await new Promise((r) => setImmediate(r));
  server.destroy();
  for (const call of calls) await assert.rejects(call, isCode(ErrorNumber.TRANSPORT_COMMUNICATION, /lost: plug-in x was killed by SIGKILL/));
  await assert.rejects(client.request('after', {}), isCode(ErrorNumber.TRANSPORT_COMMUNICATION));
  assert.equal(client.isClosed, true);
});

test('a connection on a stream that is already closed closes at once with the reason', async () => {
  // The stream of a plugin that exited before anyone listened (child_process has destroyed it already).
  const [a, b] = memoryPair();
  b.destroy();
  a.destroy();
  await new Promise((r) => setImmediate(r));
  assert.equal(a.closed, true);
  const client = new Connection(a, { peerName: 'plug-in "x"', closeReason: () => 'plug-in x exited with code 2' });
  const first = client.request('plugin_register', {}, { timeoutMs: 60_000 });
  await assert.rejects(first, isCode(ErrorNumber.TRANSPORT_COMMUNICATION, /lost: plug-in x exited with code 2/));
  await client.closed;
  assert.equal(client.isClosed, true);
  await assert.rejects(client.request('after', {}), isCode(ErrorNumber.TRANSPORT_COMMUNICATION));
});

test('a connection on a stream whose peer ended and that was read to its end closes at once', async () => {
  const [a, b] = memoryPair();
  b.end();
  a.resume();
  await new Promise((r) => a.once('end', r));
  assert.equal(a.readableEnded, true);
  const client = new Connection(a, { peerName: 'server' });
  await assert.rejects(client.request('x', {}, { timeoutMs: 60_000 }), isCode(ErrorNumber.TRANSPORT_COMMUNICATION, /closed by the peer/));
  await client.closed;
});

test('a truncated frame followed by the end of the stream fails pending calls', async () => {
  const [a, b] = memoryPair();
  const client = new Connection(a, { peerName: 'server' });
  const call = client.request('x', {});
  b.end(encodeFrame(encodeBody({ id: 1, result: 'never complete' })).subarray(0, 9));
  await assert.rejects(call, isCode(ErrorNumber.TRANSPORT_COMMUNICATION, /closed by the peer/));
});

test('an unknown method without a handler is NO_SUPPORT; a handler that throws a plain error is PLUGIN_BUG', async () => {
  const [a, b] = memoryPair();
  const client = new Connection(a);
  const server = new Connection(b);
  await assert.rejects(client.request('nope', {}), isCode(ErrorNumber.NO_SUPPORT, /Unsupported operation "nope"/));
  server.onRequest(() => { throw new TypeError('boom'); });
  await assert.rejects(client.request('x', {}), isCode(ErrorNumber.PLUGIN_BUG, /boom/));
  server.onRequest(() => { throw new LsmError(ErrorNumber.NOT_FOUND_VOLUME, 'Volume not found', 'detail'); });
  await assert.rejects(client.request('x', {}), (err) => err instanceof LsmError && err.code === 205 && err.data === 'detail');
  await client.close();
});

test('a result too large to send fails that call with TRANSPORT_SERIALIZATION; the connection lives on', async () => {
  const { client, server } = pair({ maxFrameBytes: 1024 });
  server.onRequest((method) => (method === 'big' ? 'x'.repeat(2000) : 'small'));
  await assert.rejects(client.request('big', {}), isCode(ErrorNumber.TRANSPORT_SERIALIZATION, /exceeds the limit of 1024/));
  assert.equal(await client.request('small', {}), 'small');
  await client.close();
});

test('params too large to send are refused locally with TRANSPORT_SERIALIZATION', async () => {
  const { client } = pair({}, { maxFrameBytes: 100 });
  await assert.rejects(client.request('x', { blob: 'y'.repeat(200) }), isCode(ErrorNumber.TRANSPORT_SERIALIZATION, /to be sent exceeds the limit of 100/));
  await client.close();
});

test('an oversized frame closes that connection with a clear error; other connections are unaffected', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-ipc-'));
  const socketPath = path.join(dir, 'test.sock');
  const served: Connection[] = [];
  const server = await listenUnix(socketPath, 0o600, (socket) => {
    served.push(new Connection(socket, { peerName: 'client', maxFrameBytes: 4096, onRequest: (_m, p) => p.n ?? new Promise(() => {}) }));
  });
  try {
    const good = new Connection(await connectUnix(socketPath), { peerName: 'server' });
    const bad = new Connection(await connectUnix(socketPath), { peerName: 'server', maxFrameBytes: 1 << 20 });
    assert.equal(await good.request('n', { n: 1 }), 1);
    const pendingOnBad = bad.request('hang', {});
    // A request bigger than the server's limit: the server refuses it and closes that connection only.
    await assert.rejects(bad.request('huge', { blob: 'z'.repeat(10_000) }), isCode(ErrorNumber.TRANSPORT_SERIALIZATION, /client: Frame of \d+ bytes announced by the peer exceeds the limit of 4096 bytes; the connection was closed/));
    await assert.rejects(pendingOnBad, isCode(ErrorNumber.TRANSPORT_SERIALIZATION, /exceeds the limit of 4096/));
    await bad.closed;
    assert.equal(await good.request('n', { n: 2 }), 2);
    await good.close();
  } finally {
    for (const c of served) c.destroy();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a caller receiving a frame above its limit fails every pending call with TRANSPORT_SERIALIZATION', async () => {
  const [a, b] = memoryPair();
  const client = new Connection(a, { peerName: 'plug-in "big"', maxFrameBytes: 1000 });
  const calls = [client.request('a', {}), client.request('b', {})];
  const header = Buffer.alloc(4);
  header.writeUInt32BE(0xffff_fff0, 0);
  b.write(header);
  for (const call of calls) {
    await assert.rejects(call, isCode(ErrorNumber.TRANSPORT_SERIALIZATION, /plug-in "big": Frame of 4294967280 bytes announced by the peer exceeds the limit of 1000 bytes; the connection was closed/));
  }
  await client.closed;
  await assert.rejects(client.request('c', {}), isCode(ErrorNumber.TRANSPORT_SERIALIZATION));
});

test('malformed messages: with an id they get an error answer, without one the connection is closed', async () => {
  const [a, b] = memoryPair();
  const server = new Connection(a, { onRequest: () => 'served' });
  const peer = rawPeer(b);
  peer.send({ id: 5, method: 'volumes', params: [1, 2] });
  assert.deepEqual(await peer.next(), { id: 5, error: { code: ErrorNumber.TRANSPORT_SERIALIZATION, message: 'Malformed message: params of "volumes" must be a map of named arguments', data: null } });
  peer.send({ id: 6, method: 'systems', params: {} });
  assert.deepEqual(await peer.next(), { id: 6, result: 'served' });
  peer.send([1, 2, 3]);
  const goodbye = await peer.next() as { id: null; error: { code: number; message: string } };
  assert.equal(goodbye.id, null);
  assert.equal(goodbye.error.code, ErrorNumber.TRANSPORT_SERIALIZATION);
  assert.match(goodbye.error.message, /message is not a map/);
  await server.closed;
});

test('a request id already in flight is refused with TRANSPORT_INVALID_ARG', async () => {
  const [a, b] = memoryPair();
  const server = new Connection(a, { onRequest: (m) => (m === 'hang' ? new Promise(() => {}) : 'ok') });
  const peer = rawPeer(b);
  peer.send({ id: 1, method: 'hang', params: {} });
  peer.send({ id: 1, method: 'again', params: {} });
  assert.deepEqual(await peer.next(), { id: 1, error: { code: ErrorNumber.TRANSPORT_INVALID_ARG, message: 'Request id 1 is already in use', data: null } });
  server.destroy();
});

test('notifications reach the handler both ways; a throwing listener does not break the connection', async () => {
  const { client, server } = pair();
  const got: unknown[] = [];
  client.onNotification((method, params) => { got.push([method, params]); throw new Error('listener bug'); });
  server.onRequest((_m, _p, ctx) => {
    ctx.notify('job_progress', { job_id: 'J1', status: 1, percent: 50 });
    return 'done';
  });
  assert.equal(await client.request('work', {}), 'done');
  assert.deepEqual(got, [['job_progress', { job_id: 'J1', status: 1, percent: 50 }]]);
  await client.close();
});

test('close() ends the stream; later requests fail with TRANSPORT_COMMUNICATION', async () => {
  const { client, server } = pair();
  await client.close();
  await server.closed;
  await assert.rejects(client.request('x', {}), isCode(ErrorNumber.TRANSPORT_COMMUNICATION, /is closed/));
  client.notify('ignored', {}); // dropped silently
});

test('fuzz: random and truncated bytes never crash either side; pending calls fail with an LsmError', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array({ minLength: 1, maxLength: 60 }).map((body) => encodeFrame(body)),
      fc.uint8Array({ minLength: 1, maxLength: 60 }).map((body) => encodeFrame(body).subarray(0, 3 + body.length)),
      fc.constantFrom(
        encodeFrame(encodeBody({ id: 1, result: null })), encodeFrame(encodeBody({ id: 'x', method: 'm', params: {} })),
        encodeFrame(encodeBody({ method: '$/cancel', params: { id: 1 } })), encodeFrame(encodeBody({ id: null, error: { code: 'bad' } })),
      ),
    ), { maxLength: 8 }),
    async (chunks) => {
      const [a, b] = memoryPair();
      const side = new Connection(a, { peerName: 'fuzzer', maxFrameBytes: 256, onRequest: (m) => m });
      const call = side.request('x', {}, { timeoutMs: 1_000 }).then(() => undefined, (err: unknown) => {
        assert.ok(err instanceof LsmError, `rejected with ${String(err)}`);
      });
      for (const c of chunks) b.write(Buffer.from(c));
      b.end();
      await call;
      await side.closed;
    },
  ), { interruptAfterTimeLimit: fuzzMs, numRuns: 500 });
});
