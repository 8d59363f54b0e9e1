/**
 * Access groups, masking and CHAP through the SDK and a real plugin process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@openlsm/client';
import { InitiatorType, type System } from '@openlsm/core';
import { ErrorNumber, GiB, lsmError, pool, withSim } from './sim-env.js';

const IQN1 = 'iqn.1994-05.com.domain:01.abc';
const IQN2 = 'iqn.1994-05.com.domain:01.def';
const WWPN = '10:00:00:00:c9:95:2f:de';

async function system(client: Client): Promise<System> {
  return (await client.systems())[0]!;
}

test('access_group_create: normalises the initiator; NAME_CONFLICT, EXISTS_INITIATOR, INVALID_ARGUMENT, NO_SUPPORT, NOT_FOUND_SYSTEM', () => withSim(async (client) => {
  const sys = await system(client);
  const ag = await client.accessGroupCreate({ name: 'ag1', init_id: 'IQN.1994-05.COM.DOMAIN:01.ABC', init_type: InitiatorType.ISCSI_IQN, system: sys });
  assert.deepEqual(ag, { id: 'AG_ID_00001', name: 'ag1', init_ids: [IQN1], init_type: InitiatorType.ISCSI_IQN, system_id: 'sim-01', plugin_data: null });
  const fc = await client.accessGroupCreate({ name: 'fc', init_id: '0x10000000C9952FDE', init_type: InitiatorType.WWPN, system: sys });
  assert.deepEqual(fc.init_ids, [WWPN]);
  assert.equal(fc.init_type, InitiatorType.WWPN);
  await assert.rejects(client.accessGroupCreate({ name: 'ag1', init_id: IQN2, init_type: 5, system: sys }), lsmError(ErrorNumber.NAME_CONFLICT));
  await assert.rejects(client.accessGroupCreate({ name: 'other', init_id: IQN1, init_type: 5, system: sys }), lsmError(ErrorNumber.EXISTS_INITIATOR));
  await assert.rejects(client.accessGroupCreate({ name: 'bad', init_id: 'iqn.x; rm -rf /', init_type: 5, system: sys }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.accessGroupCreate({ name: 'bad', init_id: IQN2, init_type: InitiatorType.WWPN, system: sys }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.accessGroupCreate({ name: 'bad', init_id: IQN2, init_type: InitiatorType.OTHER, system: sys }), lsmError(ErrorNumber.NO_SUPPORT));
  await assert.rejects(client.accessGroupCreate({ name: 'bad\u0000', init_id: IQN2, init_type: 5, system: sys }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.accessGroupCreate({ name: 'x', init_id: IQN2, init_type: 5, system: { ...sys, id: 'sim-99' } }), lsmError(ErrorNumber.NOT_FOUND_SYSTEM));
  assert.deepEqual((await client.accessGroups()).map((g) => g.name), ['ag1', 'fc']);
}));

test('access_groups: search by id and system_id', () => withSim(async (client) => {
  const sys = await system(client);
  const a = await client.accessGroupCreate({ name: 'a', init_id: IQN1, init_type: 5, system: sys });
  const b = await client.accessGroupCreate({ name: 'b', init_id: IQN2, init_type: 5, system: sys });
  assert.deepEqual(await client.accessGroups({ search_key: 'id', search_value: b.id }), [b]);
  assert.deepEqual(await client.accessGroups({ search_key: 'system_id', search_value: 'sim-01' }), [a, b]);
  assert.deepEqual(await client.accessGroups({ search_key: 'id', search_value: 'AG_ID_00003' }), []);
}));

test('access_group_initiator_add / _delete: mixed types; NO_STATE_CHANGE, EXISTS_INITIATOR, LAST_INIT_IN_ACCESS_GROUP, NOT_FOUND_ACCESS_GROUP', () => withSim(async (client) => {
  const sys = await system(client);
  const ag = await client.accessGroupCreate({ name: 'ag', init_id: IQN1, init_type: 5, system: sys });
  const other = await client.accessGroupCreate({ name: 'other', init_id: IQN2, init_type: 5, system: sys });
  const mixed = await client.accessGroupInitiatorAdd({ access_group: ag, init_id: '10-00-00-00-c9-95-2f-de', init_type: InitiatorType.WWPN });
  assert.deepEqual(mixed.init_ids, [IQN1, WWPN]);
  assert.equal(mixed.init_type, InitiatorType.ISCSI_WWPN_MIXED);
  await assert.rejects(client.accessGroupInitiatorAdd({ access_group: ag, init_id: WWPN, init_type: 2 }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  await assert.rejects(client.accessGroupInitiatorAdd({ access_group: ag, init_id: IQN2, init_type: 5 }), lsmError(ErrorNumber.EXISTS_INITIATOR));
  await assert.rejects(client.accessGroupInitiatorAdd({ access_group: ag, init_id: 'garbage', init_type: 5 }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  const back = await client.accessGroupInitiatorDelete({ access_group: ag, init_id: IQN1, init_type: 5 });
  assert.deepEqual(back.init_ids, [WWPN]);
  assert.equal(back.init_type, InitiatorType.WWPN);
  await assert.rejects(client.accessGroupInitiatorDelete({ access_group: ag, init_id: IQN1, init_type: 5 }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  await assert.rejects(client.accessGroupInitiatorDelete({ access_group: ag, init_id: WWPN, init_type: 2 }), lsmError(ErrorNumber.LAST_INIT_IN_ACCESS_GROUP));
  await assert.rejects(client.accessGroupInitiatorDelete({ access_group: other, init_id: WWPN, init_type: 2 }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  const ghost = { ...ag, id: 'AG_ID_00077' };
  await assert.rejects(client.accessGroupInitiatorAdd({ access_group: ghost, init_id: 'iqn.2000-01.com.x:y', init_type: 5 }), lsmError(ErrorNumber.NOT_FOUND_ACCESS_GROUP));
  await assert.rejects(client.accessGroupInitiatorDelete({ access_group: ghost, init_id: WWPN, init_type: 2 }), lsmError(ErrorNumber.NOT_FOUND_ACCESS_GROUP));
}));

test('volume_mask / volume_unmask and both "granted to" queries; NO_STATE_CHANGE, NOT_FOUND_*', () => withSim(async (client) => {
  const sys = await system(client);
  const ag = await client.accessGroupCreate({ name: 'ag', init_id: IQN1, init_type: 5, system: sys });
  const ag2 = await client.accessGroupCreate({ name: 'ag2', init_id: IQN2, init_type: 5, system: sys });
  const p = await pool(client, 'POOL_ID_00004');
  const v1 = await client.volumeCreate({ pool: p, volume_name: 'v1', size_bytes: GiB });
  const v2 = await client.volumeCreate({ pool: p, volume_name: 'v2', size_bytes: GiB });
  await client.volumeMask({ access_group: ag, volume: v1 });
  await client.volumeMask({ access_group: ag, volume: v2 });
  await client.volumeMask({ access_group: ag2, volume: v1 });
  await assert.rejects(client.volumeMask({ access_group: ag, volume: v1 }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  assert.deepEqual(await client.volumesAccessibleByAccessGroup({ access_group: ag }), [v1, v2]);
  assert.deepEqual((await client.accessGroupsGrantedToVolume({ volume: v1 })).map((g) => g.id), [ag.id, ag2.id]);
  assert.deepEqual(await client.accessGroupsGrantedToVolume({ volume: v2 }), [ag]);
  await client.volumeUnmask({ access_group: ag, volume: v1 });
  await assert.rejects(client.volumeUnmask({ access_group: ag, volume: v1 }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  assert.deepEqual(await client.volumesAccessibleByAccessGroup({ access_group: ag }), [v2]);
  const ghostVol = { ...v1, id: 'VOL_ID_00050' };
  const ghostAg = { ...ag, id: 'AG_ID_00050' };
  await assert.rejects(client.volumeMask({ access_group: ag, volume: ghostVol }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
  await assert.rejects(client.volumeMask({ access_group: ghostAg, volume: v1 }), lsmError(ErrorNumber.NOT_FOUND_ACCESS_GROUP));
  await assert.rejects(client.volumeUnmask({ access_group: ghostAg, volume: v1 }), lsmError(ErrorNumber.NOT_FOUND_ACCESS_GROUP));
  await assert.rejects(client.volumesAccessibleByAccessGroup({ access_group: ghostAg }), lsmError(ErrorNumber.NOT_FOUND_ACCESS_GROUP));
  await assert.rejects(client.accessGroupsGrantedToVolume({ volume: ghostVol }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
}));

test('access_group_delete: IS_MASKED while volumes are masked; NOT_FOUND_ACCESS_GROUP after; its initiators are free again', () => withSim(async (client) => {
  const sys = await system(client);
  const ag = await client.accessGroupCreate({ name: 'ag', init_id: IQN1, init_type: 5, system: sys });
  const v = await client.volumeCreate({ pool: await pool(client, 'POOL_ID_00004'), volume_name: 'v', size_bytes: GiB });
  await client.volumeMask({ access_group: ag, volume: v });
  await assert.rejects(client.accessGroupDelete({ access_group: ag }), lsmError(ErrorNumber.IS_MASKED));
  await client.volumeUnmask({ access_group: ag, volume: v });
  await client.accessGroupDelete({ access_group: ag });
  assert.deepEqual(await client.accessGroups(), []);
  await assert.rejects(client.accessGroupDelete({ access_group: ag }), lsmError(ErrorNumber.NOT_FOUND_ACCESS_GROUP));
  const again = await client.accessGroupCreate({ name: 'ag', init_id: IQN1, init_type: 5, system: sys });
  assert.equal(again.id, 'AG_ID_00002');
}));

test('iscsi_chap_auth: accepted for an IQN, with or without credentials; refused for a WWPN or half-given credentials', () => withSim(async (client) => {
  await client.iscsiChapAuth({ init_id: IQN1, in_user: 'user', in_password: 'secret', out_user: null, out_password: null });
  await client.iscsiChapAuth({ init_id: IQN1, in_user: 'user', in_password: 'secret', out_user: 'tgt', out_password: 'secret2' });
  await client.iscsiChapAuth({ init_id: IQN1 });
  await assert.rejects(client.iscsiChapAuth({ init_id: WWPN, in_user: 'u', in_password: 'p' }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.iscsiChapAuth({ init_id: IQN1, in_user: 'u', in_password: null }), lsmError(ErrorNumber.INVALID_ARGUMENT, /in_password/));
  await assert.rejects(client.iscsiChapAuth({ init_id: IQN1, out_user: 'u', out_password: 'p' }), lsmError(ErrorNumber.INVALID_ARGUMENT));
}));
