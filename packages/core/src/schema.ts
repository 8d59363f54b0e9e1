/**
 * A tiny schema language for lsm's objects and RPC parameters.
 *
 * One declaration per object type drives three things that must never drift apart: the TypeScript type
 * (`Infer<typeof VolumeSchema>`), validation of untrusted input (the plugin kit checks every request's params,
 * the client checks every answer), and the wire normalisation that lets peers written in other languages send
 * a size as a small msgpack integer while openlsm code always sees a `bigint`.
 *
 * It is hand-written rather than zod because it sits on the hot path of 100,000-volume listings and because the
 * daemon's libstoragemgmt translator needs the field order and class names, which this table also provides.
 */
import { ErrorNumber, LsmError } from './errors.js';
import { isWellFormedText } from './text.js';

export interface Schema<T> {
  /** What the value must be, for error messages: `a string`, `a Volume object`. */
  readonly expected: string;
  /** Checks `value` and returns it normalised (bigint sizes, exact object shape); throws INVALID_ARGUMENT. */
  parse(value: unknown, path: string): T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

/** A record parameter that may be omitted; `fallback` is used in its place. */
export interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
  readonly fallback: T;
}

export interface RecordSchema<T> extends Schema<T> {
  /** lsm's class name (`Volume`); the daemon uses it for lsm's `class` tags. */
  readonly className: string;
  readonly fields: Readonly<Record<string, Schema<unknown>>>;
  readonly fieldNames: readonly string[];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function invalid(path: string, expected: string, value: unknown): LsmError {
  return new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid argument "${path}": expected ${expected}, got ${describe(value)}`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A string of well-formed Unicode. A lone UTF-16 surrogate is refused: no UTF-8 wire can carry it, and the
 * encoders would silently turn it into U+FFFD (so two different names would arrive as the same one).
 */
export const str: Schema<string> = {
  expected: 'a string',
  parse(value, path) {
    if (typeof value !== 'string') throw invalid(path, this.expected, value);
    if (!isWellFormedText(value)) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid argument "${path}": the string contains a lone UTF-16 surrogate, which is not a character and cannot be sent`);
    }
    return value;
  },
};

/** A JavaScript-safe integer: enum values, percentages, counts. */
export const int: Schema<number> = {
  expected: 'an integer',
  parse(value, path) {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
      return Number(value);
    }
    throw invalid(path, this.expected, value);
  },
};

/** A 64-bit signed integer carried as bigint: sizes in bytes, block counts. */
export const size: Schema<bigint> = {
  expected: 'an integer (64-bit)',
  parse(value, path) {
    if (typeof value === 'bigint') {
      if (value < INT64_MIN || value > INT64_MAX) throw invalid(path, 'an integer within 64 bits', value);
      return value;
    }
    if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
    throw invalid(path, this.expected, value);
  },
};

export const bool: Schema<boolean> = {
  expected: 'a boolean',
  parse(value, path) {
    if (typeof value !== 'boolean') throw invalid(path, this.expected, value);
    return value;
  },
};

/** Raw bytes (msgpack `bin`), of an exact length when `length` is given. */
export function bytes(length?: number): Schema<Uint8Array> {
  const expected = length === undefined ? 'binary data' : `${length} bytes of binary data`;
  return {
    expected,
    parse(value, path) {
      if (!(value instanceof Uint8Array) || (length !== undefined && value.length !== length)) {
        throw invalid(path, expected, value);
      }
      return value;
    },
  };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return {
    expected: `${inner.expected} or null`,
    parse: (value, path) => (value === null || value === undefined ? null : inner.parse(value, path)),
  };
}

export function optional<T>(inner: Schema<T>, fallback: T): OptionalSchema<T> {
  return {
    expected: inner.expected,
    optional: true,
    fallback,
    parse: (value, path) => (value === undefined ? fallback : inner.parse(value, path)),
  };
}

/*
 * Validation speed matters: a listing of 100,000 volumes is checked field by field on arrival. Two things keep it
 * cheap. Paths for error messages (`result[41].pool_id`) are not built while all is well: containers first check
 * their members with an empty path, and only when something fails check again with full paths, to throw the
 * error that names the right member. And a container whose members all come back unchanged (a decoded volume
 * already has exactly the declared members, its sizes already bigints) is returned as it is, not copied.
 */

export function list<T>(item: Schema<T>): Schema<T[]> {
  const expected = `a list of ${item.expected.replace(/^an? /, '')}s`;
  const withPaths = (value: unknown[], path: string): T[] => {
    const out = new Array<T>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = item.parse(value[i], `${path}[${i}]`);
    return out;
  };
  return {
    expected,
    parse(value, path) {
      if (!Array.isArray(value)) throw invalid(path, expected, value);
      try {
        let out: T[] | undefined;
        for (let i = 0; i < value.length; i++) {
          const v: unknown = value[i];
          const parsed = item.parse(v, '');
          if (out) out[i] = parsed;
          else if (parsed !== v) {
            out = value.slice(0, i) as T[];
            out[i] = parsed;
          }
        }
        return out ?? (value as T[]);
      } catch {
        return withPaths(value, path);
      }
    },
  };
}

type TupleOf<S extends readonly Schema<unknown>[]> = { -readonly [K in keyof S]: Infer<S[K]> };

/** A fixed-length list, as lsm encodes Python tuples: `[job_id, volume]`, `[description, version]`. */
export function tuple<const S extends readonly Schema<unknown>[]>(...items: S): Schema<TupleOf<S>> {
  const expected = `a list of ${items.length} items (${items.map((i) => i.expected).join(', ')})`;
  return {
    expected,
    parse(value, path) {
      if (!Array.isArray(value) || value.length !== items.length) throw invalid(path, expected, value);
      try {
        return items.map((s, i) => s.parse(value[i], '')) as TupleOf<S>;
      } catch {
        return items.map((s, i) => s.parse(value[i], `${path}[${i}]`)) as TupleOf<S>;
      }
    },
  };
}

type RequiredKeys<S> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? never : K }[keyof S];
type OptionalKeys<S> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];

/** The fields of a record as a caller may write them: optional fields may be left out. */
export type InputOf<S> = { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> | undefined };
/** The fields of a record after parsing: every field present. */
export type OutputOf<S> = { -readonly [K in keyof S]: Infer<S[K]> };

export type Shape = Record<string, Schema<unknown>>;

/**
 * An object with exactly these fields, in this order. Unknown members (lsm's `class` tag, fields a newer peer
 * added) are dropped, so a parsed object always has the declared shape.
 */
export function record<const S extends Shape>(className: string, fields: S): RecordSchema<OutputOf<S>> {
  const names = Object.keys(fields);
  const schemas = names.map((n) => fields[n] as Schema<unknown>);
  const optionalFlags = schemas.map((s) => (s as Partial<OptionalSchema<unknown>>).optional === true);
  const count = names.length;
  const expected = `a ${className} object`;
  const build = (src: Record<string, unknown>, path: string | undefined): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const name = names[i] as string;
      const v = src[name];
      if (v === undefined && !optionalFlags[i] && !(name in src)) {
        throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid argument "${path ? `${path}.` : ''}${name}": missing (expected ${(schemas[i] as Schema<unknown>).expected})`);
      }
      out[name] = (schemas[i] as Schema<unknown>).parse(v, path === undefined ? '' : path ? `${path}.${name}` : name);
    }
    return out;
  };
  /** True when `src` has exactly the declared members, in order, and each is already in its parsed form. */
  const isExact = (src: Record<string, unknown>): boolean => {
    let i = 0;
    for (const key in src) {
      if (key !== names[i]) return false;
      i++;
    }
    if (i !== count) return false;
    for (let k = 0; k < count; k++) {
      const v = src[names[k] as string];
      if ((schemas[k] as Schema<unknown>).parse(v, '') !== v) return false;
    }
    return true;
  };
  return {
    expected,
    className,
    fields,
    fieldNames: names,
    parse(value, path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
        throw invalid(path, expected, value);
      }
      const src = value as Record<string, unknown>;
      try {
        return (isExact(src) ? src : build(src, undefined)) as OutputOf<S>;
      } catch {
        return build(src, path) as OutputOf<S>;
      }
    },
  };
}

/** One of several record types, told apart by `pick` (which returns undefined when none fits). */
export function union<T>(expected: string, pick: (value: Record<string, unknown>) => Schema<T> | undefined): Schema<T> {
  return {
    expected,
    parse(value, path) {
      const schema = typeof value === 'object' && value !== null ? pick(value as Record<string, unknown>) : undefined;
      if (!schema) throw invalid(path, expected, value);
      return schema.parse(value, path);
    },
  };
}

export const nothing: Schema<null> = {
  expected: 'null',
  parse(value, path) {
    if (value !== null && value !== undefined) throw invalid(path, this.expected, value);
    return null;
  },
};
