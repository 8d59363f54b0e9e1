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
    for (const b of bytes) out.push(...reader.push(Buffer.from([b])));
    assert.deepEqual(out, texts);
  });

  test('reads several frames from one chunk', () => {
    const reader = new LsmFrameReader();
    assert.deepEqual(reader.push(Buffer.concat([encodeLsmFrame('1'), encodeLsmFrame('[2]'), Buffer.from('00000')])), ['1', '[2]']);
    assert.deepEqual(reader.push(Buffer.from('00004')), []);
    assert.deepEqual(reader.push(Buffer.from('null')), ['null']);
  });

  test('refuses a non-digit header, an empty frame and an oversized one before buffering it', () => {
    const isSerialization = (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_SERIALIZATION;
    assert.throws(() => new LsmFrameReader().push(Buffer.from('00000x0010{}')), isSerialization);
    assert.throws(() => new LsmFrameReader().push(Buffer.from('0000000000')), isSerialization);
    assert.throws(() => new LsmFrameReader(1024).push(Buffer.from('9999999999')), /exceeds the limit/);
  });
});
