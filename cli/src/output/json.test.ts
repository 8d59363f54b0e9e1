import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toJson } from './json.js';

describe('toJson', () => {
  test('bigints are written as exact bare digits, even above 2^53', () => {
    const text = toJson({ total_space: 2305843009213693952n, n: (1n << 63n) - 1n }, 0);
    assert.equal(text, '{"total_space":2305843009213693952,"n":9223372036854775807}');
  });

  test('matches JSON.stringify on ordinary values', () => {
    const value = { a: [1, 'two', null, true, { b: [] }], c: {}, s: 'q"uote\n', u: undefined };
    assert.equal(toJson(value, 0), JSON.stringify(value));
    assert.equal(toJson(value, 2), JSON.stringify(value, null, 2));
  });

  test('byte arrays become hex; non-finite numbers become null', () => {
    assert.equal(toJson([new Uint8Array([0, 255]), Number.NaN], 0), '["00ff",null]');
  });
});
