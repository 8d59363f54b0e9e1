/**
 * Listings and lookups built from targetd's lists. targetd has no "get one" calls, so a lookup lists; the
 * volume lookup asks the volume's own pool first (one call) before searching every pool.
 */
import { type AccessGroup, describeForMessage, ErrorNumber, LsmError, type Volume } from '@openlsm/core';
import type { TargetdApi } from './api.js';
import { standaloneGroupId } from './ids.js';
import { toGroup, toStandaloneGroup, toVolume } from './model.js';
import { TargetdCallError } from './rpc-errors.js';
import type { CallOptions } from './rpc.js';
import type { Session } from './session.js';

export async function blockPoolNames(api: TargetdApi, c: CallOptions): Promise<string[]> {
  return (await api.poolList(c)).filter((p) => p.type === 'block').map((p) => p.name);
}

/** The volumes of one pool; none for a name that is not a block pool. */
export async function volumesOfPool(api: TargetdApi, pool: string, c: CallOptions): Promise<Volume[]> {
  try {
    return (await api.volList(pool, c)).map((v) => toVolume(v, pool));
  } catch (err) {
    if (err instanceof TargetdCallError && err.code === ErrorNumber.NOT_FOUND_POOL) return [];
    throw err;
  }
}

/** Every volume, pool by pool (the pools are asked in parallel; targetd answers them one after another). */
export async function allVolumes(api: TargetdApi, c: CallOptions): Promise<Volume[]> {
  const pools = await blockPoolNames(api, c);
  return (await Promise.all(pools.map((p) => volumesOfPool(api, p, c)))).flat();
}

/** The volume as targetd has it now (its name may have been looked up long ago), or NOT_FOUND_VOLUME. */
export async function findVolume(api: TargetdApi, volume: Volume, c: CallOptions): Promise<Volume> {
  const found = (await volumesOfPool(api, volume.pool_id, c)).find((v) => v.id === volume.id)
    ?? (await allVolumes(api, c)).find((v) => v.id === volume.id);
  if (!found) throw new LsmError(ErrorNumber.NOT_FOUND_VOLUME, `Volume ${describeForMessage(volume.id)} not found on targetd`);
  return found;
}

export async function allAccessGroups(s: Session, c: CallOptions): Promise<AccessGroup[]> {
  if (!s.accessGroups) {
    // Before targetd 0.7.1 the only grouping is the initiators that have exports.
    const initiators = new Set((await s.api.exportList(c)).map((e) => e.initiatorWwn));
    return [...initiators].map(toStandaloneGroup);
  }
  const [standalone, groups] = await Promise.all([s.api.initiatorList(true, c), s.api.accessGroupList(c)]);
  return [...standalone.map(toStandaloneGroup), ...groups.map(toGroup)];
}

export async function findAccessGroup(s: Session, id: string, c: CallOptions): Promise<AccessGroup> {
  const found = (await allAccessGroups(s, c)).find((g) => g.id === id);
  if (!found) throw new LsmError(ErrorNumber.NOT_FOUND_ACCESS_GROUP, `Access group ${describeForMessage(id)} not found on targetd`);
  return found;
}

/** One volume masked to one access group, at a LUN id. */
export interface Mask {
  groupId: string;
  pool: string;
  volume: string;
  lun: number;
}

/**
 * Every mask: each per-initiator export (whose group id is the initiator's `init.<md5>`, also for members of
 * real groups, whose mapped LUNs targetd lists too) and each group mapping.
 */
export async function allMasks(s: Session, c: CallOptions): Promise<Mask[]> {
  const [exports, maps] = await Promise.all([
    s.api.exportList(c),
    s.accessGroups ? s.api.accessGroupMapList(c) : Promise.resolve([]),
  ]);
  return [
    ...exports.map((e) => ({ groupId: standaloneGroupId(e.initiatorWwn), pool: e.pool, volume: e.volName, lun: e.lun })),
    ...maps.map((m) => ({ groupId: m.agName, pool: m.poolName, volume: m.volName, lun: m.hLunId })),
  ];
}

export function masksOf(masks: readonly Mask[], groupId: string): Mask[] {
  return masks.filter((m) => m.groupId === groupId);
}

export function isMasked(masks: readonly Mask[], groupId: string, volume: Volume): boolean {
  return masks.some((m) => m.groupId === groupId && m.pool === volume.pool_id && m.volume === volume.name);
}
