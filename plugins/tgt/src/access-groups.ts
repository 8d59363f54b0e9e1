/**
 * Access groups, masking and CHAP as changes to the plugin's state, with lsm's rules: an initiator belongs to
 * one group at most (EXISTS_INITIATOR), a group keeps at least one initiator (LAST_INIT_IN_ACCESS_GROUP), a
 * group with masked volumes cannot be deleted (IS_MASKED), and repeating a mask or unmask is NO_STATE_CHANGE.
 * What these changes mean on tgtd is desired.ts's business. tgtd serves iSCSI only, so initiators are IQNs.
 *
 * A group is one tgtd target (naming.ts says why), and tgtd binds CHAP accounts to targets: so the initiators
 * of a group may have different incoming credentials (at most 16, tgtd's limit per target), but one outgoing
 * (mutual CHAP) credential at most. An initiator without CHAP in a group where another has it cannot log in:
 * tgtd asks every initiator of a target with accounts to authenticate.
 */
import {
  type AccessGroup, describeForMessage, ErrorNumber, InitiatorType, LsmError, normalizeInitiator, validateName,
} from '@openlsm/core';
import { SYSTEM_ID } from './inventory.js';
import { accessGroupId } from './naming.js';
import type { AccessGroupRecord, ChapCredential, ChapRecord, TgtState } from './state.js';
import { chapSecret, chapUser, initiatorName } from './tgtd/payload.js';

export function accessGroupObject(g: AccessGroupRecord): AccessGroup {
  return {
    id: g.id,
    name: g.name,
    init_ids: [...g.initiators],
    init_type: InitiatorType.ISCSI_IQN,
    system_id: SYSTEM_ID,
    plugin_data: null,
  };
}

function iscsiInitiator(initId: string, initType: number): string {
  if (initType === InitiatorType.WWPN) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, 'tgtd serves iSCSI only: use an iSCSI initiator name (iqn.…), not a WWPN');
  }
  if (initType !== InitiatorType.ISCSI_IQN) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `Initiator type ${initType} is not supported: use ${InitiatorType.ISCSI_IQN} (iSCSI IQN)`);
  }
  // lsm's rules first, then what tgtd's payload can carry.
  return initiatorName(normalizeInitiator(initId, InitiatorType.ISCSI_IQN).id);
}

export function findGroup(state: TgtState, id: string): AccessGroupRecord {
  const g = state.accessGroups.find((a) => a.id === id);
  if (!g) throw new LsmError(ErrorNumber.NOT_FOUND_ACCESS_GROUP, `Access group ${describeForMessage(String(id))} not found`);
  return g;
}

function checkInitiatorFree(state: TgtState, iqn: string, except: AccessGroupRecord | null): void {
  const owner = state.accessGroups.find((g) => g.initiators.includes(iqn));
  if (owner && owner !== except) {
    throw new LsmError(ErrorNumber.EXISTS_INITIATOR, `Initiator ${describeForMessage(iqn)} is already in access group ${owner.id}`);
  }
}

export function createGroup(state: TgtState, name: string, initId: string, initType: number): AccessGroupRecord {
  validateName('access group', name);
  const iqn = iscsiInitiator(initId, initType);
  if (state.accessGroups.some((g) => g.name === name)) {
    throw new LsmError(ErrorNumber.NAME_CONFLICT, `Name '${name}' is already in use by other access group`);
  }
  checkInitiatorFree(state, iqn, null);
  const number = state.nextAccessGroup++;
  const group: AccessGroupRecord = { id: accessGroupId(number), number, name, initiators: [iqn] };
  state.accessGroups.push(group);
  return group;
}

export function deleteGroup(state: TgtState, id: string): void {
  const group = findGroup(state, id);
  if (state.masks.some((m) => m.accessGroup === group.id)) throw new LsmError(ErrorNumber.IS_MASKED, 'Access group has volumes masked to it');
  state.accessGroups = state.accessGroups.filter((g) => g !== group);
}

export function addInitiator(state: TgtState, id: string, initId: string, initType: number): AccessGroupRecord {
  const iqn = iscsiInitiator(initId, initType);
  const group = findGroup(state, id);
  checkInitiatorFree(state, iqn, group);
  if (group.initiators.includes(iqn)) {
    throw new LsmError(ErrorNumber.NO_STATE_CHANGE, `Initiator ${describeForMessage(iqn)} is already in this access group`);
  }
  checkGroupChap(state, group, [...group.initiators, iqn], state.chap[iqn] ?? null, iqn);
  group.initiators.push(iqn);
  return group;
}

export function removeInitiator(state: TgtState, id: string, initId: string, initType: number): AccessGroupRecord {
  const iqn = iscsiInitiator(initId, initType);
  const group = findGroup(state, id);
  if (!group.initiators.includes(iqn)) {
    throw new LsmError(ErrorNumber.NO_STATE_CHANGE, `Initiator ${describeForMessage(iqn)} is not in this access group`);
  }
  if (group.initiators.length === 1) {
    throw new LsmError(ErrorNumber.LAST_INIT_IN_ACCESS_GROUP, 'Refusing to remove the last initiator from the access group');
  }
  group.initiators = group.initiators.filter((i) => i !== iqn);
  return group;
}

/** Masks `volume` to the group at the lowest LUN the group does not use yet (LUN 0 is tgtd's controller). */
export function mask(state: TgtState, groupId: string, volume: string): number {
  const group = findGroup(state, groupId);
  const mine = state.masks.filter((m) => m.accessGroup === group.id);
  if (mine.some((m) => m.volume === volume)) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Volume is already masked to this access group');
  const used = new Set(mine.map((m) => m.lun));
  let lun = 1;
  while (used.has(lun)) lun++;
  state.masks.push({ accessGroup: group.id, volume, lun });
  return lun;
}

export function unmask(state: TgtState, groupId: string, volume: string): void {
  const group = findGroup(state, groupId);
  const before = state.masks.length;
  state.masks = state.masks.filter((m) => !(m.accessGroup === group.id && m.volume === volume));
  if (state.masks.length === before) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Volume is not masked to this access group');
}

/** tgtd's limit of incoming accounts per target (DEFAULT_NR_ACCOUNT). */
export const MAX_INCOMING_ACCOUNTS = 16;

/**
 * Refuses CHAP settings the group's one target cannot carry: two different outgoing credentials, or more than
 * 16 incoming user names. `changed` is the record `iqn` is about to have.
 */
function checkGroupChap(state: TgtState, group: AccessGroupRecord, members: string[], changed: ChapRecord | null, iqn: string): void {
  const records = members.map((m) => (m === iqn ? changed : state.chap[m] ?? null));
  const outs = new Map<string, string>();
  for (const r of records) if (r?.out) outs.set(`${r.out.user}\0${r.out.secret}`, r.out.user);
  if (outs.size > 1) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `Access group ${group.id} would need ${outs.size} outgoing CHAP credentials; tgtd gives its target one: use the same out_user and out_password for all its initiators`);
  }
  const ins = new Set(records.map((r) => r?.in?.user).filter((u) => u !== undefined));
  if (ins.size > MAX_INCOMING_ACCOUNTS) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `Access group ${group.id} would need ${ins.size} incoming CHAP user names; tgtd allows ${MAX_INCOMING_ACCOUNTS} per target`);
  }
}

function credential(user: string | null, secret: string | null, direction: 'in' | 'out'): ChapCredential | null {
  const given = (s: string | null) => s !== null && s !== '';
  if (given(user) !== given(secret)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `${direction}_user and ${direction}_password must be given together (or both left empty to remove ${direction === 'in' ? 'authentication' : 'mutual authentication'})`);
  }
  if (!given(user)) return null;
  return { user: chapUser(user as string), secret: chapSecret(secret as string, `${direction}_password`) };
}

/**
 * `iscsi_chap_auth`: the initiator's CHAP credentials (incoming: the initiator proves itself; outgoing: the
 * target does, mutual CHAP). Empty values remove them. tgtd's accounts are global by user name, so one user
 * name cannot carry two different secrets.
 */
export function setChap(state: TgtState, initId: string, inUser: string | null, inSecret: string | null, outUser: string | null, outSecret: string | null): void {
  const iqn = iscsiInitiator(initId, InitiatorType.ISCSI_IQN);
  const incoming = credential(inUser, inSecret, 'in');
  const outgoing = credential(outUser, outSecret, 'out');
  if (outgoing && !incoming) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'Outgoing (mutual) CHAP needs incoming CHAP credentials as well');
  if (incoming && outgoing && incoming.user === outgoing.user) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'in_user and out_user must differ: mutual CHAP uses one account for each direction');
  }
  for (const cred of [incoming, outgoing]) {
    if (!cred) continue;
    for (const [other, rec] of Object.entries(state.chap)) {
      if (other === iqn) continue;
      for (const used of [rec.in, rec.out]) {
        if (used?.user === cred.user && used.secret !== cred.secret) {
          throw new LsmError(ErrorNumber.NAME_CONFLICT, `CHAP user ${describeForMessage(cred.user)} is already used by initiator ${describeForMessage(other)} with another secret (tgtd's accounts are global)`);
        }
      }
    }
  }
  const record: ChapRecord | null = incoming === null ? null : { in: incoming, out: outgoing };
  const group = state.accessGroups.find((g) => g.initiators.includes(iqn));
  if (group) checkGroupChap(state, group, group.initiators, record, iqn);
  if (record === null) delete state.chap[iqn];
  else state.chap[iqn] = record;
}
