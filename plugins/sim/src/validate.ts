/**
 * Checks of client-supplied values. Names are stored as data and never used as paths or commands, so lsm's
 * liberal names (`Pool 2(sub pool of Pool 1)`, spaces, punctuation) are accepted; what is refused is what no
 * array would store: empty names, control characters (they forge log lines and break terminals) and lengths past
 * 255 characters.
 */
import { ErrorNumber, LsmError, describeForMessage } from '@openlsm/core';

export const NAME_MAX_LENGTH = 255;

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators.
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

/** Returns `name`, or throws INVALID_ARGUMENT naming `what` (`volume name`). */
export function checkName(what: string, name: string, maxLength = NAME_MAX_LENGTH): string {
  if (name.length === 0) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ${what}: it must not be empty`);
  if (name.length > maxLength) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ${what} ${describeForMessage(name)}: longer than ${maxLength} characters`);
  }
  if (CONTROL.test(name)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ${what} ${describeForMessage(name)}: control characters are not allowed`);
  }
  return name;
}

/** Returns `value` when it is one of `allowed`'s values, else INVALID_ARGUMENT naming `what`. */
export function checkEnum(what: string, value: number, allowed: Readonly<Record<string, number>>): number {
  for (const v of Object.values(allowed)) if (v === value) return value;
  const names = Object.entries(allowed).map(([k, v]) => `${v} (${k})`).join(', ');
  throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ${what} ${value}: use one of ${names}`);
}

/** A size in bytes that must be positive. */
export function checkPositiveSize(what: string, value: bigint): bigint {
  if (value <= 0n) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ${what} ${value}: must be a positive number of bytes`);
  return value;
}

/** `size` rounded up to whole blocks. */
export function blocksFor(size: bigint, blockSize: bigint): bigint {
  return (size + blockSize - 1n) / blockSize;
}
