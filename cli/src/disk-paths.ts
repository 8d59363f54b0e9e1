/**
 * The "Disk Paths" column of volumes and disks: the local block devices (`/dev/sdX`) that carry the same SCSI
 * VPD 0x83 id, i.e. where an array's volume appears on this machine. Read from sysfs once per command.
 */
import { listBlockDisks } from './localdisk/discovery.js';
import { readVpd83 } from './localdisk/identity.js';

/** Local device paths by lower-case VPD 0x83 id; empty when sysfs cannot be read. */
export async function diskPathsByVpd83(roots = { sysRoot: '/sys', devRoot: '/dev' }): Promise<Map<string, string[]>> {
  const byId = new Map<string, string[]>();
  try {
    const disks = await listBlockDisks(roots);
    const ids = await Promise.all(disks.map((d) => readVpd83(d).catch(() => '')));
    disks.forEach((d, i) => {
      const id = ids[i]?.toLowerCase();
      if (!id) return;
      const paths = byId.get(id) ?? [];
      paths.push(d.devPath);
      byId.set(id, paths);
    });
  } catch {
    // No sysfs (a container, another OS): no local paths to show.
  }
  return byId;
}
