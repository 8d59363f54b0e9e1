/**
 * lsmcli file systems, snapshots, clones and NFS exports against the simulator.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newSim, rows } from './harness.js';

interface FsJson {
  id: string;
  name: string;
  total_space: number;
}

describe('lsmcli file systems', () => {
  test('create, resize, snapshots, restore, clone, file clone, dependants, delete', async (t) => {
    const sim = newSim(t);
    const created = await sim.ok(['fs-create', '--name', 'fs1', '--size', '100GiB', '--pool', 'POOL_ID_00001']);
    assert.match(created, /^ID +\| Name +\| Total Space +\| Free Space +\| Pool ID +\| System ID/);
    const fsId = rows(created)[0]?.[0] ?? '';
    assert.equal(rows(created)[0]?.[2], '107374182400');
    const resized = await sim.ok(['-f', 'fs-resize', '--fs', fsId, '--size', '200GiB']);
    assert.equal(rows(resized)[0]?.[2], '214748364800');
    const same = await sim.cli(['-f', 'fs-resize', '--fs', fsId, '--size', '200GiB']);
    assert.equal(same.code, 4);
    assert.equal(same.stderr, 'NO_STATE_CHANGE(125): Specified size same as current\n');

    const snap = await sim.ok(['fs-snap-create', '--name', 'snap1', '--fs', fsId]);
    assert.match(snap, /^ID +\| Name +\| Time Stamp/);
    const snapId = rows(snap)[0]?.[0] ?? '';
    assert.match(rows(snap)[0]?.[2] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const snaps = await sim.json<{ id: string; ts: number }[]>(['list', '--type', 'snapshots', '--fs', fsId]);
    assert.deepEqual(snaps.map((s) => s.id), [snapId]);
    assert.equal(typeof snaps[0]?.ts, 'number');

    assert.equal(await sim.ok(['-f', 'fs-snap-restore', '--snap', snapId, '--fs', fsId]), '');
    assert.equal(await sim.ok(['-f', 'fs-snap-restore', '--snap', snapId, '--fs', fsId, '--file', 'a', '--fileas', 'b']), '');
    const fileas = await sim.cli(['-f', 'fs-snap-restore', '--snap', snapId, '--fs', fsId, '--file', 'a', '--fileas', 'b', '--fileas', 'c']);
    assert.equal(fileas.code, 2);

    const clone = await sim.ok(['fs-clone', '--src-fs', fsId, '--dst-name', 'fs1-clone', '--backing-snapshot', snapId]);
    assert.equal(rows(clone)[0]?.[1], 'fs1-clone');
    assert.equal(await sim.ok(['fs-dependants', '--fs', fsId]), 'True\n');
    assert.equal(await sim.ok(['file-clone', '--fs', fsId, '--src', 'a.img', '--dst', 'b.img']), '');
    const blocked = await sim.cli(['-f', 'fs-delete', '--fs', fsId]);
    assert.equal(blocked.code, 4);
    assert.match(blocked.stderr, /^HAS_CHILD_DEPENDENCY\(161\)/);
    await sim.ok(['fs-dependants-rm', '--fs', fsId]);
    assert.equal(await sim.ok(['fs-dependants', '--fs', fsId]), 'False\n');

    assert.equal(await sim.ok(['-f', 'fs-snap-delete', '--snap', snapId, '--fs', fsId]), '');
    assert.equal(await sim.ok(['list', '--type', 'snapshots', '--fs', fsId]), '');
    assert.equal(await sim.ok(['-f', 'fs-delete', '--fs', fsId]), '');
    assert.deepEqual((await sim.json<FsJson[]>(['lf'])).map((f) => f.name), ['fs1-clone']);
  });

  test('NFS export and unexport', async (t) => {
    const sim = newSim(t);
    await sim.ok(['fs-create', '--name', 'fs1', '--size', '1GiB', '--pool', 'POOL_ID_00001']);
    const noHost = await sim.cli(['fs-export', '--fs', 'FS_ID_00001']);
    assert.equal(noHost.code, 2);
    assert.equal(noHost.stderr, 'lsmcli: error: please specify --ro-host or --rw-host\n');
    const badHost = await sim.cli(['fs-export', '--fs', 'FS_ID_00001', '--rw-host', 'a;reboot']);
    assert.equal(badHost.code, 2);
    const exported = await sim.ok(['fs-export', '--fs', 'FS_ID_00001', '--rw-host', '10.0.0.1', '--rw-host', '10.0.0.2', '--ro-host', '192.168.0.0/24', '--anonuid', '1000']);
    assert.match(exported, /^ID +\| FileSystem ID \| Export Path +\| Root Hosts \| RW Hosts +\| RO Hosts +\| Options/);
    const table = rows(exported);
    assert.equal(table[0]?.[1], 'FS_ID_00001');
    assert.match(table[0]?.[2] ?? '', /^\/nfs_exp_[0-9a-f]{8}$/);
    assert.deepEqual(table.map((r) => r[4]), ['10.0.0.1', '10.0.0.2']);
    const exports = await sim.json<{ id: string; rw: string[]; anonuid: number }[]>(['list', '--type', 'exports', '--fs', 'FS_ID_00001']);
    assert.deepEqual(exports[0]?.rw, ['10.0.0.1', '10.0.0.2']);
    assert.equal(exports[0]?.anonuid, 1000);
    const script = await sim.ok(['-s', 'list', '--type', 'exports']);
    assert.match(script, /\nAnonymous UID +\| 1000/);
    assert.equal(await sim.ok(['fs-unexport', '--export', exports[0]?.id ?? '']), '');
    assert.deepEqual(await sim.json(['list', '--type', 'exports']), []);
  });
});
