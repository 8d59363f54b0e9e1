import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorNumber, LsmError } from './errors.js';
import { parseLsmJson, stringifyLsmJson } from './json.js';

describe('lsm JSON', () => {
  test('integers beyond 2^53 survive both directions', () => {
    const text = '{"total_space": 2305843009213693952, "neg": -9223372036854775808, "small": 512, "f": 1.5}';
    const value = parseLsmJson(text) as Record<string, unknown>;
    assert.equal(value.total_space, 2305843009213693952n);
    assert.equal(value.neg, -9223372036854775808n);
    assert.equal(value.small, 512);
    assert.equal(value.f, 1.5);
    assert.equal(stringifyLsmJson(value), '{"total_space": 2305843009213693952, "neg": -9223372036854775808, "small": 512, "f": 1.5}');
  });

  test('strings with escapes and non-ASCII decode exactly', () => {
    assert.deepEqual(parseLsmJson('["a\\"b\\\\c\\u00e9\\n", "日本", ""]'), ['a"b\\c\u00e9\n', '日本', '']);
  });

  test('"__proto__" stays a data member', () => {
    const value = parseLsmJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('matches JSON.parse on any JSON without big integers', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
      const text = JSON.stringify(v);
      // Integers beyond 2^53 are bigint here by design; JSON.parse would round them.
      fc.pre(!/\d{16,}/.test(text));
      assert.deepEqual(parseLsmJson(text), JSON.parse(text));
      assert.deepEqual(parseLsmJson(stringifyLsmJson(JSON.parse(text))), JSON.parse(text));
    }), { numRuns: 300 });
  });

  test('64-bit integers round-trip', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
      const back = parseLsmJson(stringifyLsmJson([n])) as [number | bigint];
      assert.equal(BigInt(back[0]), n);
    }), { numRuns: 300 });
  });

  test('garbage is TRANSPORT_SERIALIZATION, never a crash', () => {
    for (const bad of ['', '{', '{"a" 1}', '[1,]', 'nul', '"abc', '{"a":1} x', '01', '"\u0001"', '[' .repeat(100) + ']'.repeat(100)]) {
      assert.throws(() => parseLsmJson(bad), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_SERIALIZATION, bad);
    }
    fc.assert(fc.property(fc.string({ maxLength: 64 }), (s) => {
      try {
        parseLsmJson(s);
      } catch (err) {
        assert.ok(err instanceof LsmError);
      }
    }), { numRuns: 500 });
  });
});
