import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { encodeFrame, FrameReader, FRAME_HEADER_BYTES } from './frame.js';

const fuzzMs = Number(process.env.OPENLSM_FUZZ_MS ?? 2_000);

function header(length: number): Buffer {
  const h = Buffer.alloc(FRAME_HEADER_BYTES);
  h.writeUInt32BE(length, 0);
  return h;
}

function isTransportSerialization(err: unknown): boolean {
  return err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_SERIALIZATION;
}

test('encodeFrame prefixes the body with its length, big-endian', () => {
  const frame = encodeFrame(Buffer.from([0x81, 0xa1, 0x61, 0x01]));
  assert.deepEqual([...frame], [0, 0, 0, 4, 0x81, 0xa1, 0x61, 0x01]);
});

test('encodeFrame refuses a body above the limit with TRANSPORT_SERIALIZATION', () => {
  assert.throws(() => encodeFrame(Buffer.alloc(11), 10), (err) => isTransportSerialization(err) && /11 bytes to be sent exceeds the limit of 10/.test((err as Error).message));
  assert.equal(encodeFrame(Buffer.alloc(10), 10).length, 14);
});

test('a drip feed, one byte at a time, yields each frame exactly once', () => {
  const bodies = [Buffer.from('first'), Buffer.from([0]), Buffer.alloc(3000, 7), Buffer.from('last')];
  const stream = Buffer.concat(bodies.map((b) => encodeFrame(b)));
  const reader = new FrameReader();
  const out: Buffer[] = [];
  for (let i = 0; i < stream.length; i++) out.push(...reader.push(stream.subarray(i, i + 1)));
  assert.deepEqual(out.map((b) => Buffer.from(b)), bodies);
  assert.equal(reader.buffered, 0);
});

test('several frames in one chunk come out in order', () => {
  const reader = new FrameReader();
  const out = reader.push(Buffer.concat([encodeFrame(Buffer.from('a')), encodeFrame(Buffer.from('bb')), encodeFrame(Buffer.from('ccc')).subarray(0, 5)]));
  assert.deepEqual(out.map(String), ['a', 'bb']);
  assert.equal(reader.buffered, 1); // the 'c' of an incomplete third frame is held, its header consumed
  assert.deepEqual(reader.push(Buffer.from('cc')).map(String), ['ccc']);
});

test('a header announcing a huge length is refused before anything is buffered', () => {
  const reader = new FrameReader(1024);
  assert.throws(() => reader.push(header(0xffff_ffff)), (err) => isTransportSerialization(err) && /4294967295 bytes announced by the peer exceeds the limit of 1024/.test((err as Error).message));
  assert.throws(() => new FrameReader(1024).push(header(1025)), isTransportSerialization);
  assert.deepEqual(new FrameReader(1024).push(Buffer.concat([header(1024), Buffer.alloc(1024)])).map((b) => b.length), [1024]);
});

test('an empty frame is refused', () => {
  assert.throws(() => new FrameReader().push(header(0)), (err) => isTransportSerialization(err) && /empty frame/.test((err as Error).message));
});

test('a truncated frame is held, never emitted', () => {
  const reader = new FrameReader();
  assert.deepEqual(reader.push(encodeFrame(Buffer.alloc(100, 1)).subarray(0, 60)), []);
  assert.equal(reader.buffered, 56);
  assert.deepEqual(reader.push(Buffer.alloc(0)), []);
});

test('the limit must be a sane integer', () => {
  assert.throws(() => new FrameReader(0), RangeError);
  assert.throws(() => new FrameReader(2 ** 32), RangeError);
  assert.throws(() => new FrameReader(1.5), RangeError);
});

test('property: any split of a stream of frames yields the same bodies', () => {
  fc.assert(fc.property(
    fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 20 }),
    fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 50 }),
    (bodies, cuts) => {
      const stream = Buffer.concat(bodies.map((b) => encodeFrame(b)));
      const reader = new FrameReader(300);
      const out: Buffer[] = [];
      let at = 0;
      for (let i = 0; at < stream.length; i++) {
        const n = cuts[i % cuts.length] as number;
        out.push(...reader.push(stream.subarray(at, at + n)));
        at += n;
      }
      assert.deepEqual(out.map((b) => [...b]), bodies.map((b) => [...b]));
      assert.equal(reader.buffered, 0);
    },
  ), { interruptAfterTimeLimit: fuzzMs, numRuns: 2_000 });
});

test('fuzz: random bytes either yield bodies within the limit or throw TRANSPORT_SERIALIZATION, nothing else', () => {
  fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
    const reader = new FrameReader(4096);
    try {
      for (const c of chunks) {
        for (const body of reader.push(Buffer.from(c))) assert.ok(body.length >= 1 && body.length <= 4096);
      }
    } catch (err) {
      assert.ok(isTransportSerialization(err), `unexpected ${String(err)}`);
    }
  }), { interruptAfterTimeLimit: fuzzMs, numRuns: Number.MAX_SAFE_INTEGER });
});
