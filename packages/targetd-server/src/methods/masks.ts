/**
 * Masks with their host LUN numbers, shared by the per-initiator exports and the access-group mappings.
 * Every function here runs under the MASKING lock (`withMasking`), because it reads or changes the LUN table
 * together with the masks it numbers.
 */
import type { AccessGroup, Volume } from '@openlsm/core';
import { asTargetd } from '../errors.js';
import { type BackendView, type GroupIndex, MASKING } from '../view.js';

export interface MaskEntry {
  group: AccessGroup;
  volume: Volume;
  lun: number;
}

export function withMasking<T>(view: BackendView, fn: () => Promise<T>): Promise<T> {
  return view.state.locks.run(MASKING, fn);
}

/** Every mask of every iSCSI group (standalone initiators and access groups), numbered. */
export async function allMasks(view: BackendView, index: GroupIndex): Promise<MaskEntry[]> {
  const groups = [...index.standalone.values(), ...index.named.values()];
  const masked = await Promise.all(groups.map((g) => view.maskedTo(g)));
  const table = await view.state.luns.reconcile(new Map(groups.map((g, i) => [g.id, (masked[i] as Volume[]).map((v) => v.id)])), true);
  return groups.flatMap((group, i) => (masked[i] as Volume[]).flatMap((volume) => {
    const lun = table.get(group.id)?.get(volume.id);
    return lun === undefined ? [] : [{ group, volume, lun }];
  }));
}

/** The volumes masked to `group` and their LUN numbers. */
export async function groupMasks(view: BackendView, group: AccessGroup): Promise<{ volumes: Volume[]; luns: Map<string, number> }> {
  const volumes = await view.maskedTo(group);
  const luns = (await view.state.luns.reconcile(new Map([[group.id, volumes.map((v) => v.id)]]), false)).get(group.id) ?? new Map<string, number>();
  return { volumes, luns };
}

/** Masks `volume` to `group` as LUN `lun` and records the number. */
export async function mask(view: BackendView, group: AccessGroup, volume: Volume, lun: number): Promise<void> {
  await asTargetd('export', () => view.call((c, o) => c.volumeMask({ access_group: group, volume }, o)));
  await view.state.luns.set(group.id, volume.id, lun);
}

export async function unmask(view: BackendView, group: AccessGroup, volume: Volume): Promise<void> {
  await asTargetd('export', () => view.call((c, o) => c.volumeUnmask({ access_group: group, volume }, o)));
  await view.state.luns.delete(group.id, volume.id);
}

/** Unmasks every volume of `group`, then deletes the group (targetd deletes the NodeACLs, which drops their LUNs). */
export async function deleteGroup(view: BackendView, group: AccessGroup): Promise<void> {
  for (const volume of await view.maskedTo(group)) await unmask(view, group, volume);
  await asTargetd('access_group', () => view.call((c, o) => c.accessGroupDelete({ access_group: group }, o)));
}
