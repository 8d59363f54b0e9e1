import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { encodeLsmFrame, LsmFrameReader } from './framing.js';

describe('lsm framing', () => {
  test('encodes the byte length, zero-padded to 10 digits', () => {
    assert.equal(encodeLsmFrame('{"id": 100, "result": "é"}').toString('utf8'), '0000000027{"id": 100, "result": "é"}');
  });

  test('reads frames fed one byte at a time', () => {
    const texts = ['{"method": "systems"}', '{"x": "日本"}'];
    const bytes = Buffer.concat(texts.map(encodeLsmFrame));
    const reader = new LsmFrameReader();
    const out: string[] = [];
    for (const b of bytes) out.push(...reader.push(Buffer.from([b])).map(String));
    assert.deepEqual(out, texts);
    assert.equal(reader.pending, 0);
  });

  test('reads several frames from one chunk', () => {
    const reader = new LsmFrameReader();
    const texts = (chunk: Buffer | string) => reader.push(Buffer.from(chunk)).map(String);
    assert.deepEqual(texts(Buffer.concat([encodeLsmFrame('1'), encodeLsmFrame('[2]'), Buffer.from('00000')])), ['1', '[2]']);
    assert.equal(reader.pending, 5);
    assert.deepEqual(texts('00004'), []);
    assert.equal(reader.pending, 10);
    assert.deepEqual(texts('null'), ['null']);
    assert.equal(reader.pending, 0);
  });

  test('a payload spread over chunks is assembled in one buffer of its own; pending counts what is held', () => {
    const reader = new LsmFrameReader();
    const json = JSON.stringify({ big: 'x'.repeat(200_000) });
    const frame = encodeLsmFrame(json);
    const out: Buffer[] = [];
    for (let at = 0; at < frame.length; at += 65_536) {
      out.push(...reader.push(frame.subarray(at, at + 65_536)));
      if (out.length === 0) assert.equal(reader.pending, Math.min(frame.length, at + 65_536));
    }
    assert.equal(out.length, 1);
    const [payload] = out as [Buffer];
    assert.equal(payload.toString(), json);
    assert.equal(payload.byteOffset, 0);
    assert.equal(payload.buffer.byteLength, payload.length);
    reader.push(frame.subarray(0, 1000));
    assert.equal(reader.pending, 1000);
    reader.discard();
    assert.equal(reader.pending, 0);
  });

  test('refuses a non-digit header, an empty frame and an oversized one before buffering it', () => {
    const isSerialization = (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_SERIALIZATION;
    assert.throws(() => new LsmFrameReader().push(Buffer.from('00000x0010{}')), isSerialization);
    assert.throws(() => new LsmFrameReader().push(Buffer.from('0000000000')), isSerialization);
    assert.throws(() => new LsmFrameReader(1024).push(Buffer.from('9999999999')), /exceeds the limit/);
  });
});
