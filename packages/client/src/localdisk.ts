/**
 * lsm's local-disk API (`@openlsm/localdisk`, libstoragemgmt's `LocalDisk`) from the SDK: this machine's disks,
 * their VPD 0x83 ids and LEDs, read from sysfs. Every function is async, so each one here loads the local-disk
 * code on its first call: programs (and lsmcli) that never ask about local disks never load it.
 *
 * ```ts
 * import { listLocalDisks, vpd83Search } from '@openlsm/client';
 * await vpd83Search(volume.vpd83);   // where an array's volume appears on this host: ['/dev/sdc', '/dev/sdd']
 * ```
 */
import type * as LocalDisk from '@openlsm/localdisk';

export type { LedSlot, LocalDiskInfo, LocalDiskOptions } from '@openlsm/localdisk';

const load = () => import('@openlsm/localdisk');

export const listLocalDisks: typeof LocalDisk.listLocalDisks = async (...a) => (await load()).listLocalDisks(...a);
export const vpd83Search: typeof LocalDisk.vpd83Search = async (...a) => (await load()).vpd83Search(...a);
export const localDisksByVpd83: typeof LocalDisk.localDisksByVpd83 = async (...a) => (await load()).localDisksByVpd83(...a);
export const setLocalDiskLed: typeof LocalDisk.setLocalDiskLed = async (...a) => (await load()).setLocalDiskLed(...a);
export const listLedSlots: typeof LocalDisk.listLedSlots = async (...a) => (await load()).listLedSlots(...a);
export const setLedSlot: typeof LocalDisk.setLedSlot = async (...a) => (await load()).setLedSlot(...a);
