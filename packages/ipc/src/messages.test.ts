import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classify } from './messages.js';

test('requests, notifications and responses are told apart', () => {
  assert.deepEqual(classify({ id: 1, method: 'systems', params: { flags: 0 } }), { kind: 'request', message: { id: 1, method: 'systems', params: { flags: 0 } } });
  assert.deepEqual(classify({ id: 'a', method: 'systems' }), { kind: 'request', message: { id: 'a', method: 'systems', params: {} } });
  assert.deepEqual(classify({ method: 'job_progress', params: { percent: 5 } }), { kind: 'notification', message: { method: 'job_progress', params: { percent: 5 } } });
  assert.deepEqual(classify({ id: null, method: '$/cancel', params: { id: 3 } }), { kind: 'notification', message: { method: '$/cancel', params: { id: 3 } } });
  assert.deepEqual(classify({ id: 1, result: [1, 2] }), { kind: 'response', message: { id: 1, result: [1, 2] } });
  assert.deepEqual(classify({ id: 1, result: undefined }), { kind: 'response', message: { id: 1, result: null } });
  assert.deepEqual(classify({ id: 2, error: { code: 205, message: 'gone', data: 7 } }), { kind: 'response', message: { id: 2, error: { code: 205, message: 'gone', data: '7' } } });
});

test('malformed messages are invalid, keeping a usable id so they can be answered', () => {
  assert.deepEqual(classify([1]), { kind: 'invalid', reason: 'message is not a map', id: null });
  assert.deepEqual(classify({ id: 4, method: 'x', params: [1] }), { kind: 'invalid', reason: 'params of "x" must be a map of named arguments', id: 4 });
  assert.equal(classify({ id: 1.5, method: 'x' }).kind, 'invalid');
  assert.equal(classify({ id: 'x'.repeat(129), method: 'x' }).kind, 'invalid');
  assert.equal(classify({ id: 2n, method: 'x' }).kind, 'invalid');
  assert.deepEqual(classify({ id: 3, error: { code: 'bad' } }), { kind: 'invalid', reason: 'error member must be { code, message, data }', id: 3 });
  assert.deepEqual(classify({ id: 5 }), { kind: 'invalid', reason: 'message has neither method nor result nor error', id: 5 });
});

test('property: classify accepts anything without throwing', () => {
  fc.assert(fc.property(fc.anything({ withBigInt: true, withNullPrototype: true, withTypedArray: true }), (value) => {
    const c = classify(value);
    assert.ok(['request', 'notification', 'response', 'invalid'].includes(c.kind));
  }), { numRuns: 2_000 });
});
