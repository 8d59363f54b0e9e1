/**
 * Masking: a volume is masked to a group when every member's ACL maps a TPG LUN that links to the volume's
 * storage object. Masking makes the TPG LUN if the object has none in our TPG (lowest free number, rtslib's
 * choice), then one mapped LUN per member under the lowest number free in all members (what the initiators
 * see as their LUN number; targetd's h_lun_id, computed so that a second volume never collides with the first).
 * Unmasking removes the members' mapped LUNs and then the TPG LUN when no ACL maps it any more.
 */
import { type AccessGroup, ErrorNumber, LsmError, type Volume } from '@openlsm/core';
import {
  createLun, createMappedLun, freeMappedLun, listAcls, listLuns, listMappedLuns, type LunRef, readLun, removeLun,
  removeMappedLun,
} from '../configfs/iscsi.js';
import type { StorageObjectRef } from '../configfs/backstores.js';
import type { Change, View } from '../session.js';
import { findGroup, listGroups, mappedLunsOf, ourTpg, TPG_TAG, type Group, describeGroup } from './access-groups.js';
import { describeVolume, findVolume } from './volumes.js';

/** The LUNs of our TPG that export `so` (none without looking when the object is not exported at all). */
function lunsOf(view: View, so: StorageObjectRef): LunRef[] {
  const info = view.tree.read(`${so.path}/info`).split(/\s+/).join(' ');
  if (!info.includes('Status: ACTIVATED')) return [];
  return listLuns(view.tree, ourTpg(view)).filter((l) => l.storageObject === so.path);
}

/** The mapped-LUN numbers an ACL uses: directory names only, no link to resolve. */
function mappedNumbers(view: View, aclPath: string): number[] {
  return view.tree.dirs(aclPath).map((d) => /^lun_(\d{1,10})$/.exec(d)?.[1]).filter((n): n is string => n !== undefined).map(Number);
}

export function maskVolume(change: Change, ag: AccessGroup, volume: Volume): void {
  const group = findGroup(change, ag);
  const { so } = findVolume(change, volume);
  const tpg = ourTpg(change);
  const existing = lunsOf(change, so);
  // Only an object that is exported already can be masked already: the common case reads no mapped LUN link.
  const mapped: (readonly { index: number; lun: string | undefined }[])[] = existing.length > 0
    ? mappedLunsOf(change, group)
    : group.acls.map((a) => mappedNumbers(change, a.path).map((index) => ({ index, lun: undefined })));
  const exported = new Set(existing.map((l) => l.path));
  if (existing.length > 0 && mapped.every((list) => list.some((m) => m.lun !== undefined && exported.has(m.lun)))) {
    throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Volume is already masked to this access group');
  }
  let lun = existing[0];
  if (!lun) {
    lun = createLun(change.tree, tpg, so.path);
    change.touched.lun(change.config.targetIqn, TPG_TAG, lun.index);
  }
  const index = freeMappedLun(mapped);
  group.acls.forEach((acl, i) => {
    if ((mapped[i] ?? []).some((m) => m.lun === (lun as LunRef).path)) return;
    createMappedLun(change.tree, acl.path, index, (lun as LunRef).path);
    change.touched.mappedLun(change.config.targetIqn, TPG_TAG, acl.node, index);
  });
}

export function unmaskVolume(change: Change, ag: AccessGroup, volume: Volume): void {
  const group = findGroup(change, ag);
  const { so } = findVolume(change, volume);
  const luns = new Set(lunsOf(change, so).map((l) => l.path));
  let removed = 0;
  const mapped = mappedLunsOf(change, group);
  group.acls.forEach((acl, i) => {
    for (const m of mapped[i] ?? []) {
      if (m.lun === undefined || !luns.has(m.lun)) continue;
      removeMappedLun(change.tree, m);
      change.touched.mappedLun(change.config.targetIqn, TPG_TAG, acl.node, m.index);
      removed++;
    }
  });
  if (removed === 0) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Volume is not masked to this access group');
  // A TPG LUN that no ACL maps any more exports nothing: remove it, as targetd does.
  const tpg = ourTpg(change);
  const stillMapped = new Set(listAcls(change.tree, tpg).flatMap((a) => listMappedLuns(change.tree, a.path).map((m) => m.lun)));
  for (const path of luns) {
    if (stillMapped.has(path)) continue;
    const lun = readLun(change.tree, tpg, Number(path.slice(path.lastIndexOf('_') + 1)));
    removeLun(change.tree, lun);
    change.touched.lun(change.config.targetIqn, TPG_TAG, lun.index);
  }
}

/**
 * The storage objects a group maps. Masking maps the same LUNs into every member, so the first member's ACL
 * tells (reading every member would double the cost of the query for nothing).
 */
function objectsMappedBy(view: View, group: Group): Set<string> {
  const tpg = ourTpg(view);
  const out = new Set<string>();
  const first = group.acls[0];
  if (!first) return out;
  for (const m of listMappedLuns(view.tree, first.path)) {
    if (m.lun === undefined || !m.lun.startsWith(`${tpg}/lun/`)) continue;
    const lun = readLun(view.tree, tpg, Number(m.lun.slice(m.lun.lastIndexOf('_') + 1)));
    if (lun.storageObject) out.add(lun.storageObject);
  }
  return out;
}

export async function volumesAccessibleBy(view: View, ag: AccessGroup): Promise<Volume[]> {
  const paths = objectsMappedBy(view, findGroup(view, ag));
  const out: Volume[] = [];
  for (const so of view.scan().objects) if (paths.has(so.path)) out.push(await describeVolume(view, so));
  return out;
}

export function groupsGrantedTo(view: View, volume: Volume): AccessGroup[] {
  const { so } = findVolume(view, volume);
  if (lunsOf(view, so).length === 0) return [];
  return listGroups(view).filter((g) => objectsMappedBy(view, g).has(so.path)).map(describeGroup);
}
