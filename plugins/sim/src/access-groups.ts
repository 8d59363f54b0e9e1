/**
 * Access groups (named sets of host initiators), masking volumes to them, and iSCSI CHAP.
 * An initiator belongs to at most one group (EXISTS_INITIATOR), a group never loses its last initiator
 * (LAST_INIT_IN_ACCESS_GROUP), and a group with masked volumes cannot be deleted (IS_MASKED).
 */
import {
  type AccessGroup, ErrorNumber, InitiatorType, LsmError, type Volume, describeForMessage, normalizeInitiator,
  type System,
} from '@openlsm/core';
import type { SimContext } from './context.js';
import { Ids, notFound, requireId, requireSystem, sqlId, SYSTEM_ID } from './ids.js';
import { searchCondition } from './search.js';
import type { SimStore } from './store.js';
import { checkName } from './validate.js';
import { loadVolume, VOLUME_SELECT, volumeFromRow } from './volumes.js';

/** The simulator supports iSCSI and FC initiators; lsm's other initiator types are NO_SUPPORT, not garbage. */
function checkInitiator(initId: string, initType: number): { id: string; type: number } {
  if (initType === InitiatorType.UNKNOWN || initType === InitiatorType.OTHER || initType === InitiatorType.ISCSI_WWPN_MIXED) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `Initiator type ${initType} is not supported: use ${InitiatorType.WWPN} (WWPN) or ${InitiatorType.ISCSI_IQN} (iSCSI IQN)`);
  }
  return normalizeInitiator(initId, initType);
}

function agType(types: number[]): number {
  if (types.length === 0) return InitiatorType.UNKNOWN;
  const first = types[0] as number;
  return types.every((t) => t === first) ? first : InitiatorType.ISCSI_WWPN_MIXED;
}

/** Access groups with their initiators, in id order; `where` filters the `ags` table. */
function selectAccessGroups(store: SimStore, where: string, params: unknown[]): AccessGroup[] {
  const groups = store.rows(`SELECT ags.id, ${sqlId(Ids.accessGroup, 'ags.id')}, ags.name FROM ags${where} ORDER BY ags.id`, ...params);
  if (groups.length === 0) return [];
  const inits = new Map<bigint, { ids: string[]; types: number[] }>();
  for (const g of groups) inits.set(g[0] as bigint, { ids: [], types: [] });
  const rows = groups.length === 1
    ? store.rows('SELECT ag_id, id, init_type FROM inits WHERE ag_id = ? ORDER BY position', groups[0]?.[0])
    : store.rows('SELECT ag_id, id, init_type FROM inits ORDER BY ag_id, position');
  for (const r of rows) {
    const entry = inits.get(r[0] as bigint);
    if (!entry) continue;
    entry.ids.push(r[1] as string);
    entry.types.push(Number(r[2]));
  }
  return groups.map((g) => {
    const entry = inits.get(g[0] as bigint) ?? { ids: [], types: [] };
    return {
      id: g[1] as string,
      name: g[2] as string,
      init_ids: entry.ids,
      init_type: agType(entry.types),
      system_id: SYSTEM_ID,
      plugin_data: null,
    };
  });
}

export function listAccessGroups(store: SimStore, key: string | null, value: string | null): AccessGroup[] {
  const cond = searchCondition(key, value, 'ags', Ids.accessGroup);
  if (cond === 'none') return [];
  return store.read(() => selectAccessGroups(store, cond.sql, cond.params));
}

function accessGroupByRowid(store: SimStore, rowid: number | bigint): AccessGroup {
  const ag = selectAccessGroups(store, ' WHERE ags.id = ?', [rowid])[0];
  if (!ag) throw new LsmError(ErrorNumber.PLUGIN_BUG, 'An access group vanished inside its own transaction');
  return ag;
}

function loadAccessGroup(store: SimStore, id: string): number {
  const rowid = requireId(Ids.accessGroup, id);
  if (store.value('SELECT 1 FROM ags WHERE id = ?', rowid) === undefined) throw notFound(Ids.accessGroup, id);
  return rowid;
}

/** EXISTS_INITIATOR when `initId` belongs to a group other than `rowid`; true when it belongs to `rowid`. */
function initiatorOwner(store: SimStore, initId: string, rowid: number | null): boolean {
  const owner = store.value<bigint>('SELECT ag_id FROM inits WHERE id = ?', initId);
  if (owner === undefined) return false;
  if (rowid !== null && Number(owner) === rowid) return true;
  throw new LsmError(ErrorNumber.EXISTS_INITIATOR, `Initiator ${describeForMessage(initId)} is already in another access group`);
}

function addInitiator(store: SimStore, rowid: number | bigint, init: { id: string; type: number }): void {
  const position = store.value<bigint>('SELECT coalesce(max(position), 0) + 1 FROM inits WHERE ag_id = ?', rowid);
  store.run('INSERT INTO inits (id, init_type, ag_id, position) VALUES (?, ?, ?, ?)', init.id, init.type, rowid, position);
}

export function createAccessGroup(sim: SimContext, name: string, initId: string, initType: number, system: System): AccessGroup {
  checkName('access group name', name);
  requireSystem(system.id);
  const init = checkInitiator(initId, initType);
  const { store } = sim;
  return store.write(() => {
    if (store.value('SELECT 1 FROM ags WHERE name = ?', name) !== undefined) {
      throw new LsmError(ErrorNumber.NAME_CONFLICT, `Name '${name}' is already in use by other access group`);
    }
    initiatorOwner(store, init.id, null);
    const rowid = store.run('INSERT INTO ags (name) VALUES (?)', name).lastInsertRowid;
    addInitiator(store, rowid, init);
    return accessGroupByRowid(store, rowid);
  });
}

export function deleteAccessGroup(sim: SimContext, group: AccessGroup): void {
  const { store } = sim;
  store.write(() => {
    const rowid = loadAccessGroup(store, group.id);
    if (store.value('SELECT 1 FROM vol_masks WHERE ag_id = ? LIMIT 1', rowid) !== undefined) {
      throw new LsmError(ErrorNumber.IS_MASKED, 'Access group has volumes masked to it');
    }
    store.run('DELETE FROM ags WHERE id = ?', rowid);
  });
}

export function addAccessGroupInitiator(sim: SimContext, group: AccessGroup, initId: string, initType: number): AccessGroup {
  const init = checkInitiator(initId, initType);
  const { store } = sim;
  return store.write(() => {
    const rowid = loadAccessGroup(store, group.id);
    if (initiatorOwner(store, init.id, rowid)) {
      throw new LsmError(ErrorNumber.NO_STATE_CHANGE, `Initiator ${describeForMessage(init.id)} is already in this access group`);
    }
    addInitiator(store, rowid, init);
    return accessGroupByRowid(store, rowid);
  });
}

export function deleteAccessGroupInitiator(sim: SimContext, group: AccessGroup, initId: string, initType: number): AccessGroup {
  const init = checkInitiator(initId, initType);
  const { store } = sim;
  return store.write(() => {
    const rowid = loadAccessGroup(store, group.id);
    if (store.value('SELECT 1 FROM inits WHERE id = ? AND ag_id = ?', init.id, rowid) === undefined) {
      throw new LsmError(ErrorNumber.NO_STATE_CHANGE, `Initiator ${describeForMessage(init.id)} is not in this access group`);
    }
    if (store.value<bigint>('SELECT count(*) FROM inits WHERE ag_id = ?', rowid) === 1n) {
      throw new LsmError(ErrorNumber.LAST_INIT_IN_ACCESS_GROUP, 'Refusing to remove the last initiator from the access group');
    }
    store.run('DELETE FROM inits WHERE id = ?', init.id);
    return accessGroupByRowid(store, rowid);
  });
}

export function maskVolume(sim: SimContext, group: AccessGroup, volume: Volume): void {
  const { store } = sim;
  store.write(() => {
    const ag = loadAccessGroup(store, group.id);
    const vol = loadVolume(store, volume.id).rowid;
    if (store.value('SELECT 1 FROM inits WHERE ag_id = ? LIMIT 1', ag) === undefined) {
      throw new LsmError(ErrorNumber.EMPTY_ACCESS_GROUP, 'Access group has no initiators');
    }
    if (store.value('SELECT 1 FROM vol_masks WHERE vol_id = ? AND ag_id = ?', vol, ag) !== undefined) {
      throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Volume is already masked to this access group');
    }
    store.run('INSERT INTO vol_masks (vol_id, ag_id) VALUES (?, ?)', vol, ag);
  });
}

export function unmaskVolume(sim: SimContext, group: AccessGroup, volume: Volume): void {
  const { store } = sim;
  store.write(() => {
    const ag = loadAccessGroup(store, group.id);
    const vol = loadVolume(store, volume.id).rowid;
    if (store.run('DELETE FROM vol_masks WHERE vol_id = ? AND ag_id = ?', vol, ag).changes === 0) {
      throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Volume is not masked to this access group');
    }
  });
}

export function volumesAccessibleBy(store: SimStore, group: AccessGroup): Volume[] {
  return store.read(() => {
    const ag = loadAccessGroup(store, group.id);
    return store.rows(`${VOLUME_SELECT} JOIN vol_masks ON vol_masks.vol_id = volumes.id WHERE vol_masks.ag_id = ? ORDER BY volumes.id`, ag)
      .map(volumeFromRow);
  });
}

export function accessGroupsGrantedTo(store: SimStore, volume: Volume): AccessGroup[] {
  return store.read(() => {
    const vol = loadVolume(store, volume.id).rowid;
    return selectAccessGroups(store, ' JOIN vol_masks ON vol_masks.ag_id = ags.id WHERE vol_masks.vol_id = ?', [vol]);
  });
}

/**
 * `iscsi_chap_auth`: validated and accepted. A simulated array has no iSCSI target to configure and lsm offers no
 * call to read CHAP settings back, so, as in lsm's simulator, nothing is stored (in particular no password).
 * A user without its password (or the reverse) is refused: no real target would accept it.
 */
export function iscsiChapAuth(initId: string, inUser: string | null, inPassword: string | null, outUser: string | null, outPassword: string | null): void {
  normalizeInitiator(initId, InitiatorType.ISCSI_IQN);
  const given = (s: string | null) => s !== null && s !== '';
  if (given(inUser) !== given(inPassword)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'in_user and in_password must be given together (or both left empty to remove authentication)');
  }
  if (given(outUser) !== given(outPassword)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'out_user and out_password must be given together (or both left empty)');
  }
  if (given(outUser) && !given(inUser)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'Outgoing (mutual) CHAP needs incoming CHAP credentials as well');
  }
  for (const [what, v] of [['in_user', inUser], ['out_user', outUser]] as const) if (v) checkName(what, v);
}
