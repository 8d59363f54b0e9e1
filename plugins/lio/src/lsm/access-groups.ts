/**
 * Access groups are node ACLs of the target's TPG that share a tag, as targetd and rtslib's NodeACLGroup define
 * them, so groups made here are targetd's groups and the other way round. The tag is the group's name when the
 * name can be a tag (targetd's rule: letters, digits, '_' and '-', at most 63); otherwise a generated tag, with
 * the name kept in the state file. An ACL without a tag (made by targetcli, say) is shown as a group of its own
 * whose id is the initiator name. Mapped LUNs are per ACL in LIO: every member of a group maps the same LUNs.
 */
import { randomBytes } from 'node:crypto';
import {
  type AccessGroup, describeForMessage, ErrorNumber, InitiatorType, LsmError, validateName,
} from '@openlsm/core';
import {
  type AclRef, createAcl, createMappedLun, ensureTpg, listAcls, listMappedLuns, type MappedLunRef, removeMappedLun,
  tpgPath,
} from '../configfs/iscsi.js';
import { isTagName, normalizeIscsiName } from '../configfs/names.js';
import { dumpAcl } from '../saveconfig/dump.js';
import { applyAclSettings } from '../saveconfig/restore.js';
import type { Change, View } from '../session.js';
import { SYSTEM_ID } from './ids.js';

/** The one TPG openlsm manages, as targetd does. */
export const TPG_TAG = 1;

export interface Group {
  id: string;
  name: string;
  /** '' for a lone untagged ACL. */
  tag: string;
  acls: AclRef[];
}

export function ourTpg(view: View): string {
  return tpgPath(view.config.targetIqn, TPG_TAG);
}

export function listGroups(view: View): Group[] {
  const tpg = ourTpg(view);
  if (!view.tree.isDir(tpg)) return [];
  const byTag = new Map<string, Group>();
  const out: Group[] = [];
  for (const acl of listAcls(view.tree, tpg)) {
    if (acl.tag === '') {
      out.push({ id: acl.node, name: acl.node, tag: '', acls: [acl] });
      continue;
    }
    let group = byTag.get(acl.tag);
    if (!group) {
      group = { id: acl.tag, name: view.state.groupNames[acl.tag] ?? acl.tag, tag: acl.tag, acls: [] };
      byTag.set(acl.tag, group);
      out.push(group);
    }
    group.acls.push(acl);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function describeGroup(group: Group): AccessGroup {
  return {
    id: group.id, name: group.name, init_ids: group.acls.map((a) => a.node), init_type: InitiatorType.ISCSI_IQN,
    system_id: SYSTEM_ID, plugin_data: null,
  };
}

export function findGroup(view: View, ag: AccessGroup): Group {
  const group = listGroups(view).find((g) => g.id === ag.id);
  if (!group) throw new LsmError(ErrorNumber.NOT_FOUND_ACCESS_GROUP, `Access group ${describeForMessage(ag.id)} not found`);
  return group;
}

function iscsiOnly(initType: number): void {
  if (initType !== InitiatorType.ISCSI_IQN) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `LIO's iSCSI target takes iSCSI initiators only (init_type ${InitiatorType.ISCSI_IQN}), not type ${initType}`);
  }
}

function memberOf(groups: readonly Group[], node: string): Group | undefined {
  return groups.find((g) => g.acls.some((a) => a.node === node));
}

/** Removes an ACL and its mapped LUNs; undo makes them again (journal) and writes the ACL's settings back. */
function removeAcl(change: Change, acl: AclRef): void {
  for (const m of listMappedLuns(change.tree, acl.path)) removeMappedLun(change.tree, m);
  const saved = dumpAcl(change.tree, acl, () => undefined);
  change.journal.undo(`put the settings of ACL ${acl.node} back`, () => applyAclSettings(change.tree, acl.path, saved));
  change.tree.rmdir(acl.path);
  change.touched.acl(change.config.targetIqn, TPG_TAG, acl.node);
}

export function createGroup(change: Change, name: string, initId: string, initType: number, systemId: string): AccessGroup {
  if (systemId !== SYSTEM_ID) throw new LsmError(ErrorNumber.NOT_FOUND_SYSTEM, `System ${describeForMessage(systemId)} not found`);
  iscsiOnly(initType);
  validateName('access group', name);
  const node = normalizeIscsiName(initId, 'initiator');
  const groups = listGroups(change);
  if (groups.some((g) => g.name === name)) throw new LsmError(ErrorNumber.NAME_CONFLICT, `Name ${describeForMessage(name)} is already used by another access group`);
  if (memberOf(groups, node)) throw new LsmError(ErrorNumber.EXISTS_INITIATOR, `Initiator ${describeForMessage(node)} is already in an access group`);
  const tags = new Set(groups.map((g) => g.tag));
  let tag = name;
  if (!isTagName(name) || tags.has(name)) {
    do tag = `ag-${randomBytes(4).toString('hex')}`; while (tags.has(tag));
    change.state.groupNames[tag] = name;
    change.stateChanged = true;
  }
  if (ensureTpg(change.tree, { iqn: change.config.targetIqn, tag: TPG_TAG, portals: change.config.portals })) {
    change.touched.tpg(change.config.targetIqn, TPG_TAG);
  }
  const acl = createAcl(change.tree, ourTpg(change), node, tag);
  change.touched.acl(change.config.targetIqn, TPG_TAG, node);
  return describeGroup({ id: tag, name, tag, acls: [acl] });
}

export function deleteGroup(change: Change, ag: AccessGroup): void {
  const group = findGroup(change, ag);
  if (group.acls.some((a) => listMappedLuns(change.tree, a.path).length > 0)) {
    throw new LsmError(ErrorNumber.IS_MASKED, `Access group ${group.name} has volumes masked to it: unmask them first`);
  }
  for (const acl of group.acls) removeAcl(change, acl);
  if (group.tag in change.state.groupNames) {
    delete change.state.groupNames[group.tag];
    change.stateChanged = true;
  }
}

export function addInitiator(change: Change, ag: AccessGroup, initId: string, initType: number): AccessGroup {
  iscsiOnly(initType);
  const group = findGroup(change, ag);
  const node = normalizeIscsiName(initId, 'initiator');
  if (group.acls.some((a) => a.node === node)) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, `Initiator ${describeForMessage(node)} is already in this access group`);
  if (memberOf(listGroups(change), node)) throw new LsmError(ErrorNumber.EXISTS_INITIATOR, `Initiator ${describeForMessage(node)} is already in another access group`);
  if (group.tag === '') {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `Access group ${group.id} is an ACL without a tag, made outside openlsm: tag it (targetcli "set attribute tag") to add initiators`);
  }
  const model = group.acls[0] as AclRef;
  const acl = createAcl(change.tree, ourTpg(change), node, group.tag);
  // A new member sees what the others see, with the same settings (rtslib's NodeACLGroup.add_acl).
  for (const name of change.tree.entries(`${model.path}/attrib`).files) {
    const value = change.tree.read(`${model.path}/attrib/${name}`);
    if (change.tree.read(`${acl.path}/attrib/${name}`) !== value && (change.tree.mode(`${acl.path}/attrib/${name}`) & 0o200)) {
      change.tree.write(`${acl.path}/attrib/${name}`, value);
    }
  }
  for (const m of listMappedLuns(change.tree, model.path)) {
    if (m.lun === undefined) continue;
    const wp = change.tree.readOptional(`${m.path}/write_protect`) === '1';
    createMappedLun(change.tree, acl.path, m.index, m.lun, { writeProtect: wp });
  }
  change.touched.acl(change.config.targetIqn, TPG_TAG, node);
  return describeGroup({ ...group, acls: [...group.acls, acl] });
}

export function removeInitiator(change: Change, ag: AccessGroup, initId: string, initType: number): AccessGroup {
  iscsiOnly(initType);
  const group = findGroup(change, ag);
  const node = normalizeIscsiName(initId, 'initiator');
  const acl = group.acls.find((a) => a.node === node);
  if (!acl) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, `Initiator ${describeForMessage(node)} is not in this access group`);
  if (group.acls.length === 1) throw new LsmError(ErrorNumber.LAST_INIT_IN_ACCESS_GROUP, 'Refusing to remove the last initiator from the access group');
  removeAcl(change, acl);
  return describeGroup({ ...group, acls: group.acls.filter((a) => a !== acl) });
}

/** Every member's mapped LUNs. */
export function mappedLunsOf(view: View, group: Group): MappedLunRef[][] {
  return group.acls.map((a) => listMappedLuns(view.tree, a.path));
}
