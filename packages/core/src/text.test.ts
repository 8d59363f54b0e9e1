import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorNumber, LsmError } from './errors.js';
import { str } from './schema.js';
import { checkNameText, codePointLength, displayText, isWellFormedText } from './text.js';

const isInvalid = (pattern: RegExp) => (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT && pattern.test(err.message);

test('lengths count code points: 255 emoji are 255 characters', () => {
  assert.equal(codePointLength('😀'.repeat(255)), 255);
  assert.equal(checkNameText('volume name', '😀'.repeat(255)), '😀'.repeat(255));
  assert.throws(() => checkNameText('volume name', '😀'.repeat(256)), isInvalid(/longer than 255 characters/));
  assert.throws(() => checkNameText('volume name', 'x'.repeat(256)), isInvalid(/longer than 255/));
  assert.throws(() => checkNameText('volume name', 'x'.repeat(10 * 1024 * 1024)), isInvalid(/longer than 255/));
  assert.equal(codePointLength('a\ud800b'), 3);
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((u) => String.fromCharCode(...u)), (s) => codePointLength(s) === [...s].length));
});

test('ill-formed Unicode and U+FFFD are refused, so two names never collide after encoding', () => {
  for (const name of ['x\ud800y', 'x\udc01y', 'end\ud83d', '\ude00start']) {
    assert.equal(isWellFormedText(name), false);
    assert.throws(() => checkNameText('volume name', name), isInvalid(/lone UTF-16 surrogate/));
    assert.throws(() => str.parse(name, 'volume_name'), isInvalid(/volume_name.*lone UTF-16 surrogate/));
  }
  assert.throws(() => checkNameText('volume name', 'bad\ufffd\ufffd'), isInvalid(/U\+FFFD.*not valid UTF-8/));
  assert.equal(str.parse('😀 fine', 'n'), '😀 fine');
});

test('control characters are refused; bidi and invisible characters are accepted', () => {
  for (const name of ['a\nb', 'tab\t', '\u001b[31m', 'del\u007f', 'c1\u0085', 'ls\u2028']) {
    assert.throws(() => checkNameText('volume name', name), isInvalid(/control characters/));
  }
  for (const name of ['evil\u202egnp.exe', 'zero\u200bwidth', 'Pool 2(sub pool of Pool 1)', '; rm -rf /', 'نام‌خانوادگی']) {
    assert.equal(checkNameText('volume name', name), name);
  }
  assert.throws(() => checkNameText('volume name', ''), isInvalid(/must not be empty/));
});

test('displayText escapes control, bidi and invisible characters and nothing else', () => {
  assert.equal(displayText('evil\u202egnp.exe'), 'evil\\u202egnp.exe');
  assert.equal(displayText('zero\u200bwidth'), 'zero\\u200bwidth');
  assert.equal(displayText('a\u001b[2Jb\n'), 'a\\x1b[2Jb\\x0a');
  assert.equal(displayText('\u2066iso\u2069 \u200e\u200f \ufeff'), '\\u2066iso\\u2069 \\u200e\\u200f \\ufeff');
  assert.equal(displayText('tag\u{e0041}'), 'tag\\u{e0041}');
  assert.equal(displayText('lone\ud800'), 'lone\\ud800');
  // Emoji sequences, joiners needed by Persian and Indic scripts, accents: unchanged (and not copied).
  for (const s of ['plain', '👨‍👩‍👧 ❤️', 'نام‌خانوادگی', 'café', '日本語', '']) assert.equal(displayText(s), s);
  // Any UTF-16 units, lone surrogates included (fast-check's 'binary' strings cost seconds to generate).
  const units = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((u) => String.fromCharCode(...u));
  fc.assert(fc.property(units, (s) => {
    const shown = displayText(s);
    assert.ok(!/[\u0000-\u001f\u202a-\u202e\u2066-\u2069\u200b]/u.test(shown));
    assert.ok(isWellFormedText(shown));
  }), { numRuns: 500 });
});
