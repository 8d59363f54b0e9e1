/**
 * Access groups on targetd's `access_group_*` methods (groups of iSCSI initiators sharing an ACL tag), plus the
 * groups lsm's plugin shows for initiators that have ACLs of their own (`init.<md5>`, see ids.ts): those hold
 * exactly one initiator and disappear with their last mask, so they cannot be edited or deleted.
 *
 * targetd answers several no-ops silently (adding a member twice, deleting one that is not there); lsm wants
 * NO_STATE_CHANGE, so the plugin looks first.
 */
import {
  type AccessGroup, describeForMessage, ErrorNumber, InitiatorType, LsmError, type System,
} from '@openlsm/core';
import { isStandaloneGroupId, SYSTEM_ID } from './ids.js';
import { allMasks, findAccessGroup, masksOf } from './inventory.js';
import { chapValue, checkName, iscsiInitiator } from './names.js';
import type { CallOptions } from './rpc.js';
import type { Session } from './session.js';

function requireIscsi(initType: number): void {
  if (initType !== InitiatorType.ISCSI_IQN) throw new LsmError(ErrorNumber.NO_SUPPORT, 'targetd supports iSCSI initiators only');
}

function requireGroups(s: Session): void {
  if (!s.accessGroups) throw new LsmError(ErrorNumber.NO_SUPPORT, 'This targetd has no access groups (they need targetd 0.7.1 or later)');
}

function requireEditable(group: AccessGroup): void {
  if (isStandaloneGroupId(group.id)) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `${describeForMessage(group.id)} stands for one initiator's own exports and cannot be changed; create an access group instead`);
  }
}

async function reread(s: Session, name: string, c: CallOptions): Promise<AccessGroup> {
  try {
    return await findAccessGroup(s, name, c);
  } catch {
    throw new LsmError(ErrorNumber.PLUGIN_BUG, `targetd accepted the change to access group ${describeForMessage(name)} but does not list it`);
  }
}

export async function createAccessGroup(s: Session, name: string, initId: string, initType: number, system: System, c: CallOptions): Promise<AccessGroup> {
  if (system.id !== SYSTEM_ID) throw new LsmError(ErrorNumber.NOT_FOUND_SYSTEM, `System ${describeForMessage(system.id)} not found`);
  requireGroups(s);
  requireIscsi(initType);
  checkName('access group', name);
  await s.api.accessGroupCreate(name, iscsiInitiator(initId), c);
  return reread(s, name, c);
}

export async function addInitiator(s: Session, group: AccessGroup, initId: string, initType: number, c: CallOptions): Promise<AccessGroup> {
  requireIscsi(initType);
  const initiator = iscsiInitiator(initId);
  const current = await findAccessGroup(s, group.id, c);
  requireEditable(current);
  if (current.init_ids.includes(initiator)) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, `${describeForMessage(initiator)} is already in access group ${describeForMessage(current.id)}`);
  await s.api.accessGroupInitAdd(current.name, initiator, c);
  return reread(s, current.name, c);
}

export async function deleteInitiator(s: Session, group: AccessGroup, initId: string, initType: number, c: CallOptions): Promise<AccessGroup> {
  requireIscsi(initType);
  const initiator = iscsiInitiator(initId);
  const current = await findAccessGroup(s, group.id, c);
  requireEditable(current);
  if (!current.init_ids.includes(initiator)) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, `${describeForMessage(initiator)} is not in access group ${describeForMessage(current.id)}`);
  if (current.init_ids.length === 1) {
    throw new LsmError(ErrorNumber.LAST_INIT_IN_ACCESS_GROUP, `${describeForMessage(initiator)} is the last initiator of access group ${describeForMessage(current.id)}: delete the group instead`);
  }
  await s.api.accessGroupInitDel(current.name, initiator, c);
  return reread(s, current.name, c);
}

export async function deleteAccessGroup(s: Session, group: AccessGroup, c: CallOptions): Promise<void> {
  requireEditable(group);
  requireGroups(s);
  const [current, masks] = await Promise.all([findAccessGroup(s, group.id, c), allMasks(s, c)]);
  if (masksOf(masks, current.id).length > 0) {
    throw new LsmError(ErrorNumber.IS_MASKED, `Access group ${describeForMessage(current.id)} has volumes masked to it: unmask them first`);
  }
  await s.api.accessGroupDestroy(current.name, c);
}

/**
 * iSCSI CHAP for one initiator (`initiator_set_auth`; targetd creates the initiator's ACL if it has none).
 * A direction is set with both its user and secret, or cleared with neither; mutual CHAP needs incoming CHAP.
 */
export async function setChap(s: Session, initId: string, inUser: string | null, inPassword: string | null, outUser: string | null, outPassword: string | null, c: CallOptions): Promise<void> {
  const initiator = iscsiInitiator(initId);
  const values = [chapValue('in_user', inUser), chapValue('in_password', inPassword), chapValue('out_user', outUser), chapValue('out_password', outPassword)];
  const [iu, ip, ou, op] = values;
  if ((iu === null) !== (ip === null)) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'in_user and in_password go together: give both, or neither to remove incoming CHAP');
  if ((ou === null) !== (op === null)) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'out_user and out_password go together: give both, or neither');
  if (ou !== null && iu === null) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'Mutual (outgoing) CHAP needs incoming CHAP as well');
  await s.api.initiatorSetAuth(initiator, iu ?? null, ip ?? null, ou ?? null, op ?? null, c);
}
