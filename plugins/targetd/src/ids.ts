/**
 * lsm ids from what targetd holds, exactly as libstoragemgmt's targetd plugin derives them, so that a script
 * sees the same ids whichever plugin it runs (and every process sees the same ids without any local state):
 *
 * * the system is `targetd`;
 * * a pool's id is its targetd name (`vg-targetd`, `vg/thin`, `tank/ds`, `/srv/fs`);
 * * a volume's id is its LVM/ZFS uuid, and its vpd83 is `6` + `001405` (the OpenFabrics OUI LIO uses) + the first
 *   25 hex digits of the lower-cased uuid, zero-padded to 32 digits;
 * * an access group is its targetd name; an initiator outside every group is shown as a group of its own with
 *   the id `init.<md5 of the initiator name>` and the name `N/A`;
 * * a file system and a snapshot are their uuids; an NFS export is the md5 of its path and its sorted options
 *   (without rw/ro/root_squash/no_root_squash).
 */
import { createHash } from 'node:crypto';

export const SYSTEM_ID = 'targetd';
export const STANDALONE_PREFIX = 'init.';

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export function uuidToVpd83(uuid: string): string {
  return `6001405${uuid.toLowerCase().replace(/[^a-f0-9]/g, '').slice(0, 25)}`.padEnd(32, '0');
}

export function standaloneGroupId(initiator: string): string {
  return `${STANDALONE_PREFIX}${md5(initiator)}`;
}

export function isStandaloneGroupId(id: string): boolean {
  return id.startsWith(STANDALONE_PREFIX);
}

/** The export options that vary per host (rw/ro, root squashing) are left out of an export's identity. */
const PER_HOST_OPTIONS = new Set(['ro', 'rw', 'no_root_squash', 'root_squash']);

export function sharedExportOptions(options: readonly string[]): string {
  return options.filter((o) => !PER_HOST_OPTIONS.has(o)).sort().join(',');
}

export function exportId(path: string, options: readonly string[]): string {
  return md5(path + sharedExportOptions(options));
}
