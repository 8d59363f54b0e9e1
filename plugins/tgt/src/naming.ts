/**
 * How lsm's objects are named on tgtd and back: volume and access-group ids, the target of each access group,
 * and a volume's SCSI identity.
 *
 * Why one target per access group: tgtd keeps SCSI state such as persistent reservations in the LU object,
 * and an LU belongs to one target. The hosts of one access group are typically a cluster that fences through
 * reservations, so they must reach the same LU objects, which only one shared target gives them. The price:
 * tgtd binds CHAP accounts to targets, not to initiators, so within a group any member's secret is accepted
 * from any member's name, and the group has one outgoing (mutual CHAP) account (access-groups.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { validateImageName } from '@openlsm/backing-store';
import { describeForMessage, ErrorNumber, LsmError } from '@openlsm/core';
import { ISCSI_NAME_MAX_BYTES } from './tgtd/payload.js';

/** `<pool>/<image name>`: pool names have no `/`, image names neither, so the split is unambiguous. */
export function volumeId(pool: string, name: string): string {
  return `${pool}/${name}`;
}

/** The volume name of a configured device: its file name (`/dev/disk/by-id/wwn-0x5...` is `wwn-0x5...`). */
export function deviceVolumeName(devicePath: string): string {
  return validateImageName(path.basename(devicePath));
}

export function splitVolumeId(id: string): { pool: string; name: string } {
  const slash = typeof id === 'string' ? id.indexOf('/') : -1;
  if (slash <= 0 || slash === id.length - 1) {
    throw new LsmError(ErrorNumber.NOT_FOUND_VOLUME, `Volume ${describeForMessage(String(id))} not found (tgt volume ids look like <pool>/<name>)`);
  }
  return { pool: id.slice(0, slash), name: id.slice(slash + 1) };
}

export function accessGroupId(n: number): string {
  return `ag-${n}`;
}

const NAME_PART_MAX = 64;

/**
 * The target of access group `number` named `name`: `<prefix>:ag<number>.<name>`, lower case (initiators
 * lower-case target names) with characters tgtd refuses (`_`) turned into `-`. The number keeps names apart
 * that differ only in case or in those characters.
 */
export function targetNameFor(prefix: string, group: { number: number; name: string }): string {
  const readable = group.name.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, NAME_PART_MAX);
  const name = `${prefix}:ag${group.number}.${readable}`;
  if (name.length > ISCSI_NAME_MAX_BYTES) throw new LsmError(ErrorNumber.PLUGIN_BUG, `Target name ${name} is too long`);
  return name;
}

/** True when a tgtd target belongs to this plugin (and may be changed or removed by it): `<prefix>:ag<n>.…`. */
export function isOwnTarget(prefix: string, targetName: string): boolean {
  return targetName.startsWith(`${prefix}:ag`) && /^[0-9]+\./.test(targetName.slice(prefix.length + 3));
}

/** A fresh SCSI id for a new volume: 24 random hex digits. */
export function newScsiId(): string {
  return randomBytes(12).toString('hex');
}

/**
 * The SCSI id of a volume the state does not know (an image put into a pool directory by hand): derived from
 * its id, so that it is at least stable.
 */
export function derivedScsiId(volumeIdText: string): string {
  return createHash('sha256').update(`openlsm-tgt:${volumeIdText}`).digest('hex').slice(0, 24);
}

/**
 * The NAA-6 identifier initiators read from VPD page 0x83 for an LU whose SCSI id is `scsiId`: tgtd turns the id's
 * 24 hex digits into the low 96 bits of a 128-bit designator and sets its top nibble to 6 (usr/spc.c).
 */
export function vpd83For(scsiId: string): string {
  return `60000000${scsiId}`;
}
