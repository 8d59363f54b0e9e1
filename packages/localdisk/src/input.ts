/**
 * Whitelists for the names that reach a sysfs or /dev path: disk names (`sda`, `nvme0n1`), disk paths given by
 * a user (`/dev/sda`) and LED slot ids (`<enclosure>/<slot>`). Nothing a user types is joined into a path before
 * it passes these checks, and slot ids are additionally matched against the kernel's own listing.
 */

import { ErrorNumber, LedStatus, LsmError, describeForMessage } from '@openlsm/core';
import path from 'node:path';

/** Block device names as the kernel makes them: letters, digits and `_.:+-`, never `.`/`..` (checked apart). */
const DISK_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,63}$/;
/** Longest input worth looking at; anything longer is rejected before any other work. */
const INPUT_LIMIT = 4096;

/** True when `name` is safe to join into `/sys/block/<name>` and `/dev/<name>`. */
export function isSafeDiskName(name: string): boolean {
  return DISK_NAME_RE.test(name) && !name.includes('..');
}

/**
 * The disk name of a user-supplied path `<devRoot>/<name>` (`/dev/sda` -> `sda`). Throws INVALID_ARGUMENT for
 * anything else (another directory, `..`, NUL, newlines, huge strings); a well-formed name that is not a disk
 * (`/dev/sda1`) passes here and is reported as not found by the caller.
 */
export function diskNameOfPath(diskPath: unknown, devRoot: string): string {
  if (typeof diskPath === 'string' && diskPath.length <= INPUT_LIMIT) {
    const prefix = `${devRoot.replace(/\/+$/, '')}/`;
    if (diskPath.startsWith(prefix)) {
      const name = diskPath.slice(prefix.length);
      if (isSafeDiskName(name)) return name;
    }
  }
  const shown = typeof diskPath === 'string' ? describeForMessage(diskPath) : `(${typeof diskPath})`;
  throw new LsmError(
    ErrorNumber.INVALID_ARGUMENT,
    `Invalid local disk path ${shown}: expected ${path.join(devRoot, '<disk>')}, e.g. ` +
      `${path.join(devRoot, 'sda')} or ${path.join(devRoot, 'nvme0n1')}`,
  );
}

/** One path component from the kernel or a user: non-empty, no `/`, no control characters, not `.`/`..`. */
function isSafeComponent(s: string): boolean {
  return s.length > 0 && s.length <= 255 && s !== '.' && s !== '..' && !/[\x00-\x1f\x7f/]/.test(s);
}

/** True when `name` (an enclosure or slot directory name listed by the kernel) can be used in a slot id. */
export function isSafeSlotComponent(name: string): boolean {
  return isSafeComponent(name);
}

/**
 * Checks the shape of a slot id `<enclosure>/<slot>` (e.g. `0:0:12:0/Slot 01`; SES element names may contain
 * spaces and commas) and returns it; throws INVALID_ARGUMENT otherwise. Existence is checked by the caller.
 */
export function validateSlotId(slotId: unknown): string {
  if (typeof slotId === 'string' && slotId.length <= 2 * 255 + 1) {
    const parts = slotId.split('/');
    if (parts.length === 2 && parts.every(isSafeComponent)) return slotId;
  }
  const shown = typeof slotId === 'string' ? describeForMessage(slotId) : `(${typeof slotId})`;
  throw new LsmError(
    ErrorNumber.INVALID_ARGUMENT,
    `Invalid LED slot id ${shown}: expected <enclosure>/<slot> as printed by local-led-slot-list`,
  );
}

/** The LED bits `setLedSlot` accepts. */
const SETTABLE_BITS = LedStatus.IDENT_ON | LedStatus.IDENT_OFF | LedStatus.FAULT_ON | LedStatus.FAULT_OFF;

/** What a slot state asks for: per LED, true (on), false (off) or undefined (leave alone). */
export interface LedRequest {
  ident?: boolean;
  fault?: boolean;
}

/** Decodes a requested slot state; throws INVALID_ARGUMENT for unknown bits, nothing, or ON and OFF together. */
export function parseLedRequest(state: unknown): LedRequest {
  const bad = (why: string): LsmError =>
    new LsmError(
      ErrorNumber.INVALID_ARGUMENT,
      `Invalid LED slot state ${typeof state === 'number' ? String(state) : `(${typeof state})`}: ${why}`,
    );
  if (typeof state !== 'number' || !Number.isSafeInteger(state) || state <= 0) {
    throw bad('expected a positive LED_STATUS bitmap of IDENT_ON, IDENT_OFF, FAULT_ON, FAULT_OFF');
  }
  // `state > SETTABLE_BITS` first: JS bit operators truncate to 32 bits, so 2 ** 40 would pass the mask test.
  if (state > SETTABLE_BITS || (state & ~SETTABLE_BITS) !== 0) {
    throw bad('only IDENT_ON (2), IDENT_OFF (4), FAULT_ON (16) and FAULT_OFF (32) can be set');
  }
  const request: LedRequest = {};
  const identOn = (state & LedStatus.IDENT_ON) !== 0;
  const identOff = (state & LedStatus.IDENT_OFF) !== 0;
  const faultOn = (state & LedStatus.FAULT_ON) !== 0;
  const faultOff = (state & LedStatus.FAULT_OFF) !== 0;
  if (identOn && identOff) throw bad('IDENT_ON and IDENT_OFF together');
  if (faultOn && faultOff) throw bad('FAULT_ON and FAULT_OFF together');
  if (identOn || identOff) request.ident = identOn;
  if (faultOn || faultOff) request.fault = faultOn;
  return request;
}

/** `sd`, `vd`, `xvd` and `hd` disks count with letters: `sda`..`sdz`, `sdaa`.. (bijective base 26). */
const LETTER_NUMBERED_RE = /^(sd|vd|xvd|hd)([a-z]+)$/;

function sortKey(name: string): Array<string | number> {
  const lettered = LETTER_NUMBERED_RE.exec(name);
  if (lettered !== null) {
    let index = 0;
    for (const c of lettered[2] ?? '') index = index * 26 + (c.charCodeAt(0) - 96);
    return [lettered[1] ?? '', index];
  }
  return (name.match(/\d+|\D+/g) ?? []).map((run) => (/^\d/.test(run) ? Number(run) : run));
}

/**
 * Orders device names as the kernel numbers them: `sdb` < `sdaa` (letter-numbered disks) and `nvme2n1` <
 * `nvme10n1` (digit runs compare as numbers); otherwise alphabetical.
 */
export function compareDeviceNames(a: string, b: string): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i += 1) {
    const x = ka[i] ?? '';
    const y = kb[i] ?? '';
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
    return String(x) < String(y) ? -1 : 1;
  }
  return ka.length - kb.length || (a < b ? -1 : a > b ? 1 : 0);
}
