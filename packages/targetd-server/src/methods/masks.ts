/**
 * Masks with their host LUN numbers, shared by the per-initiator exports and the access-group mappings.
 * Every function here runs under the MASKING lock (`withMasking`), because it reads or changes the LUN table
 * together with the masks it numbers.
 */
import type { AccessGroup, Volume } from '@openlsm/core';
import { asTargetd, TargetdCode, TargetdError } from '../errors.js';
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

/**
 * Backends that number a group's masks themselves, lowest free first in mask order, whatever the caller
 * wanted: lio:// (the mapped LUN it makes is the lowest number free in every member's ACL).
 */
const LUN_NUMBERING_SCHEMES = new Set(['lio:']);

/**
 * Refuses a LUN number the backend would not give. lsm's API has no host LUN id, so on a backend that numbers
 * masks itself an explicit number other than its next one would be recorded and shown while initiators see
 * another: a client that trusts it (the Kubernetes provisioner) would attach the wrong volume. The server's
 * table follows the backend's numbering as long as masks are made through it, so its lowest free number is the
 * one the backend gives. `group` undefined: the initiator has no mask yet, so the backend gives 0.
 */
export function checkBackendLun(view: BackendView, group: AccessGroup | undefined, lun: number, to: string): void {
  let scheme: string;
  try {
    scheme = new URL(view.state.config.backend).protocol;
  } catch {
    return;
  }
  if (!LUN_NUMBERING_SCHEMES.has(scheme)) return;
  const next = group ? view.state.luns.lowestFree(group.id) : 0;
  if (next === undefined || lun === next) return;
  throw new TargetdError(TargetdCode.GENERIC, `LUN ${lun} cannot be given to ${to}: the backend (${scheme}//) numbers LUNs itself and would map this volume as LUN ${next}; ask for LUN ${next}`);
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
