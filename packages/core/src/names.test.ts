import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorNumber, LsmError } from './errors.js';
import { assertInvalid } from './test-helpers.js';
import { describeForMessage, validateName } from './names.js';


const HUGE = 'a'.repeat(10 * 1024 * 1024);

test('describeForMessage quotes, escapes and truncates', () => {
  const cases: [string, string][] = [
    ['', '""'],
    ['vol1', '"vol1"'],
    ['a\nb', '"a\\nb"'],
    ['tab\there', '"tab\\there"'],
    ['quote"d', '"quote\\"d"'],
    ['\u0000', '"\\u0000"'],
    ['x'.repeat(64), JSON.stringify('x'.repeat(64))],
    ['x'.repeat(65), `${JSON.stringify('x'.repeat(64))}…`],
    [HUGE, `${JSON.stringify('a'.repeat(64))}…`],
    // a surrogate pair straddling the cut is not split
    [`${'x'.repeat(63)}😀tail`, `${JSON.stringify('x'.repeat(63))}…`],
  ];
  for (const [input, expected] of cases) {
    assert.equal(describeForMessage(input), expected, `input ${input.slice(0, 80)}`);
  }
});

test('validateName accepts the whitelist', () => {
  const ok = ['a', 'vol1', 'Vol_1', 'lun-01', 'pool.a', 'iqn:x', ':colon', '_under', 'a..b', 'a-', 'x'.repeat(255), '0'];
  for (const name of ok) assert.equal(validateName('volume', name), name);
  assert.equal(validateName('volume', 'x'.repeat(10), { maxLength: 10 }), 'x'.repeat(10));
});

test('validateName rejects everything else with an actionable message', () => {
  const bad = [
    '',
    '.',
    '..',
    '.hidden',
    '-rf',
    '--option',
    'a b',
    ' a',
    'a;b',
    'a/b',
    '../etc/passwd',
    'a\\b',
    'a\nb',
    'a\rb',
    'a\u0000b',
    'a$b',
    'a`b`',
    "a'b",
    'a"b',
    'a*b',
    'é',
    'x'.repeat(256),
    HUGE,
  ];
  for (const name of bad) {
    const err = assertInvalid(() => validateName('volume', name), /^Invalid volume name "/);
    assert.ok(err.message.includes("use 1-255 letters, digits, '_', '-', '.', ':'"), err.message);
    assert.ok(!err.message.includes('\n'), 'newline escaped');
  }
  assertInvalid(() => validateName('access group', 'x'.repeat(11), { maxLength: 10 }), /^Invalid access group name .*use 1-10 /);
  assertInvalid(() => validateName('volume', 'a\nb'), /"a\\nb"/);
});

test('validateName rejects a bad maxLength', () => {
  assertInvalid(() => validateName('volume', 'a', { maxLength: 0 }));
  assertInvalid(() => validateName('volume', 'a', { maxLength: 1.5 }));
});

test('validateName rejects a 10 MB name quickly', () => {
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) assertInvalid(() => validateName('volume', HUGE));
  assertInvalid(() => validateName('volume', `${HUGE};`, { maxLength: HUGE.length + 1 }));
  assert.ok(performance.now() - t0 < 2000);
});

test('property: validateName either returns its input or throws INVALID_ARGUMENT; accepted names are safe', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9_.:-]{0,20}$/)), (name) => {
      let result: string;
      try {
        result = validateName('volume', name);
      } catch (err) {
        assert.ok(err instanceof LsmError);
        assert.equal(err.code, ErrorNumber.INVALID_ARGUMENT);
        return;
      }
      assert.equal(result, name);
      assert.ok(name.length >= 1 && name.length <= 255);
      assert.ok(!name.startsWith('-') && !name.startsWith('.'));
      assert.ok(!name.includes('/') && !name.includes(' ') && !name.includes('\n'));
    }),
  );
});

test('property: describeForMessage is bounded and single-line', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (s) => {
      const d = describeForMessage(s);
      assert.ok(!/[\u0000-\u001f]/.test(d));
      assert.ok(d.length <= 64 * 6 + 3);
      assert.ok(d.startsWith('"'));
    }),
  );
});
