/**
 * How lsm's objects are named on tgtd and back: volume and access-group ids, the target of each (access group,
 * initiator) pair, and a volume's SCSI identity.
 *
 * Why one target per initiator of an access group: tgtd binds CHAP accounts to targets, not to initiators, so
 * with one target per group every initiator could log in with any other member's credentials. A target of its
 * own gives each initiator exactly lsm's semantics (`iscsi_chap_auth` is per initiator), and since tgtd filters
 * discovery by ACL, each host discovers exactly its own target, holding the group's volumes at the group's LUNs.
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
 * The target of the `tag`-th initiator of access group `number` named `name`: `<prefix>:ag<number>.<name>.i<tag>`,
 * lower case (initiators lower-case target names) with characters tgtd refuses (`_`) turned into `-`.
 */
export function targetNameFor(prefix: string, group: { number: number; name: string }, tag: number): string {
  const readable = group.name.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, NAME_PART_MAX);
  const name = `${prefix}:ag${group.number}.${readable}.i${tag}`;
  if (name.length > ISCSI_NAME_MAX_BYTES) throw new LsmError(ErrorNumber.PLUGIN_BUG, `Target name ${name} is too long`);
  return name;
}

/** True when a tgtd target belongs to this plugin (and may be changed or removed by it). */
export function isOwnTarget(prefix: string, targetName: string): boolean {
  return targetName.startsWith(`${prefix}:ag`);
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
