import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorNumber, InitiatorType, LsmError } from '@openlsm/core';
import { addInitiator, createGroup, deleteGroup, mask, removeInitiator, setChap, unmask } from './access-groups.js';
import { emptyState } from './state.js';

const IQN = InitiatorType.ISCSI_IQN;
const H1 = 'iqn.2024-01.org.example:h1';
const H2 = 'iqn.2024-01.org.example:h2';

function code(n: number) {
  return (err: unknown) => err instanceof LsmError && err.code === n;
}

test('lsm\'s access-group rules', () => {
  const s = emptyState();
  const g = createGroup(s, 'hosts', 'IQN.2024-01.ORG.EXAMPLE:H1', IQN);
  assert.deepEqual([g.id, g.initiators], ['ag-1', [H1]], 'ids are normalised as lsm does');
  assert.throws(() => createGroup(s, 'hosts', H2, IQN), code(ErrorNumber.NAME_CONFLICT));
  assert.throws(() => createGroup(s, 'other', H1, IQN), code(ErrorNumber.EXISTS_INITIATOR));
  assert.throws(() => createGroup(s, 'fc', '10:00:00:00:c9:95:2f:de', InitiatorType.WWPN), code(ErrorNumber.NO_SUPPORT));
  assert.throws(() => createGroup(s, 'bad;name', H2, IQN), code(ErrorNumber.INVALID_ARGUMENT));
  assert.throws(() => createGroup(s, 'x', 'not-an-iqn', IQN), code(ErrorNumber.INVALID_ARGUMENT));
  assert.throws(() => addInitiator(s, 'ag-1', H1, IQN), code(ErrorNumber.NO_STATE_CHANGE));
  assert.deepEqual(addInitiator(s, 'ag-1', H2, IQN).initiators, [H1, H2]);
  assert.throws(() => addInitiator(s, 'ag-9', H2, IQN), code(ErrorNumber.NOT_FOUND_ACCESS_GROUP));
  removeInitiator(s, 'ag-1', H1, IQN);
  assert.throws(() => removeInitiator(s, 'ag-1', H2, IQN), code(ErrorNumber.LAST_INIT_IN_ACCESS_GROUP));
  assert.deepEqual(addInitiator(s, 'ag-1', H1, IQN).initiators, [H2, H1]);
});

test('masking picks the lowest free LUN per group; repeats are NO_STATE_CHANGE; masked groups stay', () => {
  const s = emptyState();
  createGroup(s, 'a', H1, IQN);
  createGroup(s, 'b', H2, IQN);
  assert.deepEqual([mask(s, 'ag-1', 'p/v1'), mask(s, 'ag-1', 'p/v2'), mask(s, 'ag-2', 'p/v2')], [1, 2, 1]);
  assert.throws(() => mask(s, 'ag-1', 'p/v1'), code(ErrorNumber.NO_STATE_CHANGE));
  unmask(s, 'ag-1', 'p/v1');
  assert.throws(() => unmask(s, 'ag-1', 'p/v1'), code(ErrorNumber.NO_STATE_CHANGE));
  assert.equal(mask(s, 'ag-1', 'p/v3'), 1, 'LUN 1 is free again');
  assert.throws(() => deleteGroup(s, 'ag-1'), code(ErrorNumber.IS_MASKED));
  unmask(s, 'ag-1', 'p/v2');
  unmask(s, 'ag-1', 'p/v3');
  deleteGroup(s, 'ag-1');
  assert.deepEqual(s.accessGroups.map((g) => g.id), ['ag-2']);
  assert.equal(createGroup(s, 'c', H1, IQN).id, 'ag-3', 'ids are never reused');
});

test('CHAP: pairs, mutual needs incoming, global user names, removal', () => {
  const s = emptyState();
  setChap(s, H1, 'u1', 'secret-one-1234', 'o1', 'secret-out-1234');
  assert.deepEqual(s.chap[H1], { in: { user: 'u1', secret: 'secret-one-1234' }, out: { user: 'o1', secret: 'secret-out-1234' } });
  assert.throws(() => setChap(s, H2, 'u2', null, null, null), code(ErrorNumber.INVALID_ARGUMENT));
  assert.throws(() => setChap(s, H2, null, null, 'o2', 'secret-o2-12345'), code(ErrorNumber.INVALID_ARGUMENT));
  assert.throws(() => setChap(s, H2, 'same', 'secret-x-123456', 'same', 'secret-y-123456'), code(ErrorNumber.INVALID_ARGUMENT));
  assert.throws(() => setChap(s, H2, 'u1', 'another-secret-1', null, null), code(ErrorNumber.NAME_CONFLICT));
  setChap(s, H2, 'u1', 'secret-one-1234', null, null);
  assert.throws(() => setChap(s, H2, 'u,x', 'secret-one-1234', null, null), code(ErrorNumber.INVALID_ARGUMENT));
  assert.throws(() => setChap(s, H2, 'u2', 'has space in it', null, null), (err) => err instanceof LsmError && !err.message.includes('has space'));
  setChap(s, H1, '', '', null, null);
  assert.equal(s.chap[H1], undefined);
});

test('CHAP within a group: one outgoing credential for its one target, at most 16 incoming user names', () => {
  const s = emptyState();
  createGroup(s, 'cluster', H1, IQN);
  addInitiator(s, 'ag-1', H2, IQN);
  setChap(s, H1, 'u1', 'secret-one-1234', 'tgt', 'target-secret-1');
  assert.throws(() => setChap(s, H2, 'u2', 'secret-two-1234', 'tgt2', 'target-secret-2'), code(ErrorNumber.NO_SUPPORT));
  setChap(s, H2, 'u2', 'secret-two-1234', 'tgt', 'target-secret-1');
  setChap(s, H2, 'u2', 'secret-two-1234', null, null);
  const H3 = 'iqn.2024-01.org.example:h3';
  setChap(s, H3, 'u3', 'secret-three-123', 'other', 'other-secret-12');
  assert.throws(() => addInitiator(s, 'ag-1', H3, IQN), code(ErrorNumber.NO_SUPPORT), 'its outgoing credential would be a second one');
  for (let i = 4; i < 20; i++) setChap(s, `iqn.2024-01.org.example:h${i}`, `u${i}`, `secret-${i}-123456`, null, null);
  for (let i = 4; i < 18; i++) addInitiator(s, 'ag-1', `iqn.2024-01.org.example:h${i}`, IQN);
  assert.throws(() => addInitiator(s, 'ag-1', 'iqn.2024-01.org.example:h18', IQN), code(ErrorNumber.NO_SUPPORT), 'a 17th incoming user name');
});
