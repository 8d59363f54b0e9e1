/**
 * Checks of client-supplied values. Names are stored as data and never used as paths or commands, so lsm's
 * liberal names (`Pool 2(sub pool of Pool 1)`, spaces, punctuation) are accepted; what is refused is what no
 * array would store faithfully (core's `checkNameText`): empty names, control characters, ill-formed Unicode
 * and U+FFFD, and more than 255 characters (code points).
 */
import { checkNameText, ErrorNumber, LsmError, NAME_TEXT_MAX_LENGTH } from '@openlsm/core';

export const NAME_MAX_LENGTH = NAME_TEXT_MAX_LENGTH;

/** Returns `name`, or throws INVALID_ARGUMENT naming `what` (`volume name`). */
export const checkName = checkNameText;

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
