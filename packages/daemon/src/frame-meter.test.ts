import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBody, encodeFrame } from '@openlsm/ipc';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { type FrameKind, frameKind, FrameMeter } from './frame-meter.js';

const frame = (value: unknown) => encodeFrame(encodeBody(value));

describe('FrameMeter', () => {
  test('tells calls from notifications by the first key, as every openlsm writer puts it', () => {
    const kind = (value: unknown) => frameKind(encodeBody(value));
    assert.equal(kind({ id: 1, method: 'systems', params: {} }), 'call');
    assert.equal(kind({ id: 'abc', result: [1, 2] }), 'call');
    assert.equal(kind({ id: 7, error: { code: 2, message: 'x', data: null } }), 'call');
    assert.equal(kind({ method: '$/cancel', params: { id: 3 } }), 'notification');
    assert.equal(kind({ method: 'job_progress', params: {} }), 'call'); // as a request it must be answered
    assert.equal(kind({ id: null, error: { code: 401, message: 'bye', data: null } }), 'notification');
    assert.equal(kind({ params: {}, method: 'job_progress' }), 'notification');
    assert.equal(kind({ result: null, id: 4 }), 'call');
    assert.equal(kind([1, 2, 3]), 'call'); // not a map: counted as a call, the safe side for an idle timeout
    assert.equal(frameKind(new Uint8Array(0)), 'call');
  });

  test('follows frames fed a byte at a time, with the bytes of the frame in progress', () => {
    const kinds: FrameKind[] = [];
    const meter = new FrameMeter((k) => kinds.push(k));
    const bytes = Buffer.concat([frame({ id: 1, method: 'a', params: { blob: 'x'.repeat(300) } }), frame({ method: '$/cancel', params: { id: 1 } })]);
    let maxPartial = 0;
    for (const b of bytes) {
      meter.push(Buffer.from([b]));
      maxPartial = Math.max(maxPartial, meter.partial);
    }
    assert.deepEqual(kinds, ['call', 'notification']);
    assert.ok(meter.atBoundary);
    assert.equal(meter.partial, 0);
    assert.ok(maxPartial > 300);
    meter.push(bytes.subarray(0, 10));
    assert.equal(meter.partial, 10);
    assert.equal(meter.atBoundary, false);
  });

  test('an empty or oversized header is TRANSPORT_SERIALIZATION', () => {
    const isSerialization = (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_SERIALIZATION;
    assert.throws(() => new FrameMeter(() => {}).push(Buffer.from([0, 0, 0, 0])), isSerialization);
    assert.throws(() => new FrameMeter(() => {}).push(Buffer.from([0xff, 0xff, 0xff, 0xff])), /Frame of 4294967295 bytes .* exceeds the limit of 67108864/);
    assert.throws(() => new FrameMeter(() => {}, 1024).push(Buffer.from([0, 0, 4, 1])), /exceeds the limit of 1024/);
  });
});
