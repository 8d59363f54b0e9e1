/**
 * JSON as Python peers write it, without losing integers: lsm's wire (openlsmd's edge) and targetd's JSON-RPC.
 *
 * lsm sends sizes as bare JSON integers that routinely exceed 2^53 (the simulator's 2 EiB pool is
 * 2305843009213693952). On Node 20 `JSON.parse` rounds them and gives revivers no source text, and
 * `JSON.stringify` throws on bigint, so both directions are written by hand here: integers outside the safe
 * range become `bigint` when read, and `bigint` is written as bare digits. (targetd's ZFS pool uuid is a random
 * 64-bit JSON number, and its sizes are bytes.) The output uses Python's `json.dumps` separators (`", "`, `": "`).
 */
import { ErrorNumber, LsmError } from './errors.js';

/** Nesting deeper than this is refused: lsm's messages are at most four levels deep. */
const MAX_DEPTH = 64;

function syntaxError(text: string, at: number, what: string): LsmError {
  const near = JSON.stringify(text.slice(at, at + 16));
  return new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, `Invalid JSON at offset ${at}: ${what} (near ${near})`);
}

/** Parses one JSON document; integer literals beyond Number.MAX_SAFE_INTEGER become bigint. */
export function parseLsmJson(text: string): unknown {
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
    for (;;) {
      const c = text.charCodeAt(pos);
      if (Number.isNaN(c)) throw syntaxError(text, start, 'unterminated string');
      if (c === 0x5c) { escaped = true; pos += 2; continue; }
      if (c === 0x22) break;
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

  const parseNumber = (): number | bigint => {
    const match = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    match.lastIndex = pos;
    const m = match.exec(text);
    if (!m) throw syntaxError(text, pos, 'bad number');
    pos += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    }
    return Number(m[0]);
  };

  const parseValue = (depth: number): unknown => {
    if (depth > MAX_DEPTH) throw syntaxError(text, pos, `nesting deeper than ${MAX_DEPTH}`);
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
