/**
 * lsmcli's size syntax (`--size 1.5GiB`) and its `-H` human-readable output, with exact bigint arithmetic.
 *
 * Input: a number (digits with at most one `.`, e.g. `10`, `1.5`, `.5`, `5.`), optional blanks (space/tab),
 * an optional unit. No unit means bytes. The unit is upper-cased and then `IB` becomes `iB` (lsmcli's rule), so:
 *
 * | unit (any case)                  | multiplier        |
 * |----------------------------------|-------------------|
 * | `B`                              | 1                 |
 * | `KiB MiB GiB TiB PiB EiB`        | 2^10 ... 2^60     |
 * | `KB MB GB TB PB EB`              | 10^3 ... 10^18    |
 * | `K M G T P E`                    | 2^10 ... 2^60     |
 *
 * The result is truncated toward zero to whole bytes. Unlike lsmcli (which multiplies a float), the math is
 * exact: `1.1GB` is 1100000000, `0.29KB` is 290 (float math gives 289), `2EiB` is 2305843009213693952.
 * Blanks are accepted only between the number and the unit (so `'100 '` is 100 bytes); leading blanks and
 * blanks after the unit are rejected, as by lsmcli's anchored regex.
 */

import { ErrorNumber, LsmError } from './errors.js';
import { describeForMessage } from './names.js';

/** Largest accepted size: 2^63-1 bytes (lsm sizes are signed 64-bit integers on the wire and in C). */
export const MAX_SIZE_BYTES = (1n << 63n) - 1n;

/** Longer size texts are rejected before any parsing (no valid size needs more). */
export const MAX_SIZE_TEXT_LENGTH = 128;

const SIZE_UNITS: ReadonlyMap<string, bigint> = new Map<string, bigint>([
  ['B', 1n],
  ['KiB', 1n << 10n],
  ['MiB', 1n << 20n],
  ['GiB', 1n << 30n],
  ['TiB', 1n << 40n],
  ['PiB', 1n << 50n],
  ['EiB', 1n << 60n],
  ['KB', 10n ** 3n],
  ['MB', 10n ** 6n],
  ['GB', 10n ** 9n],
  ['TB', 10n ** 12n],
  ['PB', 10n ** 15n],
  ['EB', 10n ** 18n],
  ['K', 1n << 10n],
  ['M', 1n << 20n],
  ['G', 1n << 30n],
  ['T', 1n << 40n],
  ['P', 1n << 50n],
  ['E', 1n << 60n],
]);

const UNIT_HINT = 'use B, KiB, MiB, GiB, TiB, PiB, EiB, KB, MB, GB, TB, PB, EB or K, M, G, T, P, E';

function invalidSize(text: string, why = 'expected a number with an optional unit, e.g. 1.5GiB, 500MB, 100M'): LsmError {
  const shown = typeof text === 'string' ? describeForMessage(text) : `(${typeof text})`;
  return new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid size: ${shown}: ${why}`);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * Parses lsmcli's size syntax into bytes. Throws INVALID_ARGUMENT `Invalid size: "<text>": ...` for empty,
 * negative or malformed input and for results above 2^63-1, and `Invalid size unit: "<u>" (...)` for an
 * unknown unit. Zero (`0`, `0GiB`) is accepted; rejecting zero-sized volumes is the caller's business.
 */
export function parseSize(text: string): bigint {
  if (typeof text !== 'string' || text.length === 0) throw invalidSize(text);
  if (text.length > MAX_SIZE_TEXT_LENGTH) throw invalidSize(text, `longer than ${MAX_SIZE_TEXT_LENGTH} characters`);

  // Hand-written scanner: number, blanks, letters, end. Linear, no regex backtracking.
  const n = text.length;
  let i = 0;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  const intDigits = text.slice(0, i);
  let fracDigits = '';
  if (i < n && text.charCodeAt(i) === 0x2e /* . */) {
    i++;
    const fracStart = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    fracDigits = text.slice(fracStart, i);
  }
  if (intDigits === '' && fracDigits === '') throw invalidSize(text);
  while (i < n && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  const unitStart = i;
  while (i < n && isAsciiLetter(text.charCodeAt(i))) i++;
  if (i !== n) throw invalidSize(text);
  const unit = text.slice(unitStart);

  let multiplier = 1n;
  if (unit !== '') {
    const m = SIZE_UNITS.get(unit.toUpperCase().replaceAll('IB', 'iB'));
    if (m === undefined) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid size unit: ${describeForMessage(unit)} (${UNIT_HINT})`);
    }
    multiplier = m;
  }

  // value = (int.frac) * multiplier, truncated: scale the fraction to an integer and divide once at the end.
  const scale = 10n ** BigInt(fracDigits.length);
  const mantissa = BigInt(intDigits === '' ? '0' : intDigits) * scale + BigInt(fracDigits === '' ? '0' : fracDigits);
  const bytes = (mantissa * multiplier) / scale;
  if (bytes > MAX_SIZE_BYTES) {
    throw invalidSize(text, `larger than the maximum ${MAX_SIZE_BYTES} bytes (2^63-1)`);
  }
  return bytes;
}

const HUMAN_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** `v` rounded to the nearest IEEE-754 double (ties to even), as Python's `float(int)` does; exact below 2^53. */
function roundToDouble(v: bigint): bigint {
  const bits = v.toString(2).length;
  if (bits <= 53) return v;
  const shift = BigInt(bits - 53);
  const unit = 1n << shift;
  const half = unit >> 1n;
  let q = v >> shift;
  const r = v - (q << shift);
  if (r > half || (r === half && (q & 1n) === 1n)) q += 1n;
  return q << shift;
}

/**
 * lsmcli `-H`: the largest binary unit (B, KiB, MiB, GiB, TiB, PiB, EiB) not above the value, two decimals:
 * `2305843009213693952n` -> `'2.00 EiB'`, `512n` -> `'512.00 B'`, `1649267441664n` -> `'1.50 TiB'`.
 *
 * Rounding reproduces Python's `'%.2f' % (float(bytes) / 2**k)` exactly: the byte count is first rounded to a
 * double as `float()` would (this only matters above 2^53 = 8 PiB), the quotient by a power of two is then
 * exact, and `%.2f` rounds that exact binary value correctly, i.e. half-to-even on an exact tie: 1152 B
 * (exactly 1.125 KiB) gives `'1.12 KiB'` and 1408 B (1.375 KiB) gives `'1.38 KiB'`, as Python prints them.
 * Values below 1024 (including negative values such as lsm's `-1` "not found") print as `'<n>.00 B'`.
 */
export function formatSizeHuman(bytes: bigint): string {
  if (bytes < 1024n) return `${bytes}.00 B`;
  let k = 0;
  while (k + 1 < HUMAN_UNITS.length && bytes >= 1n << BigInt((k + 1) * 10)) k++;
  const shift = BigInt(k * 10);
  const v = roundToDouble(bytes);
  const scaled = v * 100n;
  let q = scaled >> shift;
  const r = scaled - (q << shift);
  if (shift > 0n) {
    const half = 1n << (shift - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q += 1n;
  }
  const whole = q / 100n;
  const cents = (q % 100n).toString().padStart(2, '0');
  return `${whole}.${cents} ${HUMAN_UNITS[k] ?? 'EiB'}`;
}
