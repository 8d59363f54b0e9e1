/**
 * lsm's local-disk API (libstoragemgmt's `LocalDisk`), for programs (virtualization managers find the local
 * paths of an array's volumes with it), lsmcli's `local-disk-*` and `local-led-slot-*` commands and its "Disk
 * Paths" column: facts about the disks of this machine read straight from the kernel's sysfs, with no daemon, no
 * plugin and no external program. `@openlsm/client` re-exports it.
 *
 * ```ts
 * import { listLocalDisks, setLocalDiskLed } from '@openlsm/localdisk';   // or from '@openlsm/client'
 * for (const d of await listLocalDisks()) console.log(d.path, d.vpd83, d.link_type);
 * await setLocalDiskLed('/dev/sda', 'ident', true); // needs root and an SES enclosure
 * ```
 *
 * Every function takes `{ sysRoot, devRoot }` (default `/sys`, `/dev`) so tests can point it at a copy of the
 * kernel's layout.
 */

import { ErrorNumber, LedStatus, LsmError, describeForMessage } from '@openlsm/core';
import { inspectBlockDisk, listBlockDisks, type BlockDisk, type Roots } from './discovery.js';
import {
  listEnclosureSlots,
  readSlotLeds,
  slotDevicePath,
  writeSlotLed,
  type EnclosureSlot,
  type LedAttribute,
} from './enclosure.js';
import { readHealth } from './health.js';
import { readRpm, readSerial, readVpd83 } from './identity.js';
import { type LocalDiskOptions, rootsOf } from './vpd83-index.js';
import { diskNameOfPath, parseLedRequest, validateSlotId } from './input.js';
import { readLinkSpeed, readLinkType } from './transport.js';

export { localDisksByVpd83, type LocalDiskOptions, vpd83Search } from './vpd83-index.js';


export interface LocalDiskInfo {
  /** `/dev/sda`, `/dev/nvme0n1`. */
  path: string;
  /** The logical unit's NAA id (lower-case hex) from VPD page 0x83 or the kernel's `wwid`; `''` when none. */
  vpd83: string;
  /** Unit serial number (VPD 0x80, NVMe Identify Controller, virtio id); `''` when none. */
  serial: string;
  /** Use `serial`. */
  serial_number?: never;
  /** `DiskRpm`: NON_ROTATING_MEDIUM, ROTATING_UNKNOWN_SPEED, UNKNOWN or the rpm. */
  rpm: number;
  /** `DiskLinkType`. */
  link_type: number;
  /** `LedStatus` bitmap; UNKNOWN when no enclosure slot holds the disk. */
  led_status: number;
  /** Mbps; LINK_SPEED_UNKNOWN (0) when the kernel does not expose it. */
  link_speed_mbps: number;
  /** `HealthStatus`; never GOOD (see health.ts). */
  health: number;
}

export interface LedSlot {
  /** `<enclosure>/<slot>`, e.g. `0:0:12:0/Slot 01`. */
  id: string;
  /** `LedStatus` bitmap. */
  state: number;
  /** The disk in the slot (`/dev/sda`) or `''`. */
  device: string;
}


async function describeDisk(disk: BlockDisk, slots: readonly EnclosureSlot[]): Promise<LocalDiskInfo> {
  const slot = slots.find((s) => s.deviceDir !== null && s.deviceDir === disk.deviceDir);
  const [vpd83, serial, rpm, linkType, health, ledStatus] = await Promise.all([
    readVpd83(disk),
    readSerial(disk),
    readRpm(disk),
    readLinkType(disk),
    readHealth(disk),
    slot === undefined ? LedStatus.UNKNOWN : readSlotLeds(slot),
  ]);
  return {
    path: disk.devPath,
    vpd83,
    serial,
    rpm,
    link_type: linkType,
    led_status: ledStatus,
    link_speed_mbps: await readLinkSpeed(disk, linkType),
    health,
  };
}

/**
 * Every local disk (SCSI, SATA, SAS, NVMe, virtio, USB...; not loop, RAM, device-mapper, MD, optical or
 * partitions), ordered by name (`nvme0n1`, `sda`, `sdb`, ..., `sdz`, `sdaa`, `vda`). Facts the kernel does
 * not expose come back as lsm's "unknown" values; this never fails because one attribute is missing. Empty
 * when there is no /sys/block.
 *
 * ```ts
 * const disks = await listLocalDisks(); // [{ path: '/dev/sda', vpd83: '5000c500a1b2c3d4', ... }]
 * ```
 */
export async function listLocalDisks(options?: LocalDiskOptions): Promise<LocalDiskInfo[]> {
  const roots = rootsOf(options);
  const [disks, slots] = await Promise.all([listBlockDisks(roots), listEnclosureSlots(roots.sysRoot)]);
  return Promise.all(disks.map((d) => describeDisk(d, slots)));
}


/** The disk at a user-supplied path; INVALID_ARGUMENT for a malformed path, NOT_FOUND_DISK for no such disk. */
async function lookupDisk(diskPath: string, roots: Roots): Promise<BlockDisk> {
  const name = diskNameOfPath(diskPath, roots.devRoot);
  const disk = await inspectBlockDisk(name, roots);
  if (disk === null) {
    throw new LsmError(
      ErrorNumber.NOT_FOUND_DISK,
      `Local disk ${diskPath} not found: ${roots.sysRoot}/block has no such disk (partitions, loop, zram, ` +
        `dm, md and optical devices are not local disks; see local-disk-list)`,
    );
  }
  return disk;
}

/**
 * Turns the ident (locate) or fault LED of a disk's enclosure slot on or off. NOT_FOUND_DISK / INVALID_ARGUMENT
 * for a bad path, NO_SUPPORT when no SES enclosure holds the disk, PERMISSION_DENIED without root.
 *
 * ```ts
 * await setLocalDiskLed('/dev/sda', 'fault', true);
 * ```
 */
export async function setLocalDiskLed(
  path: string,
  led: 'ident' | 'fault',
  on: boolean,
  options?: LocalDiskOptions,
): Promise<void> {
  if (led !== 'ident' && led !== 'fault') {
    const shown = typeof led === 'string' ? describeForMessage(led) : `(${typeof led})`;
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid LED ${shown}: expected 'ident' or 'fault'`);
  }
  if (typeof on !== 'boolean') {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid LED state (${typeof on}): expected true or false`);
  }
  const roots = rootsOf(options);
  const disk = await lookupDisk(path, roots);
  const slots = await listEnclosureSlots(roots.sysRoot);
  const slot = slots.find((s) => s.deviceDir !== null && s.deviceDir === disk.deviceDir);
  if (slot === undefined) {
    throw new LsmError(
      ErrorNumber.NO_SUPPORT,
      `No enclosure found for ${disk.devPath}: LED control needs a SCSI enclosure (SES) exposed in ` +
        `/sys/class/enclosure`,
    );
  }
  await writeSlotLed(slot, led === 'ident' ? 'locate' : 'fault', on);
}

/**
 * Every SES enclosure slot with its LED state and the disk seated in it; empty without enclosures.
 *
 * ```ts
 * await listLedSlots();
 * // [{ id: '0:0:12:0/Slot 01', state: LedStatus.IDENT_OFF | LedStatus.FAULT_OFF, device: '/dev/sda' }]
 * ```
 */
export async function listLedSlots(options?: LocalDiskOptions): Promise<LedSlot[]> {
  const roots = rootsOf(options);
  const slots = await listEnclosureSlots(roots.sysRoot);
  return Promise.all(
    slots.map(async (s) => ({
      id: s.id,
      state: await readSlotLeds(s),
      device: await slotDevicePath(s, roots.devRoot),
    })),
  );
}

/**
 * Sets a slot's LEDs: `state` combines IDENT_ON or IDENT_OFF with FAULT_ON or FAULT_OFF (either or both).
 * When the second LED cannot be set, the first is put back as it was, so a failed call changes nothing.
 *
 * ```ts
 * await setLedSlot('0:0:12:0/Slot 01', LedStatus.IDENT_ON | LedStatus.FAULT_OFF);
 * ```
 */
export async function setLedSlot(slotId: string, state: number, options?: LocalDiskOptions): Promise<void> {
  const id = validateSlotId(slotId);
  const request = parseLedRequest(state);
  const slot = (await listEnclosureSlots(rootsOf(options).sysRoot)).find((s) => s.id === id);
  if (slot === undefined) {
    throw new LsmError(
      ErrorNumber.NOT_FOUND_GENERIC,
      `LED slot ${describeForMessage(id)} not found (see local-led-slot-list)`,
    );
  }
  // Each write remembers the LED's previous state (null when unreadable) so a later failure can undo it.
  const before = await readSlotLeds(slot);
  const known = (onBit: number, offBit: number): boolean | null =>
    (before & onBit) !== 0 ? true : (before & offBit) !== 0 ? false : null;
  const writes: Array<[LedAttribute, boolean, boolean | null]> = [];
  if (request.ident !== undefined) {
    writes.push(['locate', request.ident, known(LedStatus.IDENT_ON, LedStatus.IDENT_OFF)]);
  }
  if (request.fault !== undefined) {
    writes.push(['fault', request.fault, known(LedStatus.FAULT_ON, LedStatus.FAULT_OFF)]);
  }
  const done: Array<[LedAttribute, boolean | null]> = [];
  try {
    for (const [attribute, on, previous] of writes) {
      await writeSlotLed(slot, attribute, on);
      done.push([attribute, previous]);
    }
  } catch (err) {
    for (const [attribute, previous] of done.reverse()) {
      if (previous !== null) await writeSlotLed(slot, attribute, previous).catch(() => undefined);
    }
    throw err;
  }
}
