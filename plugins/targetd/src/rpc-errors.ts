/**
 * targetd's JSON-RPC error codes in lsm's terms. libstoragemgmt's own plugin maps five codes and turns the rest
 * into PLUGIN_BUG; here every code targetd 0.10.4 raises gets the lsm code that says what happened, and the
 * error keeps targetd's code (`TargetdCallError.targetdCode`) for callers that must tell cases apart (-303
 * means both "volume is exported" and "a storage command failed").
 */
import { ErrorNumber, LsmError } from '@openlsm/core';
import { serverText } from './text.js';

/** An error answer of targetd, as an LsmError that remembers targetd's own code. */
export class TargetdCallError extends LsmError {
  readonly targetdCode: number;
  constructor(code: number, message: string, targetdCode: number) {
    super(code, message);
    this.targetdCode = targetdCode;
  }
}

export const TargetdCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_ARGUMENT: -32602,
  GENERIC: -1,
  NAME_CONFLICT: -50,
  EXISTS_CLONE_NAME: -51,
  EXISTS_INITIATOR: -52,
  EXISTS_FS_NAME: -53,
  NOT_FOUND_VOLUME: -103,
  NOT_FOUND_FS: -104,
  INVALID_POOL: -110,
  NOT_FOUND_SS: -112,
  NOT_FOUND_VOLUME_EXPORT: -151,
  NOT_FOUND_VOLUME_GROUP: -152,
  NO_SUPPORT: -153,
  NOT_FOUND_ACCESS_GROUP: -200,
  VOLUME_MASKED: -303,
  NOT_FOUND_NFS_EXPORT: -400,
  NFS_NO_SUPPORT: -401,
  NO_FREE_HOST_LUN_ID: -1000,
} as const;

const DIRECT: Readonly<Record<number, number>> = {
  [TargetdCode.INVALID_ARGUMENT]: ErrorNumber.INVALID_ARGUMENT,
  [TargetdCode.NAME_CONFLICT]: ErrorNumber.NAME_CONFLICT,
  [TargetdCode.EXISTS_CLONE_NAME]: ErrorNumber.NAME_CONFLICT,
  [TargetdCode.EXISTS_FS_NAME]: ErrorNumber.NAME_CONFLICT,
  [TargetdCode.EXISTS_INITIATOR]: ErrorNumber.EXISTS_INITIATOR,
  [TargetdCode.NOT_FOUND_VOLUME]: ErrorNumber.NOT_FOUND_VOLUME,
  [TargetdCode.NOT_FOUND_FS]: ErrorNumber.NOT_FOUND_FS,
  [TargetdCode.INVALID_POOL]: ErrorNumber.NOT_FOUND_POOL,
  [TargetdCode.NOT_FOUND_VOLUME_GROUP]: ErrorNumber.NOT_FOUND_POOL,
  [TargetdCode.NOT_FOUND_SS]: ErrorNumber.NOT_FOUND_FS_SS,
  [TargetdCode.NOT_FOUND_VOLUME_EXPORT]: ErrorNumber.NO_STATE_CHANGE,
  [TargetdCode.NO_SUPPORT]: ErrorNumber.NO_SUPPORT,
  [TargetdCode.NFS_NO_SUPPORT]: ErrorNumber.NO_SUPPORT,
  [TargetdCode.NOT_FOUND_ACCESS_GROUP]: ErrorNumber.NOT_FOUND_ACCESS_GROUP,
  [TargetdCode.NOT_FOUND_NFS_EXPORT]: ErrorNumber.NOT_FOUND_NFS_EXPORT,
};

// What LVM ("insufficient free space"), ZFS ("out of space") and btrfs ("No space left") say when a pool is full;
// targetd passes their text on under -1 or -303.
const NO_SPACE = /insufficient free space|out of space|no space left|not enough space/i;

/** The LsmError for targetd's error answer `{code, message}` to `method`. */
export function targetdErrorToLsm(code: number, message: unknown, method: string, label: string): TargetdCallError {
  const text = serverText(message);
  const said = `targetd at ${label}: ${method}: ${text} (targetd error ${code})`;
  const direct = DIRECT[code];
  if (direct !== undefined) return new TargetdCallError(direct, said, code);
  if (code > 0) {
    return new TargetdCallError(ErrorNumber.PLUGIN_BUG, `${said}: a positive code is an asynchronous job id of targetd before API 0.6, which this plugin does not support`, code);
  }
  switch (code) {
    case TargetdCode.METHOD_NOT_FOUND:
      return new TargetdCallError(ErrorNumber.NO_SUPPORT, `${said}; this targetd lacks "${method}" (it is probably older than the feature)`, code);
    case TargetdCode.PARSE_ERROR:
    case TargetdCode.INVALID_REQUEST:
      return new TargetdCallError(ErrorNumber.PLUGIN_BUG, `${said}: targetd could not read the request`, code);
    case TargetdCode.NO_FREE_HOST_LUN_ID:
      return new TargetdCallError(ErrorNumber.PLUGIN_BUG, `${said}: system limit, no free LUN id (0-255) is left`, code);
    case TargetdCode.VOLUME_MASKED:
      if (/exported/i.test(text)) return new TargetdCallError(ErrorNumber.IS_MASKED, `${said}: the volume is masked to an access group`, code);
      if (NO_SPACE.test(text)) return new TargetdCallError(ErrorNumber.NOT_ENOUGH_SPACE, said, code);
      return new TargetdCallError(ErrorNumber.PLUGIN_BUG, `${said}: a storage command on the appliance failed`, code);
    case TargetdCode.GENERIC:
      if (NO_SPACE.test(text)) return new TargetdCallError(ErrorNumber.NOT_ENOUGH_SPACE, said, code);
      if (/copy requires thin-provisioned/i.test(text)) {
        return new TargetdCallError(ErrorNumber.NO_SUPPORT, `${said}: targetd copies LVM volumes only in thin pools (configured as "vg/thinpool")`, code);
      }
      return new TargetdCallError(ErrorNumber.PLUGIN_BUG, `${said}: the appliance failed`, code);
    default:
      return new TargetdCallError(ErrorNumber.PLUGIN_BUG, said, code);
  }
}
