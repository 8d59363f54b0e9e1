/**
 * Keyword arguments of targetd methods: each method declares its parameters once, with their types and
 * defaults, and `bindArgs` checks a request's `params` against that declaration.
 *
 * targetd calls the Python function with `**params`, so an unknown or missing argument is a TypeError that it
 * answers with -32602 "invalid method arguments(s)"; we answer the same. targetd then trusts the values
 * (`int(size)`, a string `"False"` taken as true); we check each one and say which argument is wrong.
 */
import { TargetdCode, TargetdError } from './errors.js';

export interface Param<T> {
  readonly required: boolean;
  readonly fallback: T | undefined;
  parse(value: unknown, name: string): T;
}

export type Args<S extends Record<string, Param<unknown>>> = { [K in keyof S]: S[K] extends Param<infer T> ? T : never };

/** targetd's own text for a call whose keyword arguments do not fit the method. */
export const INVALID_ARGUMENTS = 'invalid method arguments(s)';

function invalid(name: string, what: string): TargetdError {
  return new TargetdError(TargetdCode.INVALID_ARGUMENT, `${INVALID_ARGUMENTS}: ${name} must be ${what}`);
}

function param<T>(parse: (value: unknown, name: string) => T): Param<T> {
  return { required: true, fallback: undefined, parse };
}

/** Longest string any argument may be; names and secrets are far shorter, a request body is at most 128 KiB. */
const MAX_STRING = 4096;

export const string = param((v, name): string => {
  if (typeof v !== 'string') throw invalid(name, 'a string');
  if (v.length > MAX_STRING) throw invalid(name, `at most ${MAX_STRING} characters`);
  return v;
});

/** A size in bytes: a non-negative integer (the JSON reader keeps integers past 2^53 exact as bigint). */
export const size = param((v, name): bigint => {
  if (typeof v === 'bigint' && v >= 0n && v < 2n ** 63n) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw invalid(name, 'a whole number of bytes from 0 to 2^63-1');
});

/** A SCSI LUN number as targetd (rtslib 2.1.75) accepts it. */
export const MAX_LUN = 255;
export const lun = param((v, name): number => {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_LUN) return v;
  throw invalid(name, `an integer from 0 to ${MAX_LUN}`);
});

export const boolean = param((v, name): boolean => {
  if (typeof v !== 'boolean') throw invalid(name, 'true or false (a JSON boolean, not a string)');
  return v;
});

/** A number of seconds (vol_copy's `timeout`). */
export const seconds = param((v, name): number => {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  throw invalid(name, 'a number of seconds');
});

/** `p`, or JSON null. */
export function nullable<T>(p: Param<T>): Param<T | null> {
  return param((v, name) => (v === null ? null : p.parse(v, name)));
}

/** `p` with a default used when the argument is left out. */
export function optional<T>(p: Param<T>, fallback: T): Param<T> {
  return { required: false, fallback, parse: p.parse };
}

/**
 * Binds `params` (an object, or undefined when the request had none) to `spec`; throws -32602 for an unknown
 * or missing argument, or a value of the wrong type.
 */
export function bindArgs<S extends Record<string, Param<unknown>>>(spec: S, params: Record<string, unknown> | undefined): Args<S> {
  const given = params ?? {};
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(spec, key)) throw new TargetdError(TargetdCode.INVALID_ARGUMENT, INVALID_ARGUMENTS);
  }
  const out: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(spec)) {
    if (Object.hasOwn(given, key)) out[key] = p.parse(given[key], key);
    else if (p.required) throw new TargetdError(TargetdCode.INVALID_ARGUMENT, INVALID_ARGUMENTS);
    else out[key] = p.fallback;
  }
  return out as Args<S>;
}
