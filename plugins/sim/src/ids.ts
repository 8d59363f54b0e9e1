/**
 * lsm's simulator id forms: a table's integer key rendered as `<PREFIX>_ID_%05d` (`VOL_ID_00001`), and the
 * reverse mapping. Ids are the only thing the simulator trusts in an object a client sends: every other field is
 * looked up again by id, and an id that does not resolve raises the type's NOT_FOUND_* error.
 *
 * Unlike lsm (which takes the last five characters as the row id), the whole number after the prefix is parsed,
 * so ids past 99,999 (`VOL_ID_100000`) resolve, and `XVOL_ID_00001` or `VOL_ID_00001x` resolve to nothing.
 */
import { ErrorNumber, LsmError, describeForMessage } from '@openlsm/core';

export const SYSTEM_ID = 'sim-01';

interface IdKind {
  readonly prefix: string;
  readonly notFound: number;
  readonly noun: string;
}

function kind(prefix: string, notFound: number, noun: string): IdKind {
  return { prefix, notFound, noun };
}

export const Ids = {
  pool: kind('POOL_ID_', ErrorNumber.NOT_FOUND_POOL, 'Pool'),
  volume: kind('VOL_ID_', ErrorNumber.NOT_FOUND_VOLUME, 'Volume'),
  disk: kind('DISK_ID_', ErrorNumber.NOT_FOUND_DISK, 'Disk'),
  accessGroup: kind('AG_ID_', ErrorNumber.NOT_FOUND_ACCESS_GROUP, 'Access group'),
  fs: kind('FS_ID_', ErrorNumber.NOT_FOUND_FS, 'File system'),
  snapshot: kind('FS_SNAP_ID_', ErrorNumber.NOT_FOUND_FS_SS, 'Snapshot'),
  export: kind('EXP_ID_', ErrorNumber.NOT_FOUND_NFS_EXPORT, 'Export'),
  targetPort: kind('TGT_PORT_ID_', ErrorNumber.NOT_FOUND_GENERIC, 'Target port'),
  battery: kind('BAT_ID_', ErrorNumber.NOT_FOUND_GENERIC, 'Battery'),
  job: kind('JOB_ID_', ErrorNumber.NOT_FOUND_JOB, 'Job'),
} as const;

export type IdKindName = keyof typeof Ids;

/** `formatId(Ids.volume, 1)` is `VOL_ID_00001`. */
export function formatId(k: IdKind, rowid: number | bigint): string {
  return k.prefix + String(rowid).padStart(5, '0');
}

/** The SQL expression rendering column `column` as an id of kind `k` (computed by SQLite, not per row in JS). */
export function sqlId(k: IdKind, column: string): string {
  return `printf('${k.prefix}%05d', ${column})`;
}

// At most 15 digits: every such number is a safe integer and fits SQLite's 64-bit rowid.
const DIGITS = /^[0-9]{1,15}$/;

/** The row id an id of kind `k` names, or null when `id` is not of that form (which resolves to nothing). */
export function parseId(k: IdKind, id: string): number | null {
  if (typeof id !== 'string' || id.length > k.prefix.length + 15 || !id.startsWith(k.prefix)) return null;
  const digits = id.slice(k.prefix.length);
  if (!DIGITS.test(digits)) return null;
  const n = Number(digits);
  return n > 0 ? n : null;
}

/** The NOT_FOUND_* error of kind `k` for `id`: `Volume not found: "VOL_ID_00009"`. */
export function notFound(k: IdKind, id: string): LsmError {
  return new LsmError(k.notFound, `${k.noun} not found: ${describeForMessage(id)}`);
}

/** The row id of `id`, or the kind's NOT_FOUND_* error when it has the wrong form. */
export function requireId(k: IdKind, id: string): number {
  const n = parseId(k, id);
  if (n === null) throw notFound(k, id);
  return n;
}

/** Checks the system id of a System param; the simulator has exactly one system. */
export function requireSystem(id: string): void {
  if (id !== SYSTEM_ID) throw new LsmError(ErrorNumber.NOT_FOUND_SYSTEM, `System not found: ${describeForMessage(id)}`);
}
