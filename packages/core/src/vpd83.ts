/**
 * SCSI VPD page 0x83 NAA identifiers as lsm stores them in `Volume.vpd83` (and `Disk.vpd83`): 32 hex digits
 * starting with `6` (NAA-6, IEEE registered extended) or 16 hex digits starting with `2`, `3` or `5`
 * (NAA-2, NAA-3, NAA-5). lsm's regex: `^6[0-9a-fA-F]{31}$` or `^[235][0-9a-fA-F]{15}$`.
 *
 * `""` means "not supported" on a Volume/Disk; it is accepted only with `{ allowEmpty: true }`.
 */

import { ErrorNumber, LsmError } from './errors.js';
import { describeForMessage } from './names.js';

export interface Vpd83Options {
  /** Accept `""` (lsm's "not supported" value). Default false. */
  allowEmpty?: boolean;
}

const VPD83_RE = /^(?:6[0-9a-fA-F]{31}|[235][0-9a-fA-F]{15})$/;

/** True when `s` is a valid vpd83 (any hex case); `""` only with `allowEmpty`. Linear, length-checked first. */
export function isValidVpd83(s: string, opts?: Vpd83Options): boolean {
  if (typeof s !== 'string') return false;
  if (s === '') return opts?.allowEmpty === true;
  if (s.length !== 16 && s.length !== 32) return false;
  return VPD83_RE.test(s);
}

/** `s` lower-cased; throws INVALID_ARGUMENT when it is not a valid vpd83 (see `isValidVpd83`). */
export function normalizeVpd83(s: string, opts?: Vpd83Options): string {
  if (!isValidVpd83(s, opts)) {
    const shown = typeof s === 'string' ? describeForMessage(s) : `(${typeof s})`;
    throw new LsmError(
      ErrorNumber.INVALID_ARGUMENT,
      `Invalid vpd83 ${shown}: expected 32 hex digits starting with 6 (NAA-6) ` +
        `or 16 hex digits starting with 2, 3 or 5 (NAA-2/3/5)` +
        (opts?.allowEmpty === true ? ', or ""' : ''),
    );
  }
  return s.toLowerCase();
}
