/**
 * targetd's error codes (targetd 0.10.4, `TargetdError` and the JSON-RPC layer) and the translation of the
 * backend's lsm errors into them.
 *
 * targetd clients branch on these numbers (libstoragemgmt's targetd plugin takes their absolute value, the
 * Kubernetes provisioner checks -50 and -151), so a backend condition must come out as the code targetd itself
 * would have raised for it. The message is ours: it names what was wrong in words a person can act on.
 */
import { describeForMessage, ErrorNumber, errorName, LsmError } from '@openlsm/core';

export const TargetdCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_ARGUMENT: -32602,
  /** targetd's catch-all: any exception that is not a TargetdError. */
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
  NO_SUPPORT: -153,
  NOT_FOUND_ACCESS_GROUP: -200,
  VOLUME_MASKED: -303,
  NOT_FOUND_NFS_EXPORT: -400,
  NFS_NO_SUPPORT: -401,
  NO_FREE_HOST_LUN_ID: -1000,
} as const;

/** An error answered to the client as `{"error": {"code": code, "message": message}}`. */
export class TargetdError extends Error {
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.name = 'TargetdError';
    this.code = code;
  }
}

/**
 * A client-supplied name for a message: as is when it is short and plain (targetd's own messages quote nothing:
 * `Invalid pool (nosuchpool)`), else escaped and cut (`describeForMessage`), so no input can forge a line.
 */
export function nameForMessage(name: string): string {
  return /^[\w .:/-]{1,64}$/.test(name) ? name : describeForMessage(name);
}

/** What the failing call was about, so that one lsm code can become the targetd code of that object. */
export type Subject = 'volume' | 'fs' | 'snapshot' | 'clone' | 'access_group' | 'export' | 'nfs_export';

const NAME_CONFLICT_BY_SUBJECT: Partial<Record<Subject, number>> = {
  fs: TargetdCode.EXISTS_FS_NAME,
  snapshot: TargetdCode.EXISTS_FS_NAME,
  clone: TargetdCode.EXISTS_CLONE_NAME,
};

/**
 * The targetd error for a backend failure. Codes targetd has a number for keep it; everything else is -1 with
 * the lsm error's name in front of its message, as targetd writes `"<ExceptionClass>: <text>"` for its own
 * unexpected failures (`NOT_ENOUGH_SPACE: Insufficient space in pool`).
 */
export function fromLsmError(err: LsmError, subject: Subject): TargetdError {
  const code = ((): number | undefined => {
    switch (err.code) {
      case ErrorNumber.INVALID_ARGUMENT: return TargetdCode.INVALID_ARGUMENT;
      case ErrorNumber.NAME_CONFLICT: return NAME_CONFLICT_BY_SUBJECT[subject] ?? TargetdCode.NAME_CONFLICT;
      case ErrorNumber.EXISTS_INITIATOR: return TargetdCode.EXISTS_INITIATOR;
      case ErrorNumber.NOT_FOUND_VOLUME: return TargetdCode.NOT_FOUND_VOLUME;
      case ErrorNumber.NOT_FOUND_FS: return TargetdCode.NOT_FOUND_FS;
      case ErrorNumber.NOT_FOUND_POOL: return TargetdCode.INVALID_POOL;
      case ErrorNumber.NOT_FOUND_FS_SS: return TargetdCode.NOT_FOUND_SS;
      case ErrorNumber.NOT_FOUND_NFS_EXPORT: return TargetdCode.NOT_FOUND_NFS_EXPORT;
      case ErrorNumber.NOT_FOUND_ACCESS_GROUP:
      case ErrorNumber.EMPTY_ACCESS_GROUP: return TargetdCode.NOT_FOUND_ACCESS_GROUP;
      case ErrorNumber.IS_MASKED: return TargetdCode.VOLUME_MASKED;
      case ErrorNumber.NO_SUPPORT: return TargetdCode.NO_SUPPORT;
      default: return undefined;
    }
  })();
  if (code !== undefined) return new TargetdError(code, err.message);
  if (err.code === ErrorNumber.NOT_ENOUGH_SPACE) {
    // targetd passes LVM's "insufficient free space" on under -1; clients (openlsm's targetd plugin) read the
    // condition from such words, so they are spelled out.
    return new TargetdError(TargetdCode.GENERIC, `NOT_ENOUGH_SPACE: not enough space in the pool (${err.message})`);
  }
  if (err.code === ErrorNumber.TIMEOUT) {
    return new TargetdError(TargetdCode.GENERIC, `TIMEOUT: ${err.message} (a change may still complete on the backend; list before retrying)`);
  }
  return new TargetdError(TargetdCode.GENERIC, `${errorName(err.code)}: ${err.message}`);
}

/** `fn`'s LsmErrors as targetd errors of `subject`; TargetdErrors and bugs pass through unchanged. */
export async function asTargetd<T>(subject: Subject, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LsmError) throw fromLsmError(err, subject);
    throw err;
  }
}
