/**
 * Disk LEDs through SCSI Enclosure Services, as the kernel's `ses` driver exposes them in the `enclosure`
 * class: `/sys/class/enclosure/<enclosure>` (named after the SES device, e.g. `0:0:12:0`) holds one directory
 * per device slot (named from the SES element descriptor, e.g. `Slot 01`, else its index) with the attributes
 * `locate` (ident LED) and `fault`, each reading and accepting `0`/`1`, `type`, `status`, and a `device`
 * symlink to the SCSI device seated in the slot. Reading `locate`/`fault` makes the driver fetch the SES status
 * page; writing one makes it send an SES control page to the enclosure.
 */

import { ErrorNumber, LedStatus, LsmError } from '@openlsm/core';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { compareDeviceNames, isSafeDiskName, isSafeSlotComponent } from './input.js';
import { exists, isRealDirectory, listDir, readAttr, resolvePath } from './sysfs.js';

export interface EnclosureSlot {
  /** `<enclosure>/<slot>`. */
  id: string;
  /** The slot's sysfs directory. */
  dir: string;
  /** Canonical directory of the SCSI device in the slot, or null for an empty slot. */
  deviceDir: string | null;
}

export type LedAttribute = 'locate' | 'fault';

/** Slot directories of one enclosure: real subdirectories carrying `type` and an LED attribute. */
async function slotsOf(enclosure: string, dir: string): Promise<EnclosureSlot[]> {
  const names = (await listDir(dir)).filter(isSafeSlotComponent).sort(compareDeviceNames);
  const slots = await Promise.all(
    names.map(async (name): Promise<EnclosureSlot | null> => {
      const slotDir = path.join(dir, name);
      const [isDir, hasType, hasLocate, hasFault, deviceDir] = await Promise.all([
        isRealDirectory(slotDir),
        exists(path.join(slotDir, 'type')),
        exists(path.join(slotDir, 'locate')),
        exists(path.join(slotDir, 'fault')),
        resolvePath(path.join(slotDir, 'device')),
      ]);
      if (!isDir || !hasType || !(hasLocate || hasFault)) return null;
      return { id: `${enclosure}/${name}`, dir: slotDir, deviceDir };
    }),
  );
  return slots.filter((s): s is EnclosureSlot => s !== null);
}

/** Every slot of every enclosure, ordered by enclosure then slot; empty when there is no enclosure class. */
export async function listEnclosureSlots(sysRoot: string): Promise<EnclosureSlot[]> {
  const classDir = path.join(sysRoot, 'class', 'enclosure');
  const enclosures = (await listDir(classDir)).filter(isSafeSlotComponent).sort(compareDeviceNames);
  const perEnclosure = await Promise.all(
    enclosures.map(async (name) => {
      const dir = await resolvePath(path.join(classDir, name));
      return dir === null ? [] : slotsOf(name, dir);
    }),
  );
  return perEnclosure.flat();
}

/** The `/dev` node of the block device under a slot's SCSI device (`0:0:0:0/block/sda`), or `''`. */
export async function slotDevicePath(slot: EnclosureSlot, devRoot: string): Promise<string> {
  if (slot.deviceDir === null) return '';
  const block = (await listDir(path.join(slot.deviceDir, 'block'))).filter(isSafeDiskName).sort(compareDeviceNames);
  return block[0] === undefined ? '' : path.join(devRoot, block[0]);
}

/** LED_STATUS bitmap of a slot: ON/OFF per LED, or that LED's UNKNOWN bit when its attribute is unreadable. */
export async function readSlotLeds(slot: EnclosureSlot): Promise<number> {
  const [locate, fault] = await Promise.all([
    readAttr(path.join(slot.dir, 'locate')),
    readAttr(path.join(slot.dir, 'fault')),
  ]);
  const ident = locate === '1' ? LedStatus.IDENT_ON : locate === '0' ? LedStatus.IDENT_OFF : LedStatus.IDENT_UNKNOWN;
  const flt = fault === '1' ? LedStatus.FAULT_ON : fault === '0' ? LedStatus.FAULT_OFF : LedStatus.FAULT_UNKNOWN;
  return ident | flt;
}

/** Maps a failed LED write to an LsmError a person can act on. */
export function ledWriteError(err: unknown, slotId: string, attribute: LedAttribute): LsmError {
  const code = (err as NodeJS.ErrnoException | null)?.code ?? 'unknown error';
  const led = attribute === 'locate' ? 'ident' : 'fault';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new LsmError(
      ErrorNumber.PERMISSION_DENIED,
      `Permission denied setting the ${led} LED of slot ${slotId}: LED control writes to sysfs and needs root`,
      code,
    );
  }
  if (code === 'ENOENT') {
    return new LsmError(ErrorNumber.NO_SUPPORT, `Slot ${slotId} has no ${led} LED control (no '${attribute}')`);
  }
  return new LsmError(
    ErrorNumber.LIB_BUG,
    `Failed to set the ${led} LED of slot ${slotId}: the enclosure driver rejected the write (${code})`,
    code,
  );
}

/**
 * Writes `1`/`0` to the slot's `locate` or `fault`. The file is opened without O_CREAT, so a slot lacking the
 * attribute is reported instead of a stray file being created.
 */
export async function writeSlotLed(slot: EnclosureSlot, attribute: LedAttribute, on: boolean): Promise<void> {
  try {
    const handle = await open(path.join(slot.dir, attribute), 'r+');
    try {
      await handle.write(on ? '1' : '0', 0);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw ledWriteError(err, slot.id, attribute);
  }
}
