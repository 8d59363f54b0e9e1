/**
 * Which entries of /sys/block are local disks, and where their sysfs directories are.
 *
 * /sys/block holds one symlink per whole block device (partitions live inside their disk's directory), each
 * pointing into the device tree: `sda -> ../devices/pci0000:00/.../0:0:0:0/block/sda`. The `device` link of
 * that directory is the parent device: the SCSI device (`0:0:0:0`), the NVMe controller (`nvme0`) or, with
 * native NVMe multipath, the NVMe subsystem (`nvme-subsys0`). Its `subsystem` link says which of these it is.
 */

import path from 'node:path';
import { compareDeviceNames, isSafeDiskName } from './input.js';
import { componentsBelow, exists, linkTargetName, listDir, readAttr, resolvePath } from './sysfs.js';

/** The parent device's kind, from its `subsystem` link (`bus/scsi`, `class/nvme`, `class/nvme-subsystem`). */
export type DiskKind = 'scsi' | 'nvme' | 'nvme-subsystem' | 'other';

export interface BlockDisk {
  /** Kernel name: `sda`, `nvme0n1`. */
  name: string;
  /** `<devRoot>/<name>`. */
  devPath: string;
  /** Canonical path of the sysfs root (`/sys`): device-tree names are only read below it. */
  sysDir: string;
  /** Canonical sysfs directory of the block device. */
  blockDir: string;
  /** Canonical sysfs directory of the parent device (SCSI device, NVMe controller or subsystem), or null. */
  deviceDir: string | null;
  kind: DiskKind;
}

export interface Roots {
  sysRoot: string;
  devRoot: string;
}

/**
 * Names that are never disks: loop, RAM, compressed-RAM, device-mapper, MD RAID, optical (sr), network block
 * devices and floppies. Most of these also live under /sys/devices/virtual/block, which is checked as well.
 */
const NOT_A_DISK_RE = /^(?:loop\d+|ram\d+|zram\d+|dm-\d+|md\d+|md_.*|sr\d+|nbd\d+|fd\d+|mmcblk\d+(?:boot\d+|rpmb))$/;

function kindOf(subsystem: string | null): DiskKind {
  if (subsystem === 'scsi' || subsystem === 'nvme' || subsystem === 'nvme-subsystem') return subsystem;
  return 'other';
}

/**
 * The disk `name` if it is a local disk with a device node, else null. Skipped: the names above, block devices
 * without a parent device (`/sys/devices/virtual/block/...`), hidden ones (`hidden` = 1: the per-path
 * `nvme0c0n1` devices behind an NVMe multipath head, which have no /dev node), partitions (`partition` file),
 * and any whose node is missing from devRoot (a path we cannot hand back usefully).
 */
export async function inspectBlockDisk(name: string, roots: Roots): Promise<BlockDisk | null> {
  if (!isSafeDiskName(name) || NOT_A_DISK_RE.test(name)) return null;
  const [sysDir, blockDir] = await Promise.all([
    resolvePath(roots.sysRoot),
    resolvePath(path.join(roots.sysRoot, 'block', name)),
  ]);
  if (sysDir === null || blockDir === null) return null;
  if (componentsBelow(sysDir, blockDir).join('/').startsWith('devices/virtual/block/')) return null;
  const [hidden, isPartition, devPresent, deviceDir] = await Promise.all([
    readAttr(path.join(blockDir, 'hidden')),
    exists(path.join(blockDir, 'partition')),
    exists(path.join(roots.devRoot, name)),
    resolvePath(path.join(blockDir, 'device')),
  ]);
  if (hidden === '1' || isPartition || !devPresent) return null;
  const kind = deviceDir === null ? 'other' : kindOf(await linkTargetName(path.join(deviceDir, 'subsystem')));
  return { name, devPath: path.join(roots.devRoot, name), sysDir, blockDir, deviceDir, kind };
}

/**
 * Every local disk, ordered by name: families alphabetically (`nvme0n1`, `sda`, `vda`), numbers within a family
 * as the kernel counts (`sdz` before `sdaa`, `nvme2n1` before `nvme10n1`).
 */
export async function listBlockDisks(roots: Roots): Promise<BlockDisk[]> {
  const names = (await listDir(path.join(roots.sysRoot, 'block'))).sort(compareDeviceNames);
  const disks = await Promise.all(names.map((name) => inspectBlockDisk(name, roots)));
  return disks.filter((d): d is BlockDisk => d !== null);
}

/**
 * NVMe controller directories behind a disk: its `device` when that is a controller; with native multipath the
 * subsystem's `nvmeN` links (one per path/controller). Empty for other disks.
 */
export async function nvmeControllers(disk: BlockDisk): Promise<string[]> {
  if (disk.deviceDir === null) return [];
  if (disk.kind === 'nvme') return [disk.deviceDir];
  if (disk.kind !== 'nvme-subsystem') return [];
  const names = (await listDir(disk.deviceDir)).filter((n) => /^nvme\d+$/.test(n)).sort(compareDeviceNames);
  const dirs = await Promise.all(names.map((n) => resolvePath(path.join(disk.deviceDir ?? '', n))));
  return dirs.filter((d): d is string => d !== null);
}
