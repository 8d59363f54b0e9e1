/**
 * The transport against stand-in servers on a Unix socket in a private temporary directory. Each stand-in
 * reads a request the way tgtd does (120-byte header, then `len - 120` payload bytes) and then misbehaves in
 * one way tgtd or an impostor could: garbage, a huge announced length, a short answer, silence, a close. The
 * real tgtd is exercised by test/src/tgt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { TgtdClient } from './client.js';
import { isTgtdError, TgtadmErr } from './errors.js';
import { Mode, Op, REQUEST_HEADER_BYTES } from './wire.js';

type Behaviour = (socket: net.Socket, request: Buffer) => void;

async function standIn(behaviour: Behaviour): Promise<{ socketPath: string; requests: Buffer[]; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-tgtd-client-'));
  const socketPath = path.join(dir, 'socket.0');
  const requests: Buffer[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < REQUEST_HEADER_BYTES || buffered.length < buffered.readUInt32LE(72)) return;
      requests.push(buffered);
      behaviour(socket, buffered);
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    requests,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function answer(err: number, text = ''): Buffer {
  const body = text === '' ? Buffer.alloc(0) : Buffer.from(`${text}\0`);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(err, 0);
  head.writeUInt32LE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}

const SHOW = { mode: Mode.TARGET, op: Op.SHOW, tid: -1 } as const;

function lsmCode(code: number, message?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof LsmError, String(err));
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  };
}

test('the text of a successful answer, even when it arrives one byte at a time', async () => {
  const server = await standIn((socket) => {
    const bytes = answer(0, 'Portal: 127.0.0.1:3260,1\n');
    let i = 0;
    const drip = () => {
      if (i >= bytes.length) return void socket.end();
      socket.write(bytes.subarray(i, ++i));
      setImmediate(drip);
    };
    drip();
  });
  try {
    const client = new TgtdClient({ socketPath: server.socketPath });
    assert.equal(await client.request(SHOW, 'listing'), 'Portal: 127.0.0.1:3260,1\n');
    assert.equal(server.requests[0]?.length, 120);
  } finally {
    await server.close();
  }
});

test('a refusal is a TgtdError carrying tgtd\'s code and tgtadm\'s wording', async () => {
  const server = await standIn((socket) => socket.end(answer(TgtadmErr.TARGET_EXIST)));
  try {
    const client = new TgtdClient({ socketPath: server.socketPath });
    await assert.rejects(client.request(SHOW, 'creating target 1'), (err) => {
      assert.ok(isTgtdError(err, TgtadmErr.TARGET_EXIST));
      assert.equal(err.code, ErrorNumber.NAME_CONFLICT);
      assert.equal(err.message, 'tgtd refused creating target 1: this target already exists (tgtadm error 9 TARGET_EXIST)');
      return true;
    });
  } finally {
    await server.close();
  }
});

test('an answer announcing a huge length, or less than a header, is refused at once', async () => {
  for (const length of [0xffff_ffff, 4]) {
    const server = await standIn((socket) => {
      const head = Buffer.alloc(8);
      head.writeUInt32LE(length, 4);
      socket.write(head); // and never more: the client must not wait for 4 GiB
    });
    try {
      const client = new TgtdClient({ socketPath: server.socketPath, maxResponseBytes: 1024 * 1024 });
      await assert.rejects(client.request(SHOW, 'listing'), lsmCode(ErrorNumber.TRANSPORT_SERIALIZATION, new RegExp(`announces ${length} bytes`)));
    } finally {
      await server.close();
    }
  }
});

test('an answer cut short, and a close without any answer, are transport errors naming the request', async () => {
  const short = await standIn((socket) => socket.end(answer(0, 'x'.repeat(100)).subarray(0, 50)));
  const silent = await standIn((socket) => socket.end());
  try {
    await assert.rejects(new TgtdClient({ socketPath: short.socketPath }).request(SHOW, 'listing'),
      lsmCode(ErrorNumber.TRANSPORT_COMMUNICATION, /after 50 of 109 bytes of its answer to listing/));
    await assert.rejects(new TgtdClient({ socketPath: silent.socketPath }).request(SHOW, 'listing'),
      lsmCode(ErrorNumber.TRANSPORT_COMMUNICATION, /closed the connection without answering listing/));
  } finally {
    await short.close();
    await silent.close();
  }
});

test('a server that never answers is a TIMEOUT at the deadline; an AbortSignal cancels too', async () => {
  const server = await standIn(() => {});
  try {
    const client = new TgtdClient({ socketPath: server.socketPath, timeoutMs: 200 });
    await assert.rejects(client.request(SHOW, 'listing'), lsmCode(ErrorNumber.TIMEOUT, /did not answer listing within 200 ms/));
    const controller = new AbortController();
    const pending = client.request(SHOW, 'listing', { signal: controller.signal, timeoutMs: 60_000 });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, lsmCode(ErrorNumber.TIMEOUT, /Cancelled while listing/));
  } finally {
    await server.close();
  }
});

test('no tgtd behind the path is NETWORK_CONNREFUSED; a file that is not a socket says so', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-tgtd-client-'));
  try {
    await assert.rejects(new TgtdClient({ socketPath: path.join(dir, 'socket.0') }).request(SHOW, 'listing'),
      lsmCode(ErrorNumber.NETWORK_CONNREFUSED, /tgtd is not running/));
    const file = path.join(dir, 'plain');
    writeFileSync(file, '');
    await assert.rejects(new TgtdClient({ socketPath: file }).request(SHOW, 'listing'), (err) => err instanceof LsmError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('connections are capped: 100 requests never hold more than maxInFlight sockets', async () => {
  // Counted from the request's arrival to the answer: a client sends its next request only after an answer.
  let serving = 0;
  let peak = 0;
  const server = await standIn((socket) => {
    peak = Math.max(peak, ++serving);
    setTimeout(() => {
      serving--;
      socket.end(answer(0, 'ok'));
    }, 2);
  });
  try {
    const client = new TgtdClient({ socketPath: server.socketPath, maxInFlight: 4 });
    const answers = await Promise.all(Array.from({ length: 100 }, () => client.request(SHOW, 'listing')));
    assert.equal(answers.length, 100);
    assert.ok(answers.every((a) => a === 'ok'));
    assert.equal(peak, 4);
  } finally {
    await server.close();
  }
});
