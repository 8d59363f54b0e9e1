import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { Connection } from './connection.js';
import { memoryPair } from './memory-pair.js';
import { type MuxChannel, StreamMux } from './mux.js';

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: Buffer) => parts.push(c));
    stream.on('end', () => resolve(Buffer.concat(parts)));
  });
}

/** A mux over a real Unix socket pair (server side accepts channels). */
async function socketMux(onChannel: (c: MuxChannel) => void): Promise<{ opener: StreamMux; acceptor: StreamMux; close(): void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-mux-'));
  const socketPath = path.join(dir, 's');
  const accepted = new Promise<net.Socket>((resolve) => {
    const server = net.createServer((s) => { server.close(); resolve(s); });
    server.listen(socketPath);
  });
  const client = net.connect(socketPath);
  await new Promise((r) => client.once('connect', r));
  const serverSide = await accepted;
  return {
    opener: new StreamMux(client),
    acceptor: new StreamMux(serverSide, { onChannel }),
    close: () => { client.destroy(); serverSide.destroy(); rmSync(dir, { recursive: true, force: true }); },
  };
}

describe('StreamMux', () => {
  test('channels carry independent byte streams, in both directions, with half-close', async () => {
    const [a, b] = memoryPair();
    const received = new Map<number, Promise<Buffer>>();
    new StreamMux(b, {
      onChannel: (channel) => {
        received.set(channel.id, collect(channel));
        channel.end(`reply-${channel.id}`);
      },
    });
    const opener = new StreamMux(a);
    const one = opener.open();
    const two = opener.open();
    const replies = [collect(one), collect(two)];
    one.write('hello ');
    two.write('other');
    one.end('one');
    two.end();
    assert.deepEqual((await Promise.all(replies)).map(String), ['reply-1', 'reply-2']);
    assert.equal(String(await received.get(1)), 'hello one');
    assert.equal(String(await received.get(2)), 'other');
  });

  test('a Connection runs over a channel; large frames are split and reassembled', async () => {
    const { opener, close } = await socketMux((channel) => {
      new Connection(channel, { onRequest: (_m, params) => ({ echoed: params.blob }) });
    });
    try {
      const conns = [opener.open(), opener.open(), opener.open()].map((c) => new Connection(c));
      const blob = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
      const answers = await Promise.all(conns.map((c, i) => c.request('echo', { blob: i === 0 ? blob : Buffer.from([i]) })));
      assert.ok(Buffer.from((answers[0] as { echoed: Uint8Array }).echoed).equals(blob));
      assert.deepEqual([...(answers[2] as { echoed: Uint8Array }).echoed], [2]);
      await Promise.all(conns.map((c) => c.close()));
    } finally {
      close();
    }
  });

  test('a reader that does not read pauses only its own channel', async () => {
    const [a, b] = memoryPair();
    const channels: MuxChannel[] = [];
    new StreamMux(b, { onChannel: (c) => channels.push(c) });
    const opener = new StreamMux(a);
    const slow = opener.open();
    const fast = opener.open();
    const megabyte = Buffer.alloc(1024 * 1024, 1);
    slow.write('x');
    fast.write('y');
    await new Promise((r) => setImmediate(r));
    const [slowIn, fastIn] = channels as [MuxChannel, MuxChannel];
    // Nobody reads slowIn: after its buffer fills, the writer's callbacks stop completing.
    let slowDone = 0;
    for (let i = 0; i < 8; i++) slow.write(megabyte, () => { slowDone++; });
    const fastData = collect(fastIn);
    for (let i = 0; i < 8; i++) fast.write(megabyte);
    fast.end();
    assert.equal((await fastData).length, 1 + 8 * megabyte.length);
    assert.ok(slowDone < 8, `the paused channel completed ${slowDone} writes`);
    // Reading it resumes the flow.
    const slowData = collect(slowIn);
    slow.end();
    assert.equal((await slowData).length, 1 + 8 * megabyte.length);
    assert.equal(slowDone, 8);
  });

  test('the shared stream dying ends every channel; late frames for a gone channel are ignored', async () => {
    const opened: MuxChannel[] = [];
    const { opener, acceptor, close } = await socketMux((c) => opened.push(c));
    const one = opener.open();
    const conn = new Connection(one);
    const call = conn.request('never', {});
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(acceptor.channelCount, 1);
    close();
    await assert.rejects(call, (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_COMMUNICATION);
    await opener.closed;
    assert.equal(opener.channelCount, 0);
    assert.throws(() => opener.open(), LsmError);
  });

  test('garbage on the shared stream closes it instead of crashing', async () => {
    const [a, b] = memoryPair();
    const mux = new StreamMux(b, { onChannel: () => {} });
    a.write(Buffer.from([0, 0, 0, 2, 1, 2]));
    await mux.closed;
    assert.equal(mux.isClosed, true);
  });
});
