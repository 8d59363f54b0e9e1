/**
 * lsm's error numbers and the one error class every layer of openlsm throws.
 *
 * The numbers are libstoragemgmt's (`ErrorNumber` in Python, `LSM_ERR_*` in C), so a code means the same thing
 * to an openlsm client, a libstoragemgmt client talking to openlsmd, and a script checking lsmcli's output.
 */

export const ErrorNumber = {
  OK: 0,
  LIB_BUG: 1,
  PLUGIN_BUG: 2,
  JOB_STARTED: 7,
  TIMEOUT: 11,
  DAEMON_NOT_RUNNING: 12,
  PERMISSION_DENIED: 13,
  NAME_CONFLICT: 50,
  EXISTS_INITIATOR: 52,
  INVALID_ARGUMENT: 101,
  NO_STATE_CHANGE: 125,
  NETWORK_CONNREFUSED: 140,
  NETWORK_HOSTDOWN: 141,
  NETWORK_ERROR: 142,
  NO_MEMORY: 152,
  NO_SUPPORT: 153,
  IS_MASKED: 160,
  HAS_CHILD_DEPENDENCY: 161,
  NOT_FOUND_ACCESS_GROUP: 200,
  NOT_FOUND_FS: 201,
  NOT_FOUND_JOB: 202,
  NOT_FOUND_POOL: 203,
  NOT_FOUND_FS_SS: 204,
  NOT_FOUND_VOLUME: 205,
  NOT_FOUND_NFS_EXPORT: 206,
  NOT_FOUND_GENERIC: 207,
  NOT_FOUND_SYSTEM: 208,
  NOT_FOUND_DISK: 209,
  NOT_LICENSED: 226,
  NO_SUPPORT_ONLINE_CHANGE: 250,
  NO_SUPPORT_OFFLINE_CHANGE: 251,
  PLUGIN_AUTH_FAILED: 300,
  PLUGIN_IPC_FAIL: 301,
  PLUGIN_SOCKET_PERMISSION: 307,
  PLUGIN_NOT_EXIST: 311,
  NOT_ENOUGH_SPACE: 350,
  TRANSPORT_COMMUNICATION: 400,
  TRANSPORT_SERIALIZATION: 401,
  TRANSPORT_INVALID_ARG: 402,
  LAST_INIT_IN_ACCESS_GROUP: 502,
  UNSUPPORTED_SEARCH_KEY: 510,
  EMPTY_ACCESS_GROUP: 511,
  POOL_NOT_READY: 512,
  DISK_NOT_FREE: 513,
} as const;

export type ErrorName = keyof typeof ErrorNumber;
export type ErrorCode = (typeof ErrorNumber)[ErrorName];

const namesByCode = new Map<number, ErrorName>(
  Object.entries(ErrorNumber).map(([name, code]) => [code, name as ErrorName]),
);

/** `errorName(205)` is `'NOT_FOUND_VOLUME'`; an unknown number gives `'UNKNOWN_ERROR_NUMBER'` as lsm prints it. */
export function errorName(code: number): string {
  return namesByCode.get(code) ?? 'UNKNOWN_ERROR_NUMBER';
}

// A global symbol, so that `instanceof LsmError` holds even when two copies of @openlsm/core are loaded
// (a plugin and a client bundled separately): the brand is checked instead of the prototype chain.
const brand = Symbol.for('openlsm.LsmError');

/**
 * The error of every failed lsm operation, local or remote. `code` is lsm's number; callers test it,
 * never the message:
 *
 * ```ts
 * try { await client.volumeDelete({ volume }); }
 * catch (err) { if (err instanceof LsmError && err.code === ErrorNumber.IS_MASKED) ... }
 * ```
 */
export class LsmError extends Error {
  readonly code: number;
  /** Extra detail from the peer (a traceback, an OS error); never a secret. */
  readonly data: string | null;

  constructor(code: number, message: string, data: string | null = null, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LsmError';
    this.code = code;
    this.data = data;
    Object.defineProperty(this, brand, { value: true });
  }

  /** lsm's symbolic name of `code`, e.g. `NOT_FOUND_VOLUME`. */
  get codeName(): string {
    return errorName(this.code);
  }

  /** The form lsmcli prints on stderr: `NAME(code): message` (plus ` Data: data` when there is data). */
  override toString(): string {
    const head = `${errorName(this.code)}(${this.code})`;
    return this.data ? `${head}: ${this.message} Data: ${this.data}` : `${head}: ${this.message}`;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}
