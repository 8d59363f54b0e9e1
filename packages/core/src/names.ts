/**
 * Name validation and the quoting helper every input-checking module in core uses for its messages.
 *
 * `validateName` is the whitelist a name passes before it reaches a file path, a command line or a protocol
 * message (volume, pool, access-group, file-system names chosen by a user). It is deliberately narrow:
 * ASCII letters, digits, `_`, `-`, `.`, `:`; no space; never `.`/`..` and never a leading `-` (option
 * injection) or `.` (hidden files, relative paths).
 */

import { ErrorNumber, LsmError } from './errors.js';

/** How many UTF-16 code units of user input an error message quotes at most. */
export const MESSAGE_QUOTE_LIMIT = 64;

/**
 * `s` quoted for an error message: `JSON.stringify` of its first 64 characters (so control characters and
 * newlines are escaped and cannot forge log lines), followed by `…` when `s` was longer. A 10 MB input gives a
 * message of about 70 characters. A surrogate pair is never split at the cut.
 */
export function describeForMessage(s: string): string {
  if (typeof s !== 'string') return String(s);
  if (s.length <= MESSAGE_QUOTE_LIMIT) return JSON.stringify(s);
  let end = MESSAGE_QUOTE_LIMIT;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // do not cut a surrogate pair in half
  return `${JSON.stringify(s.slice(0, end))}…`;
}

export interface ValidateNameOptions {
  /** Maximum length in characters; default 255. */
  maxLength?: number;
}

export const DEFAULT_NAME_MAX_LENGTH = 255;

// One pass, no alternation, no nested quantifier: linear on any input (and the length is checked first).
const NAME_RE = /^[A-Za-z0-9_:][A-Za-z0-9_.:-]*$/;

/**
 * Returns `name` unchanged when it is 1..maxLength characters from `[A-Za-z0-9_.:-]` and does not start with
 * `-` or `.` (which also rules out `.` and `..`); otherwise throws INVALID_ARGUMENT
 * `Invalid <kind> name "<name>": use 1-255 letters, digits, '_', '-', '.', ':' (not starting with '-' or '.')`.
 *
 * `kind` is the caller's noun (`'volume'`, `'access group'`) and is trusted.
 */
export function validateName(kind: string, name: string, opts?: ValidateNameOptions): string {
  const maxLength = opts?.maxLength ?? DEFAULT_NAME_MAX_LENGTH;
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) {
    throw new LsmError(
      ErrorNumber.INVALID_ARGUMENT,
      `validateName: maxLength must be a positive integer, got ${String(maxLength)}`,
    );
  }
  if (typeof name === 'string' && name.length >= 1 && name.length <= maxLength && NAME_RE.test(name)) {
    return name;
  }
  const shown = typeof name === 'string' ? describeForMessage(name) : `(${typeof name})`;
  throw new LsmError(
    ErrorNumber.INVALID_ARGUMENT,
    `Invalid ${kind} name ${shown}: use 1-${maxLength} letters, digits, '_', '-', '.', ':' ` +
      `(not starting with '-' or '.')`,
  );
}
