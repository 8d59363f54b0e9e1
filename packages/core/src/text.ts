/**
 * Unicode rules for the free-text names lsm lets users choose (volume, access-group, file-system, snapshot
 * names), and the escaping that makes any such text safe to print on a terminal.
 *
 * Storing: a name must survive the trip to the array and back unchanged, so what cannot be carried faithfully
 * is refused rather than silently altered: a lone UTF-16 surrogate (MessagePack and JSON writers turn it into
 * U+FFFD, so `x\ud800y` and `x\ud801y` would both become `x\ufffdy` and collide), and U+FFFD itself (the mark
 * a decoder leaves where bytes were not valid UTF-8, as in a command-line argument typed in Latin-1). Control
 * characters forge log lines and rows, so they are refused too. Lengths count code points, as a person counts
 * characters: 255 emoji are 255 characters, not 510.
 *
 * Printing: bidirectional controls (U+202E turns the rest of a row around) and invisible characters (U+200B)
 * are legal in a name but must not be shown raw; `displayText` writes them, and control characters, as
 * escapes (`\u202e`, `\x1b`), so what a table shows is what is stored.
 */
import { ErrorNumber, LsmError } from './errors.js';
import { describeForMessage } from './names.js';

/** Longest free-text name, in code points (lsm's limit for names). */
export const NAME_TEXT_MAX_LENGTH = 255;

// In a `u` regular expression a surrogate pair is one code point, so this class matches only lone surrogates.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// C0 and C1 controls, DEL, and the line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/**
 * Characters escaped on display besides controls: bidirectional embeddings, overrides, isolates and marks
 * (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069), invisible characters that join or separate nothing
 * (U+00AD soft hyphen, U+115F/U+1160/U+3164/U+FFA0 Hangul fillers, U+180E, U+200B, U+2060-U+2064, U+FEFF),
 * tags (U+E0000-U+E007F, which can hide ASCII text) and lone surrogates. The joiners U+200C/U+200D and the
 * variation selectors stay: Persian, Indic scripts and emoji sequences need them.
 */
// eslint-disable-next-line no-control-regex
const DISPLAY_ESCAPED = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\u{e0000}-\u{e007f}]|[\uD800-\uDFFF]/gu;
const HAS_DISPLAY_ESCAPED = new RegExp(DISPLAY_ESCAPED.source, 'u');

/** True when `s` is well-formed Unicode (no lone surrogate), i.e. it can be written as UTF-8 exactly. */
export function isWellFormedText(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** The number of code points in `s` (what a person counts as characters, give or take combining marks). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}

/**
 * Returns `name` when it is 1..maxLength code points of well-formed Unicode without control characters or
 * U+FFFD; otherwise throws INVALID_ARGUMENT naming `what` (`volume name`) and the rule broken.
 */
export function checkNameText(what: string, name: string, maxLength = NAME_TEXT_MAX_LENGTH): string {
  const fail = (why: string): never => {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ${what} ${describeForMessage(name)}: ${why}`);
  };
  if (name.length === 0) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ${what}: it must not be empty`);
  // Checked on UTF-16 units first: a 10 MB string is refused without counting it.
  if (name.length > 2 * maxLength || codePointLength(name) > maxLength) fail(`longer than ${maxLength} characters`);
  if (!isWellFormedText(name)) fail('it contains a lone UTF-16 surrogate, which cannot be stored (it is not a character)');
  if (name.includes('\ufffd')) {
    fail('it contains U+FFFD, the replacement character: the name was probably not valid UTF-8 (check the terminal\'s or the file\'s encoding)');
  }
  if (CONTROL.test(name)) fail('control characters are not allowed');
  return name;
}

function escapeOne(c: string): string {
  const code = c.codePointAt(0) as number;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/**
 * `s` made safe for a terminal: control, bidirectional and invisible characters (and lone surrogates) shown as
 * escapes (`\x1b`, `\u202e`, `\u{e0041}`); everything else unchanged. Text without such characters is returned
 * as is, without copying.
 */
export function displayText(s: string): string {
  if (!HAS_DISPLAY_ESCAPED.test(s)) return s;
  return s.replace(DISPLAY_ESCAPED, escapeOne);
}
