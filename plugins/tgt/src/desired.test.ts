import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InitiatorType } from '@openlsm/core';
import { addInitiator, createGroup, mask, setChap } from './access-groups.js';
import { parseConfig } from './config.js';
import { changedAccounts, changedTargets, desiredConfig } from './desired.js';
import { isOwnTarget, splitVolumeId, targetNameFor, vpd83For } from './naming.js';
import { cloneState, emptyState } from './state.js';

const config = parseConfig([
  'target_prefix: iqn.2024-01.org.openlsm',
  'pools: [{ name: images, directory: /srv/images }, { name: disks, devices: [/dev/disk/by-id/wwn-0x5000c500a1b2c3d4] }]',
].join('\n'), 'tgt.yaml');
const IQN = InitiatorType.ISCSI_IQN;

test('one target per masked group, with the group\'s initiators, LUNs and CHAP accounts', () => {
  const s = emptyState();
  createGroup(s, 'Web_Servers', 'iqn.2024-01.org.example:a', IQN);
  addInitiator(s, 'ag-1', 'iqn.2024-01.org.example:b', IQN);
  createGroup(s, 'idle', 'iqn.2024-01.org.example:c', IQN);
  s.volumes['images/v1'] = { scsiId: '0123456789abcdef01234567' };
  mask(s, 'ag-1', 'images/v1');
  mask(s, 'ag-1', 'disks/wwn-0x5000c500a1b2c3d4');
  setChap(s, 'iqn.2024-01.org.example:b', 'b-user', 'b-secret-12345', 'b-target', 'b-target-secret');
  const d = desiredConfig(s, config);
  assert.deepEqual([...d.targets.keys()], ['iqn.2024-01.org.openlsm:ag1.web-servers']);
  const [a] = [...d.targets.values()];
  assert.deepEqual(a?.luns.map((l) => [l.lun, l.path]), [[1, '/srv/images/v1'], [2, '/dev/disk/by-id/wwn-0x5000c500a1b2c3d4']]);
  assert.equal(a?.luns[0]?.scsiId, '0123456789abcdef01234567');
  assert.match(a?.luns[1]?.scsiId ?? '', /^[0-9a-f]{24}$/, 'a volume the state does not know gets a derived id');
  assert.deepEqual([a?.initiators, a?.inUsers, a?.outUser], [['iqn.2024-01.org.example:a', 'iqn.2024-01.org.example:b'], ['b-user'], 'b-target']);
  assert.deepEqual([...d.accounts], [['b-user', 'b-secret-12345'], ['b-target', 'b-target-secret']]);

  const next = cloneState(s);
  mask(next, 'ag-2', 'images/v1');
  setChap(next, 'iqn.2024-01.org.example:b', 'b-user', 'new-secret-1234', null, null);
  const dn = desiredConfig(next, config);
  assert.deepEqual([...changedTargets(d, dn)], ['iqn.2024-01.org.openlsm:ag1.web-servers', 'iqn.2024-01.org.openlsm:ag2.idle'], 'ag1 loses its outgoing account');
  assert.deepEqual([...changedAccounts(d, dn)], ['b-user', 'b-target']);
});

test('names: lower-case targets under the prefix, NAA-6 from the SCSI id, volume ids', () => {
  assert.equal(targetNameFor('iqn.2024-01.org.openlsm', { number: 12, name: 'DB:Primary_1' }), 'iqn.2024-01.org.openlsm:ag12.db-primary-1');
  assert.ok(isOwnTarget('iqn.2024-01.org.openlsm', 'iqn.2024-01.org.openlsm:ag1.x'));
  assert.ok(!isOwnTarget('iqn.2024-01.org.openlsm', 'iqn.2024-01.org.openlsm.other:ag1.x'));
  assert.ok(!isOwnTarget('iqn.2024-01.org.openlsm', 'iqn.2024-01.org.example:vol1'));
  assert.ok(!isOwnTarget('iqn.2024-01.org.openlsm', 'iqn.2024-01.org.openlsm:agenda'), 'a look-alike made by hand is not ours');
  assert.ok(isOwnTarget('iqn.2024-01.org.openlsm', 'iqn.2024-01.org.openlsm:ag12.db'));
  assert.equal(vpd83For('0123456789abcdef01234567'), '600000000123456789abcdef01234567');
  assert.deepEqual(splitVolumeId('images/vol1'), { pool: 'images', name: 'vol1' });
  for (const bad of ['images', '/vol1', 'images/', '']) assert.throws(() => splitVolumeId(bad), /not found/);
});
