/**
 * The "Disk Paths" column of volumes and disks: the local block devices (`/dev/sdX`) that carry the same SCSI
 * VPD 0x83 id, i.e. where an array's volume appears on this machine. Read from sysfs once per command.
 */
// Only the VPD 0x83 index: this runs for every listing, the rest of the local-disk API only for local-* commands.
import { localDisksByVpd83 } from '@openlsm/localdisk/vpd83';

/** Local device paths by lower-case VPD 0x83 id; empty when sysfs cannot be read. */
export async function diskPathsByVpd83(roots = { sysRoot: '/sys', devRoot: '/dev' }): Promise<Map<string, string[]>> {
  try {
    return await localDisksByVpd83(roots);
  } catch {
    // No sysfs (a container, another OS): no local paths to show.
    return new Map();
  }
}
