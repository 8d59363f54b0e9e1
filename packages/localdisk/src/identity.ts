/**
 * A disk's identity and medium: vpd83 (NAA id), serial number and rotation speed, all from attributes the
 * kernel caches at probe time, so reading them never sends a command to the disk.
 */

import { DiskRpm, isValidVpd83 } from '@openlsm/core';
import path from 'node:path';
import type { BlockDisk } from './discovery.js';
import { readAttr, readBinaryAttr } from './sysfs.js';
import { naaFromVpd83, rotationRateFromVpdB1, serialFromVpd80 } from './vpd.js';

/**
 * SCSI disks: the logical unit's NAA designator of `device/vpd_pg83` (the page as the disk returned it).
 * Kernels or drivers without that file: `device/wwid`, the kernel's own pick of the best designator
 * (`naa.5000c500a1b2c3d4`), used only when it is an NAA id. NVMe namespaces have EUI-64/NGUID/UUID ids, not
 * NAA, so they have no vpd83 in lsm's sense: `''`.
 */
export async function readVpd83(disk: BlockDisk): Promise<string> {
  if (disk.kind !== 'scsi' || disk.deviceDir === null) return '';
  const page = await readBinaryAttr(path.join(disk.deviceDir, 'vpd_pg83'));
  const fromPage = page === null ? '' : naaFromVpd83(page);
  if (fromPage !== '') return fromPage;
  const wwid = (await readAttr(path.join(disk.deviceDir, 'wwid'))) ?? '';
  const naa = wwid.toLowerCase().startsWith('naa.') ? wwid.slice(4).toLowerCase() : '';
  return isValidVpd83(naa) ? naa : '';
}

/**
 * NVMe: the controller's (or multipath subsystem's) `serial` attribute, from Identify Controller. SCSI and
 * ATA-behind-SCSI: VPD page 0x80 (`device/vpd_pg80`). virtio-blk: the disk's own `serial` attribute
 * (`/sys/block/vda/serial`, the id the hypervisor was given).
 */
export async function readSerial(disk: BlockDisk): Promise<string> {
  if (disk.deviceDir === null) return '';
  if (disk.kind === 'nvme' || disk.kind === 'nvme-subsystem') {
    return printable((await readAttr(path.join(disk.deviceDir, 'serial'))) ?? '');
  }
  if (disk.kind === 'scsi') {
    const page = await readBinaryAttr(path.join(disk.deviceDir, 'vpd_pg80'));
    return page === null ? '' : serialFromVpd80(page);
  }
  return printable((await readAttr(path.join(disk.blockDir, 'serial'))) ?? '');
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '').trim();
}

/**
 * `queue/rotational` = 0 means the kernel knows the medium does not rotate (NVMe, or a SCSI disk whose VPD 0xB1
 * said so): NON_ROTATING_MEDIUM. A 1 there is only the kernel's default for devices that say nothing
 * (virtio, most USB bridges), so the speed comes from VPD 0xB1 of SCSI/ATA disks when the kernel cached it
 * (`vpd_pgb1`); otherwise UNKNOWN.
 */
export async function readRpm(disk: BlockDisk): Promise<number> {
  const rotational = await readAttr(path.join(disk.blockDir, 'queue', 'rotational'));
  if (rotational === '0') return DiskRpm.NON_ROTATING_MEDIUM;
  if (rotational !== '1' || disk.kind !== 'scsi' || disk.deviceDir === null) return DiskRpm.UNKNOWN;
  const page = await readBinaryAttr(path.join(disk.deviceDir, 'vpd_pgb1'));
  const rate = page === null ? null : rotationRateFromVpdB1(page);
  if (rate === 0) return DiskRpm.ROTATING_UNKNOWN_SPEED;
  if (rate === 1) return DiskRpm.NON_ROTATING_MEDIUM;
  if (rate !== null && rate >= 0x401 && rate <= 0xfffe) return rate;
  return DiskRpm.UNKNOWN;
}
