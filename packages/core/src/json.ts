/**
 * JSON as Python peers write it (lsm's wire at openlsmd's edge, targetd's JSON-RPC), without losing integers, and
 * without letting one document cost more than linear time.
 *
 * lsm sends sizes as bare JSON integers that routinely exceed 2^53 (the simulator's 2 EiB pool is
 * 2305843009213693952). On Node 20 `JSON.parse` rounds them and gives revivers no source text, and
 * `JSON.stringify` throws on bigint, so both directions are written by hand here: integers outside the safe
 * range become `bigint` when read, and `bigint` is written as bare digits. (targetd's ZFS pool uuid is a random
 * 64-bit JSON number, and its sizes are bytes.) The output uses Python's `json.dumps` separators (`", "`, `": "`).
 *
 * What is parsed is bounded before anything is converted: converting a decimal literal to a bigint costs more
 * than linear time (67 million digits froze the daemon for 14 s), so a number literal longer than
 * `maxNumberChars` is refused before it is converted; longer strings, deeper nesting and documents of more
 * values than the limits allow are refused too. `LSM_WIRE_JSON_LIMITS` fit lsm's messages (its largest integer
 * is 2^64, 20 digits); a peer whose documents are larger (a targetd listing of 100,000 volumes) passes its own.
 */
import { ErrorNumber, LsmError } from './errors.js';

/** Nesting deeper than this is refused: lsm's messages are at most four levels deep. */
export const MAX_DEPTH = 64;
/** Longest number literal (sign, digits, fraction and exponent): lsm's integers have at most 20 digits. */
export const MAX_NUMBER_CHARS = 40;
/** Longest string, in UTF-16 units of its JSON text: lsm's strings are names, ids, URIs and paths. */
export const MAX_STRING_CHARS = 1024 * 1024;
/**
 * Most values (numbers, strings, members, elements) in one document. A request for 1,000 disks holds about
 * 15,000; the bound keeps what a 64 MiB payload can make the daemon build (and copy between threads) small.
 */
export const MAX_VALUES = 200_000;

export interface JsonLimits {
  maxDepth: number;
  maxNumberChars: number;
  maxStringChars: number;
  maxValues: number;
}

/** The limits for lsm's wire (the defaults of `parseLsmJson`). */
export const LSM_WIRE_JSON_LIMITS: Readonly<JsonLimits> = Object.freeze({
  maxDepth: MAX_DEPTH, maxNumberChars: MAX_NUMBER_CHARS, maxStringChars: MAX_STRING_CHARS, maxValues: MAX_VALUES,
});

function syntaxError(text: string, at: number, what: string): LsmError {
  const near = JSON.stringify(text.slice(at, at + 16));
  return new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, `Invalid JSON at offset ${at}: ${what} (near ${near})`);
}

/** Parses one JSON document; integer literals beyond Number.MAX_SAFE_INTEGER become bigint. */
export function parseLsmJson(text: string, limits: Readonly<JsonLimits> = LSM_WIRE_JSON_LIMITS): unknown {
  const { maxDepth, maxNumberChars, maxStringChars, maxValues } = limits;
  let pos = 0;

  const skipSpace = () => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };

  const parseString = (): string => {
    // Find the closing quote, skipping escapes; JSON.parse then decodes the literal exactly.
    const start = pos;
    pos++;
    let escaped = false;
    const limit = start + 1 + maxStringChars;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (Number.isNaN(c)) throw syntaxError(text, start, 'unterminated string');
      if (c === 0x22) break;
      if (pos >= limit) throw syntaxError(text, start, `string longer than ${maxStringChars} characters`);
      if (c === 0x5c) { escaped = true; pos += 2; continue; }
      if (c < 0x20) throw syntaxError(text, pos, 'control character in string');
      pos++;
    }
    pos++;
    const literal = text.slice(start, pos);
    if (!escaped) return literal.slice(1, -1);
    try {
      return JSON.parse(literal) as string;
    } catch {
      throw syntaxError(text, start, 'bad escape in string');
    }
  };

  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  /** Skips a run of digits, stopping at `end`; returns false when there was none. */
  const digits = (end: number): boolean => {
    const from = pos;
    while (pos < end && isDigit(text.charCodeAt(pos))) pos++;
    return pos > from;
  };

  const parseNumber = (): number | bigint => {
    // Scanned by hand and never past maxNumberChars: a regular expression would first walk all 67 million
    // digits of a hostile literal.
    const start = pos;
    const end = start + maxNumberChars;
    if (text.charCodeAt(pos) === 0x2d) pos++;
    const first = text.charCodeAt(pos);
    if (first === 0x30) pos++;
    else if (!digits(end)) throw syntaxError(text, start, 'bad number');
    let integer = true;
    if (text.charCodeAt(pos) === 0x2e) {
      integer = false;
      pos++;
      if (!digits(end)) throw syntaxError(text, start, 'bad number');
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      integer = false;
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === 0x2d) pos++;
      if (!digits(end)) throw syntaxError(text, start, 'bad number');
    }
    const next = text.charCodeAt(pos);
    if (isDigit(next) || next === 0x2e || next === 0x65 || next === 0x45) {
      throw syntaxError(text, start, pos >= end ? `number longer than ${maxNumberChars} characters` : 'bad number');
    }
    const literal = text.slice(start, pos);
    if (!integer) return Number(literal);
    const n = Number(literal);
    return Number.isSafeInteger(n) ? n : BigInt(literal);
  };

  let values = 0;
  const parseValue = (depth: number): unknown => {
    if (depth > maxDepth) throw syntaxError(text, pos, `nesting deeper than ${maxDepth}`);
    if (++values > maxValues) throw syntaxError(text, pos, `more than ${maxValues} values in one document`);
    skipSpace();
    const c = text.charCodeAt(pos);
    switch (c) {
      case 0x7b: { // {
        pos++;
        const obj: Record<string, unknown> = {};
        skipSpace();
        if (text.charCodeAt(pos) === 0x7d) { pos++; return obj; }
        for (;;) {
          skipSpace();
          if (text.charCodeAt(pos) !== 0x22) throw syntaxError(text, pos, 'expected a member name');
          const key = parseString();
          skipSpace();
          if (text.charCodeAt(pos) !== 0x3a) throw syntaxError(text, pos, 'expected ":"');
          pos++;
          const value = parseValue(depth + 1);
          // A member named "__proto__" must stay data, never become the object's prototype.
          Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
          skipSpace();
          const next = text.charCodeAt(pos++);
          if (next === 0x7d) return obj;
          if (next !== 0x2c) throw syntaxError(text, pos - 1, 'expected "," or "}"');
        }
      }
      case 0x5b: { // [
        pos++;
        const arr: unknown[] = [];
        skipSpace();
        if (text.charCodeAt(pos) === 0x5d) { pos++; return arr; }
        for (;;) {
          arr.push(parseValue(depth + 1));
          skipSpace();
          const next = text.charCodeAt(pos++);
          if (next === 0x5d) return arr;
          if (next !== 0x2c) throw syntaxError(text, pos - 1, 'expected "," or "]"');
        }
      }
      case 0x22:
        return parseString();
      case 0x74:
        if (text.startsWith('true', pos)) { pos += 4; return true; }
        break;
      case 0x66:
        if (text.startsWith('false', pos)) { pos += 5; return false; }
        break;
      case 0x6e:
        if (text.startsWith('null', pos)) { pos += 4; return null; }
        break;
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return parseNumber();
    }
    throw syntaxError(text, pos, Number.isNaN(c) ? 'unexpected end of input' : 'unexpected character');
  };

  const value = parseValue(0);
  skipSpace();
  if (pos !== text.length) throw syntaxError(text, pos, 'trailing characters after the document');
  return value;
}

/**
 * Serialises a value for lsm: bigint as bare digits, `undefined` members left out (as JSON.stringify does).
 * Only plain data is expected (what the translator builds); anything else is a bug and throws.
 */
export function stringifyLsmJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      out.push(Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'bigint':
      out.push(value.toString());
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) {
        out.push('null');
        return;
      }
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(', ');
          write(value[i] === undefined ? null : value[i], out);
        }
        out.push(']');
        return;
      }
      {
        out.push('{');
        let first = true;
        for (const key of Object.keys(value)) {
          const member = (value as Record<string, unknown>)[key];
          if (member === undefined) continue;
          if (!first) out.push(', ');
          first = false;
          out.push(JSON.stringify(key), ': ');
          write(member, out);
        }
        out.push('}');
        return;
      }
    default:
      throw new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, `Cannot encode a ${typeof value} as JSON`);
  }
}
