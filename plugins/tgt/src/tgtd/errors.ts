/**
 * tgtd's answer codes (`enum tgtadm_errno`, usr/tgtadm_error.h) and what they become in lsm's terms. A refusal
 * is a `TgtdError`: an LsmError whose `tgtdCode` lets callers react to one condition (a target that already
 * exists, an account that is gone) without parsing messages.
 */
import { ErrorNumber, LsmError } from '@openlsm/core';

export const TgtadmErr = {
  SUCCESS: 0,
  UNKNOWN_ERR: 1,
  NOMEM: 2,
  NO_DRIVER: 3,
  NO_TARGET: 4,
  NO_LUN: 5,
  NO_SESSION: 6,
  NO_CONNECTION: 7,
  NO_BINDING: 8,
  TARGET_EXIST: 9,
  LUN_EXIST: 10,
  BINDING_EXIST: 11,
  ACL_EXIST: 12,
  ACL_NOEXIST: 13,
  USER_EXIST: 14,
  NO_USER: 15,
  TOO_MANY_USER: 16,
  INVALID_REQUEST: 17,
  OUTACCOUNT_EXIST: 18,
  TARGET_ACTIVE: 19,
  LUN_ACTIVE: 20,
  DRIVER_ACTIVE: 21,
  UNSUPPORTED_OPERATION: 22,
  UNKNOWN_PARAM: 23,
  PREVENT_REMOVAL: 24,
} as const;

/** tgtadm's own wording for each code (what an admin who knows tgtadm will recognise). */
const MESSAGES: readonly string[] = [
  'success', 'unknown error', 'out of memory', "can't find the driver", "can't find the target",
  "can't find the logical unit", "can't find the session", "can't find the connection", "can't find the binding",
  'this target already exists', 'this logical unit number already exists', 'this binding already exists',
  'this access control rule already exists', 'this access control rule does not exist', 'this account already exists',
  "can't find the account", 'too many accounts', 'invalid request', 'this target already has an outgoing account',
  'this target is still active', 'this logical unit is still active', 'this driver is busy',
  "this operation isn't supported", 'unknown parameter', 'this device has Prevent Removal set',
];

const NAMES = Object.fromEntries(Object.entries(TgtadmErr).map(([name, code]) => [code, name])) as Record<number, string>;

function lsmCodeFor(code: number): number {
  switch (code) {
    case TgtadmErr.NOMEM:
      return ErrorNumber.NO_MEMORY;
    case TgtadmErr.NO_DRIVER:
    case TgtadmErr.UNSUPPORTED_OPERATION:
    case TgtadmErr.TOO_MANY_USER:
      return ErrorNumber.NO_SUPPORT;
    case TgtadmErr.NO_TARGET:
    case TgtadmErr.NO_LUN:
    case TgtadmErr.NO_SESSION:
    case TgtadmErr.NO_CONNECTION:
    case TgtadmErr.NO_BINDING:
    case TgtadmErr.ACL_NOEXIST:
    case TgtadmErr.NO_USER:
      return ErrorNumber.NOT_FOUND_GENERIC;
    case TgtadmErr.TARGET_EXIST:
    case TgtadmErr.LUN_EXIST:
    case TgtadmErr.BINDING_EXIST:
    case TgtadmErr.ACL_EXIST:
    case TgtadmErr.USER_EXIST:
    case TgtadmErr.OUTACCOUNT_EXIST:
      return ErrorNumber.NAME_CONFLICT;
    case TgtadmErr.TARGET_ACTIVE:
    case TgtadmErr.LUN_ACTIVE:
    case TgtadmErr.DRIVER_ACTIVE:
    case TgtadmErr.PREVENT_REMOVAL:
      return ErrorNumber.NO_SUPPORT_ONLINE_CHANGE;
    case TgtadmErr.INVALID_REQUEST:
    case TgtadmErr.UNKNOWN_PARAM:
      return ErrorNumber.INVALID_ARGUMENT;
    default:
      return ErrorNumber.PLUGIN_BUG;
  }
}

/** tgtadm's text for `code`, or `unknown error <code>`. */
export function tgtadmMessage(code: number): string {
  return MESSAGES[code] ?? `unknown error ${code}`;
}

/** A request tgtd answered with a non-zero code. */
export class TgtdError extends LsmError {
  readonly tgtdCode: number;

  /** `what` says what was asked, e.g. `creating target 3 "iqn..."` (already quoted where it holds input). */
  constructor(tgtdCode: number, what: string) {
    const name = NAMES[tgtdCode] ?? 'UNKNOWN';
    super(lsmCodeFor(tgtdCode), `tgtd refused ${what}: ${tgtadmMessage(tgtdCode)} (tgtadm error ${tgtdCode} ${name})`);
    this.tgtdCode = tgtdCode;
  }

  // LsmError's instanceof checks a brand that every LsmError carries; a TgtdError is recognised by its own field.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return LsmError[Symbol.hasInstance](value) && typeof (value as { tgtdCode?: unknown }).tgtdCode === 'number';
  }
}

/** True when `err` is tgtd's refusal with one of `codes`. */
export function isTgtdError(err: unknown, ...codes: number[]): err is TgtdError {
  return err instanceof TgtdError && codes.includes(err.tgtdCode);
}
