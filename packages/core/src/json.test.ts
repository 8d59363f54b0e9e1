import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorNumber, LsmError } from './errors.js';
import { LSM_WIRE_JSON_LIMITS, MAX_DEPTH, MAX_STRING_CHARS, MAX_VALUES, parseLsmJson, stringifyLsmJson } from './json.js';

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

  test('bounds: long numbers are refused before conversion, in linear time; long strings and deep nesting too', () => {
    const huge = `{"method": "plugin_info", "id": 1, "params": {"flags": ${'9'.repeat(40_000_000)}}}`;
    const start = performance.now();
    assert.throws(() => parseLsmJson(huge), /offset 55: number longer than 40 characters/);
    // Generous: BigInt() of the same literal takes many seconds; the refusal reads 41 characters.
    assert.ok(performance.now() - start < 2_000);
    assert.throws(() => parseLsmJson(`[-${'1'.repeat(40)}]`), /number longer than 40/);
    assert.throws(() => parseLsmJson(`[1.${'5'.repeat(60)}]`), /number longer than 40/);
    assert.deepEqual(parseLsmJson(`[${'9'.repeat(39)}]`), [BigInt('9'.repeat(39))]);
    assert.deepEqual(parseLsmJson('[18446744073709551615, -1.5e-300, 0, -0.25]'), [18446744073709551615n, -1.5e-300, 0, -0.25]);
    for (const bad of ['[01]', '[1.]', '[1e]', '[-]', '[1.5.3]', '[.5]', '[1ee5]']) {
      assert.throws(() => parseLsmJson(bad), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_SERIALIZATION, bad);
    }
    assert.equal((parseLsmJson(JSON.stringify(['x'.repeat(MAX_STRING_CHARS)])) as string[])[0]?.length, MAX_STRING_CHARS);
    assert.throws(() => parseLsmJson(JSON.stringify(['x'.repeat(MAX_STRING_CHARS + 1)])), /string longer than/);
    assert.throws(() => parseLsmJson(JSON.stringify(['\n'.repeat(MAX_STRING_CHARS)])), /string longer than/);
    assert.throws(() => parseLsmJson(`${'['.repeat(MAX_DEPTH + 2)}${']'.repeat(MAX_DEPTH + 2)}`), /nesting deeper/);
    assert.equal((parseLsmJson(`[${'0,'.repeat(MAX_VALUES - 2)}0]`) as unknown[]).length, MAX_VALUES - 1);
    assert.throws(() => parseLsmJson(`[${'0,'.repeat(MAX_VALUES)}0]`), /more than 200000 values/);
    // A peer with larger documents passes its own limits; the number bound still holds.
    const roomy = { ...LSM_WIRE_JSON_LIMITS, maxValues: 10 * MAX_VALUES };
    assert.equal((parseLsmJson(`[${'0,'.repeat(MAX_VALUES)}0]`, roomy) as unknown[]).length, MAX_VALUES + 1);
    assert.throws(() => parseLsmJson(`[${'1'.repeat(41)}]`, roomy), /number longer than 40 characters/);
  });
});
