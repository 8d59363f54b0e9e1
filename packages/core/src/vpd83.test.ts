import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorNumber, LsmError } from './errors.js';
import { assertInvalid } from './test-helpers.js';
import { isValidVpd83, normalizeVpd83 } from './vpd83.js';


const NAA6 = '600508b1001c2a8a1c5fc32ad0b2e4f1';

test('vpd83: valid forms, normalised to lower case', () => {
  const cases: [string, string][] = [
    [NAA6, NAA6],
    ['600508B1001C2A8A1C5FC32AD0B2E4F1', NAA6],
    ['6' + '0'.repeat(31), '6' + '0'.repeat(31)],
    ['5000c5003011cb2b', '5000c5003011cb2b'],
    ['5000C5003011CB2B', '5000c5003011cb2b'],
    ['2000000000000001', '2000000000000001'],
    ['3fffffffffffffff', '3fffffffffffffff'],
  ];
  for (const [input, expected] of cases) {
    assert.equal(isValidVpd83(input), true, input);
    assert.equal(normalizeVpd83(input), expected, input);
  }
});

test('vpd83: invalid forms', () => {
  const bad = [
    '',
    '6',
    NAA6.slice(0, 31), // 31 digits
    NAA6 + '0', // 33 digits
    '5' + '0'.repeat(31), // 32 digits must start with 6
    '6' + '0'.repeat(15), // 16 digits must start with 2, 3 or 5
    '1000c5003011cb2b',
    '4000c5003011cb2b',
    '7000c5003011cb2b',
    '5000c5003011cb2g',
    '0x5000c5003011cb',
    ' 5000c5003011cb2b',
    '5000c5003011cb2b ',
    '5000c5003011cb2b\n',
    '5000-c500-3011-cb2b',
    '5000c500;011cb2b',
    '../../etc/passwd',
    '6'.repeat(10 * 1024 * 1024),
  ];
  for (const s of bad) {
    assert.equal(isValidVpd83(s), false, s.slice(0, 40));
    assertInvalid(() => normalizeVpd83(s), /^Invalid vpd83 ".*"…?: expected 32 hex digits starting with 6/);
  }
});

test('vpd83: empty string only with allowEmpty', () => {
  assert.equal(isValidVpd83(''), false);
  assert.equal(isValidVpd83('', { allowEmpty: false }), false);
  assert.equal(isValidVpd83('', { allowEmpty: true }), true);
  assert.equal(normalizeVpd83('', { allowEmpty: true }), '');
  assert.equal(normalizeVpd83('5000C5003011CB2B', { allowEmpty: true }), '5000c5003011cb2b');
  assertInvalid(() => normalizeVpd83('x', { allowEmpty: true }), /, or ""$/);
});

test('vpd83: a 10 MB string is rejected quickly', () => {
  const t0 = performance.now();
  const huge = '6' + 'a'.repeat(10 * 1024 * 1024);
  for (let i = 0; i < 100; i++) assert.equal(isValidVpd83(huge), false);
  assertInvalid(() => normalizeVpd83(huge), /…: expected/);
  assert.ok(performance.now() - t0 < 2000);
});

test('property: normalizeVpd83 accepts exactly the valid ids, is lower-case and idempotent', () => {
  const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: n, maxLength: n });
  const valid = fc.oneof(
    hex(31).map((h) => `6${h}`),
    fc.tuple(fc.constantFrom('2', '3', '5'), hex(15)).map(([p, h]) => p + h),
  );
  fc.assert(
    fc.property(fc.oneof(valid, fc.string(), hex(16), hex(32)), (s) => {
      let n: string;
      try {
        n = normalizeVpd83(s);
      } catch (err) {
        assert.ok(err instanceof LsmError);
        assert.equal(err.code, ErrorNumber.INVALID_ARGUMENT);
        assert.equal(isValidVpd83(s), false);
        return;
      }
      assert.equal(isValidVpd83(s), true);
      assert.equal(n, s.toLowerCase());
      assert.equal(normalizeVpd83(n), n);
      assert.match(n, /^(6[0-9a-f]{31}|[235][0-9a-f]{15})$/);
    }),
  );
});
