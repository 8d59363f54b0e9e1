/**
 * lsmcli access groups, masking and CHAP against the simulator.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newSim, rows } from './harness.js';

const IQN1 = 'iqn.1994-05.com.example:host1';
const IQN2 = 'iqn.1994-05.com.example:host2';

describe('lsmcli access groups', () => {
  test('create, add, remove, mask, unmask, list by volume and by group, delete', async (t) => {
    const sim = newSim(t);
    await sim.ok(['vc', '--name', 'v1', '--size', '1GiB', '--pool', 'POOL_ID_00004']);
    const created = await sim.ok(['ac', '--name', 'hosts', '--init', IQN1, '--sys', 'sim-01']);
    assert.match(created, /^ID +\| Name +\| Initiator IDs +\| System ID/);
    assert.deepEqual(rows(created)[0], ['AG_ID_00001', 'hosts', IQN1, 'sim-01']);

    const added = await sim.ok(['access-group-add', '--ag', 'AG_ID_00001', '--init', '0x10000000C9952FDE']);
    // Several initiators: continuation rows with blank cells.
    assert.deepEqual(rows(added).map((r) => r[2]), [IQN1, '10:00:00:00:c9:95:2f:de']);
    assert.deepEqual(rows(added)[1]?.[0], '');
    const script = await sim.ok(['-s', 'la']);
    assert.match(script, /\nType +\| iSCSI\/WWPN Mixed/);

    const twice = await sim.cli(['aa', '--ag', 'AG_ID_00001', '--init', IQN1]);
    assert.equal(twice.code, 4);
    assert.match(twice.stderr, /^NO_STATE_CHANGE\(125\)/);
    const other = await sim.cli(['ac', '--name', 'other', '--init', IQN1, '--sys', 'sim-01']);
    assert.equal(other.code, 4);
    assert.match(other.stderr, /^EXISTS_INITIATOR\(52\)/);

    assert.equal(await sim.ok(['vm', '--vol', 'VOL_ID_00001', '--ag', 'AG_ID_00001']), '');
    const [byVol, byAg, agVols, volAgs] = await Promise.all([
      sim.ok(['la', '--vol', 'VOL_ID_00001']),
      sim.ok(['lv', '--ag', 'AG_ID_00001']),
      sim.ok(['access-group-volumes', '--ag', 'AG_ID_00001']),
      sim.json<{ id: string }[]>(['volume-access-group', '--vol', 'VOL_ID_00001']),
    ]);
    assert.equal(rows(byVol)[0]?.[0], 'AG_ID_00001');
    assert.equal(rows(byAg)[0]?.[0], 'VOL_ID_00001');
    assert.equal(rows(agVols)[0]?.[0], 'VOL_ID_00001');
    assert.deepEqual(volAgs.map((g) => g.id), ['AG_ID_00001']);

    const masked = await sim.cli(['-f', 'vd', '--vol', 'VOL_ID_00001']);
    assert.equal(masked.code, 4);
    assert.equal(masked.stderr, 'IS_MASKED(160): Volume is masked to access group\n');
    const busy = await sim.cli(['ad', '--ag', 'AG_ID_00001']);
    assert.equal(busy.code, 4);
    assert.equal(await sim.ok(['vu', '--vol', 'VOL_ID_00001', '--ag', 'AG_ID_00001']), '');
    assert.equal(await sim.ok(['lv', '--ag', 'AG_ID_00001']), '');

    const removed = await sim.ok(['ar', '--ag', 'AG_ID_00001', '--init', '10:00:00:00:c9:95:2f:de']);
    assert.deepEqual(rows(removed).map((r) => r[2]), [IQN1]);
    const last = await sim.cli(['access-group-remove', '--ag', 'AG_ID_00001', '--init', IQN1]);
    assert.equal(last.code, 4);
    assert.match(last.stderr, /^LAST_INIT_IN_ACCESS_GROUP\(502\)/);
    assert.equal(await sim.ok(['access-group-delete', '--ag', 'AG_ID_00001']), '');
    assert.deepEqual(await sim.json(['la']), []);
  });

  test('initiator and CHAP argument rules', async (t) => {
    const sim = newSim(t);
    await sim.ok(['ls']);
    const [badInit, chap, chapBoth, inOnly, outOnly, chapWwpn] = await Promise.all([
      sim.cli(['ac', '--name', 'g', '--init', 'not-an-initiator', '--sys', 'sim-01']),
      sim.cli(['iscsi-chap', '--init', IQN2, '--in-user', 'u', '--in-pass', 'secret-in']),
      sim.cli(['iscsi-chap', '--init', IQN2, '--in-user', 'u', '--in-pass', 'p', '--out-user', 'o', '--out-pass', 'q']),
      sim.cli(['iscsi-chap', '--init', IQN2, '--in-user', 'u']),
      sim.cli(['iscsi-chap', '--init', IQN2, '--out-user', 'o', '--out-pass', 'q']),
      sim.cli(['iscsi-chap', '--init', '10:00:00:00:c9:95:2f:de']),
    ]);
    assert.equal(badInit.code, 2);
    assert.equal(badInit.stderr, 'lsmcli: error: --init "not-an-initiator" is not a valid WWPN or iSCSI IQN\n');
    assert.equal(chap.code, 0, chap.stderr);
    assert.equal(chap.stdout + chap.stderr, '', 'nothing printed, the password least of all');
    assert.equal(chapBoth.code, 0, chapBoth.stderr);
    assert.equal(inOnly.code, 2);
    assert.equal(inOnly.stderr, 'lsmcli: error: --in-user requires --in-pass\n');
    assert.equal(outOnly.code, 2);
    assert.equal(outOnly.stderr, 'lsmcli: error: out-user and out-password only supported if inbound is supplied\n');
    assert.equal(chapWwpn.code, 2);
  });
});
