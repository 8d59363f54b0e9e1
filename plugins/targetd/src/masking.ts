/**
 * Masking a volume to an access group, and the two "who sees what" queries.
 *
 * A real group is masked with `access_group_map_create` and always an explicit host LUN id: the lowest id that
 * none of the group's initiators sees yet (left to itself targetd picks a colliding one, targetd.md §10 bug 1).
 * An initiator's own group is masked with `export_create` at the lowest LUN id that initiator does not use.
 */
import { type AccessGroup, ErrorNumber, LsmError, type Volume } from '@openlsm/core';
import { isStandaloneGroupId, standaloneGroupId } from './ids.js';
import { allAccessGroups, allMasks, findAccessGroup, findVolume, isMasked, type Mask, volumesOfPool } from './inventory.js';
import type { CallOptions } from './rpc.js';
import type { Session } from './session.js';

/** LIO's mapped LUN numbers with rtslib-fb 2.1.75. */
const MAX_LUN = 255;

function freeLun(masks: readonly Mask[], groupIds: ReadonlySet<string>, groupName: string): number {
  const used = new Set(masks.filter((m) => groupIds.has(m.groupId)).map((m) => m.lun));
  for (let lun = 0; lun <= MAX_LUN; lun++) if (!used.has(lun)) return lun;
  throw new LsmError(ErrorNumber.PLUGIN_BUG, `System limit: access group ${groupName} already sees ${MAX_LUN + 1} LUNs, all that LIO allows`);
}

/** The group ids under which targetd lists what a group's initiators see. */
function seenAs(group: AccessGroup): Set<string> {
  return new Set([group.id, ...group.init_ids.map(standaloneGroupId)]);
}

async function resolve(s: Session, group: AccessGroup, volume: Volume, c: CallOptions): Promise<[AccessGroup, Volume, Mask[]]> {
  return Promise.all([findAccessGroup(s, group.id, c), findVolume(s.api, volume, c), allMasks(s, c)]);
}

export async function maskVolume(s: Session, group: AccessGroup, volume: Volume, c: CallOptions): Promise<void> {
  const [g, v, masks] = await resolve(s, group, volume, c);
  if (isMasked(masks, g.id, v)) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'The volume is already masked to this access group');
  const lun = freeLun(masks, seenAs(g), g.id);
  if (isStandaloneGroupId(g.id)) await s.api.exportCreate(v.pool_id, v.name, g.init_ids[0] as string, lun, c);
  else await s.api.accessGroupMapCreate(v.pool_id, v.name, g.name, lun, c);
}

export async function unmaskVolume(s: Session, group: AccessGroup, volume: Volume, c: CallOptions): Promise<void> {
  const [g, v, masks] = await resolve(s, group, volume, c);
  if (!isMasked(masks, g.id, v)) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'The volume is not masked to this access group');
  if (isStandaloneGroupId(g.id)) await s.api.exportDestroy(v.pool_id, v.name, g.init_ids[0] as string, c);
  else await s.api.accessGroupMapDestroy(v.pool_id, v.name, g.name, c);
}

export async function volumesAccessibleBy(s: Session, group: AccessGroup, c: CallOptions): Promise<Volume[]> {
  const [g, masks] = await Promise.all([findAccessGroup(s, group.id, c), allMasks(s, c)]);
  const mine = masks.filter((m) => m.groupId === g.id);
  const pools = [...new Set(mine.map((m) => m.pool))];
  const volumes = (await Promise.all(pools.map((p) => volumesOfPool(s.api, p, c)))).flat();
  return volumes.filter((v) => mine.some((m) => m.pool === v.pool_id && m.volume === v.name));
}

export async function accessGroupsGrantedTo(s: Session, volume: Volume, c: CallOptions): Promise<AccessGroup[]> {
  const [v, masks, groups] = await Promise.all([findVolume(s.api, volume, c), allMasks(s, c), allAccessGroups(s, c)]);
  const ids = new Set(masks.filter((m) => m.pool === v.pool_id && m.volume === v.name).map((m) => m.groupId));
  return groups.filter((g) => ids.has(g.id));
}
