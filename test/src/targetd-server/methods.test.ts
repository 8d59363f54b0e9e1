/**
 * Every targetd method of openlsm-targetd over HTTPS with keep-alive, backed by the simulator: results in
 * targetd's shapes, targetd's error codes, and the places where targetd is wrong and we are not (names
 * checked, nothing half-made, host LUN ids that do not collide, initiator names compared case-insensitively).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { RpcClient, rpcError } from './rpc-client.js';
import { FS_POOL, PASSWORD, POOL, type RunningServer, startServer, USER } from './server-env.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const H1 = 'iqn.1994-05.com.example:host1';
const H2 = 'iqn.1994-05.com.example:host2';
const H3 = 'iqn.1994-05.com.example:host3';

interface Vol { name: string; size: number; uuid: string }
interface Exp { initiator_wwn: string; lun: number; vol_name: string; pool: string; vol_uuid: string; vol_size: number }
interface MapEntry { ag_name: string; h_lun_id: number; pool_name: string; vol_name: string }

describe('openlsm-targetd methods (HTTPS, sim backend)', () => {
  let server: RunningServer;
  let rpc: RpcClient;

  before(async () => {
    server = await startServer({ tls: true });
    rpc = new RpcClient(server.target, USER, PASSWORD);
  });
  after(async () => {
    rpc.close();
    assert.equal(await server.stop(), 0);
  });

  const volumes = () => rpc.call<Vol[]>('vol_list', { pool: POOL });
  const volume = async (name: string) => (await volumes()).find((v) => v.name === name);
  const create = (name: string, size = GiB) => rpc.call('vol_create', { pool: POOL, name, size });

  it('pool_list: the offered block and fs pools under their targetd names, sizes exact', async () => {
    const pools = await rpc.call<Record<string, unknown>[]>('pool_list');
    assert.deepEqual(pools, [
      { name: POOL, size: 2n ** 61n, free_size: 2n ** 61n, type: 'block', uuid: 'POOL_ID_00004' },
      { name: FS_POOL, size: 2n ** 61n, free_size: 2n ** 61n, type: 'fs' },
    ]);
  });

  it('vol_create, vol_list, vol_resize, vol_copy, vol_destroy', async () => {
    assert.equal(await create('v1'), null);
    const v1 = await volume('v1');
    assert.equal(v1?.size, GiB);
    assert.match(v1?.uuid ?? '', /^VOL_ID_\d+$/);
    await assert.rejects(create('v1'), rpcError(-50, /exists/));

    await assert.rejects(rpc.call('vol_resize', { pool: POOL, name: 'v1', size: GiB }), rpcError(-32602, /larger/));
    assert.equal(await rpc.call('vol_resize', { pool: POOL, name: 'v1', size: 2 * GiB }), null);
    assert.equal((await volume('v1'))?.size, 2 * GiB);

    assert.equal(await rpc.call('vol_copy', { pool: POOL, vol_orig: 'v1', vol_new: 'v1_copy' }), null);
    assert.equal((await volume('v1_copy'))?.size, 2 * GiB);
    assert.notEqual((await volume('v1_copy'))?.uuid, v1?.uuid);
    await assert.rejects(rpc.call('vol_copy', { pool: POOL, vol_orig: 'v1', vol_new: 'v1_small', size: GiB }), rpcError(-32602));
    assert.equal(await volume('v1_small'), undefined);
    assert.equal(await rpc.call('vol_copy', { pool: POOL, vol_orig: 'v1', vol_new: 'v1_big', size: 3 * GiB, timeout: 10 }), null);
    assert.equal((await volume('v1_big'))?.size, 3 * GiB);
    await assert.rejects(rpc.call('vol_copy', { pool: POOL, vol_orig: 'v1', vol_new: 'v1_copy' }), rpcError(-50));
    await assert.rejects(rpc.call('vol_copy', { pool: POOL, vol_orig: 'nope', vol_new: 'x' }), rpcError(-103));

    for (const name of ['v1', 'v1_copy', 'v1_big']) assert.equal(await rpc.call('vol_destroy', { pool: POOL, name }), null);
    await assert.rejects(rpc.call('vol_destroy', { pool: POOL, name: 'v1' }), rpcError(-103, /not found/));
    await assert.rejects(rpc.call('vol_resize', { pool: POOL, name: 'v1', size: GiB }), rpcError(-103));
    await assert.rejects(rpc.call('vol_create', { pool: 'Pool 1', name: 'x', size: GiB }), rpcError(-110, /^Invalid pool \(Pool 1\)$/));
  });

  it('hostile names and bad values are refused before the backend sees them, and nothing is created', async () => {
    const before = await volumes();
    for (const name of ['a;b', '../x', 'a/b', 'line\nbreak', 'x'.repeat(300), '', 'spa ce', 'dot.ted', 'é', '$(reboot)']) {
      await assert.rejects(create(name), rpcError(-32602, /^Illegal name/), JSON.stringify(name.slice(0, 20)));
    }
    await assert.rejects(create('x'.repeat(10_000)), rpcError(-32602, /name must be at most 4096 characters/));
    await assert.rejects(rpc.call('vol_create', { pool: POOL, name: 'ok', size: '1024' }), rpcError(-32602, /size must be/));
    await assert.rejects(rpc.call('vol_create', { pool: POOL, name: 'ok', size: 1.5 }), rpcError(-32602, /size must be/));
    await assert.rejects(rpc.call('vol_create', { pool: POOL, name: 'ok', size: -1 }), rpcError(-32602, /size must be/));
    await assert.rejects(rpc.call('vol_create', { pool: POOL, name: 'ok', size: 0 }), rpcError(-32602));
    await assert.rejects(rpc.call('vol_create', { pool: ['x'], name: 'ok', size: 1 }), rpcError(-32602, /pool must be a string/));
    await assert.rejects(rpc.call('vol_list', { pool: 'p\n'.repeat(5_000) }), rpcError(-32602));
    await assert.rejects(rpc.call('vol_list', { pool: 'evil\npool' }), rpcError(-110, /^Invalid pool \("evil\\npool"\)$/));
    await assert.rejects(rpc.call('vol_create', { pool: POOL, name: 'huge', size: 2n ** 62n * 3n }), rpcError(-32602));
    await assert.rejects(rpc.call('vol_create', { pool: POOL, name: 'toobig', size: 2 ** 62 }), rpcError(-1, /^NOT_ENOUGH_SPACE: not enough space in the pool/));
    assert.deepEqual(await volumes(), before);
  });

  it('per-initiator exports: LUN numbers as asked, idempotent, no leftovers, case-insensitive initiators', async () => {
    await create('e1');
    await create('e2');
    assert.equal(await rpc.call('export_create', { pool: POOL, vol: 'e1', initiator_wwn: H1, lun: 5 }), null);
    assert.equal(await rpc.call('export_create', { pool: POOL, vol: 'e1', initiator_wwn: H1.toUpperCase().replace('IQN.', 'iqn.'), lun: 5 }), null);
    const [e] = await rpc.call<Exp[]>('export_list');
    const e1 = await volume('e1');
    assert.deepEqual(e, { initiator_wwn: H1, lun: 5, vol_name: 'e1', pool: POOL, vol_uuid: e1?.uuid, vol_size: GiB });
    await assert.rejects(rpc.call('export_create', { pool: POOL, vol: 'e1', initiator_wwn: H1, lun: 6 }), rpcError(-1, /already exported .* as LUN 5/));
    await assert.rejects(rpc.call('export_create', { pool: POOL, vol: 'e2', initiator_wwn: H1, lun: 5 }), rpcError(-1, /LUN 5 .* already used by volume e1/));
    assert.equal(await rpc.call('export_create', { pool: POOL, vol: 'e2', initiator_wwn: H1, lun: 0 }), null);
    assert.deepEqual((await rpc.call<Exp[]>('export_list')).map((x) => [x.vol_name, x.lun]).sort(), [['e1', 5], ['e2', 0]]);

    // targetd creates the NodeACL before it looks the volume up; nothing is left behind here.
    await assert.rejects(rpc.call('export_create', { pool: POOL, vol: 'nope', initiator_wwn: H3, lun: 0 }), rpcError(-103));
    await assert.rejects(rpc.call('export_create', { pool: POOL, vol: 'e1', initiator_wwn: 'not-an-iqn', lun: 0 }), rpcError(-32602));
    await assert.rejects(rpc.call('export_create', { pool: POOL, vol: 'e1', initiator_wwn: H3, lun: 256 }), rpcError(-32602, /lun must be/));
    assert.deepEqual(await rpc.call('initiator_list'), [{ init_id: H1, init_type: 'iscsi' }]);
    assert.deepEqual(await rpc.call('initiator_list', { standalone_only: true }), [{ init_id: H1, init_type: 'iscsi' }]);
    await assert.rejects(rpc.call('initiator_list', { standalone_only: 'False' }), rpcError(-32602, /JSON boolean/));

    await assert.rejects(rpc.call('vol_destroy', { pool: POOL, name: 'e1' }), rpcError(-303, /while exported/));
    assert.equal(await rpc.call('export_destroy', { pool: POOL, vol: 'e1', initiator_wwn: H1 }), null);
    await assert.rejects(rpc.call('export_destroy', { pool: POOL, vol: 'e1', initiator_wwn: H1 }), rpcError(-151, /not found in .* exports/));
    assert.equal((await rpc.call<Exp[]>('export_list')).length, 1);
    assert.equal(await rpc.call('export_destroy', { pool: POOL, vol: 'e2', initiator_wwn: H1.toUpperCase().replace('IQN.', 'iqn.') }), null);
    assert.deepEqual(await rpc.call('export_list'), []);
    // The initiator went with its last export, as targetd deletes the NodeACL.
    assert.deepEqual(await rpc.call('initiator_list'), []);
    await rpc.call('vol_destroy', { pool: POOL, name: 'e1' });
    await rpc.call('vol_destroy', { pool: POOL, name: 'e2' });
  });

  it('initiator_set_auth: CHAP in and mutual, cleared with nulls; secrets never logged', async () => {
    assert.equal(await rpc.call('initiator_set_auth', { initiator_wwn: H1, in_user: 'inuser', in_pass: 'chap-in-S3cr3t', out_user: 'outuser', out_pass: 'chap-out-S3cr3t' }), null);
    assert.equal(await rpc.call('initiator_set_auth', { initiator_wwn: H1, in_user: null, in_pass: null, out_user: null, out_pass: null }), null);
    await assert.rejects(rpc.call('initiator_set_auth', { initiator_wwn: H1, in_user: null, in_pass: null, out_user: 'o', out_pass: 'p' }), rpcError(-32602, /incoming/));
    await assert.rejects(rpc.call('initiator_set_auth', { initiator_wwn: 'bad;iqn', in_user: null, in_pass: null, out_user: null, out_pass: null }), rpcError(-32602));
    await assert.rejects(rpc.call('initiator_set_auth', { initiator_wwn: H1, in_user: 'u', in_pass: 3, out_user: null, out_pass: null }), rpcError(-32602, /in_pass must be a string/));
    await assert.rejects(rpc.call('initiator_set_auth', { initiator_wwn: H1 }), rpcError(-32602, /^invalid method arguments\(s\)$/));
    assert.ok(!server.stderr().includes('S3cr3t'));
  });

  it('access groups: create, members, mappings with LUN ids that do not collide, map_list, last member, destroy', async () => {
    for (const v of ['ga', 'gb', 'gc']) await create(v);
    assert.equal(await rpc.call('access_group_create', { ag_name: 'ag1', init_id: H1, init_type: 'iscsi' }), null);
    await assert.rejects(rpc.call('access_group_create', { ag_name: 'ag1', init_id: H2, init_type: 'iscsi' }), rpcError(-50, /in use/));
    await assert.rejects(rpc.call('access_group_create', { ag_name: 'ag2', init_id: H1, init_type: 'iscsi' }), rpcError(-52, /in use/));
    assert.equal(await rpc.call('access_group_init_add', { ag_name: 'ag1', init_id: H2, init_type: 'iscsi' }), null);
    assert.equal(await rpc.call('access_group_init_add', { ag_name: 'ag1', init_id: H2, init_type: 'iscsi' }), null);
    await assert.rejects(rpc.call('access_group_init_add', { ag_name: 'ag2', init_id: H2, init_type: 'iscsi' }), rpcError(-52, /other access group/));
    await assert.rejects(rpc.call('access_group_init_add', { ag_name: 'ag2', init_id: H3, init_type: 'fc' }), rpcError(-153));
    assert.deepEqual(await rpc.call('access_group_list'), [{ name: 'ag1', init_ids: [H1, H2], init_type: 'iscsi' }]);

    // Without h_lun_id, targetd gives the second volume LUN 0 again and fails; here each gets the lowest free id.
    assert.equal(await rpc.call('access_group_map_create', { pool_name: POOL, vol_name: 'ga', ag_name: 'ag1' }), null);
    assert.equal(await rpc.call('access_group_map_create', { pool_name: POOL, vol_name: 'gb', ag_name: 'ag1', h_lun_id: null }), null);
    await assert.rejects(rpc.call('access_group_map_create', { pool_name: POOL, vol_name: 'gc', ag_name: 'ag1', h_lun_id: 1 }), rpcError(-1, /already used .* by volume gb/));
    assert.equal(await rpc.call('access_group_map_create', { pool_name: POOL, vol_name: 'gc', ag_name: 'ag1', h_lun_id: 7 }), null);
    assert.equal(await rpc.call('access_group_map_create', { pool_name: POOL, vol_name: 'gc', ag_name: 'ag1', h_lun_id: 9 }), null);
    await assert.rejects(rpc.call('access_group_map_create', { pool_name: POOL, vol_name: 'ga', ag_name: 'nogroup' }), rpcError(-200, /not found/));
    await assert.rejects(rpc.call('access_group_map_create', { pool_name: POOL, vol_name: 'nope', ag_name: 'ag1' }), rpcError(-103));
    const maps = await rpc.call<MapEntry[]>('access_group_map_list');
    assert.deepEqual(maps.map((m) => [m.vol_name, m.h_lun_id]).sort(), [['ga', 0], ['gb', 1], ['gc', 7]]);
    assert.ok(maps.every((m) => m.ag_name === 'ag1' && m.pool_name === POOL));
    // export_list shows every member's LUNs, as targetd's NodeACL listing does.
    const exports = await rpc.call<Exp[]>('export_list');
    assert.equal(exports.length, 6);
    assert.deepEqual([...new Set(exports.map((x) => x.initiator_wwn))].sort(), [H1, H2]);
    assert.deepEqual(await rpc.call('initiator_list', { standalone_only: true }), []);
    await assert.rejects(rpc.call('export_create', { pool: POOL, vol: 'ga', initiator_wwn: H1, lun: 3 }), rpcError(-52, /access group ag1/));

    assert.equal(await rpc.call('access_group_map_destroy', { pool_name: POOL, vol_name: 'gb', ag_name: 'ag1' }), null);
    assert.equal(await rpc.call('access_group_map_destroy', { pool_name: POOL, vol_name: 'gb', ag_name: 'ag1' }), null);
    assert.equal(await rpc.call('access_group_map_destroy', { pool_name: POOL, vol_name: 'gb', ag_name: 'nogroup' }), null);
    await assert.rejects(rpc.call('access_group_map_destroy', { pool_name: 'nopool', vol_name: 'gb', ag_name: 'ag1' }), rpcError(-110));
    // The freed id is reused.
    assert.equal(await rpc.call('access_group_map_create', { pool_name: POOL, vol_name: 'gb', ag_name: 'ag1' }), null);
    assert.deepEqual((await rpc.call<MapEntry[]>('access_group_map_list')).map((m) => [m.vol_name, m.h_lun_id]).sort(), [['ga', 0], ['gb', 1], ['gc', 7]]);

    assert.equal(await rpc.call('access_group_init_del', { ag_name: 'ag1', init_id: H2, init_type: 'iscsi' }), null);
    assert.equal(await rpc.call('access_group_init_del', { ag_name: 'ag1', init_id: H2, init_type: 'iscsi' }), null);
    assert.deepEqual(await rpc.call('access_group_list'), [{ name: 'ag1', init_ids: [H1], init_type: 'iscsi' }]);
    // Removing the last member removes the group and its mappings (lsm alone would refuse).
    assert.equal(await rpc.call('access_group_init_del', { ag_name: 'ag1', init_id: H1, init_type: 'iscsi' }), null);
    assert.deepEqual(await rpc.call('access_group_list'), []);
    assert.deepEqual(await rpc.call('access_group_map_list'), []);

    // access_group_init_add on a missing group creates it; access_group_destroy undoes its mappings.
    assert.equal(await rpc.call('access_group_init_add', { ag_name: 'ag3', init_id: H3, init_type: 'iscsi' }), null);
    await rpc.call('access_group_map_create', { pool_name: POOL, vol_name: 'ga', ag_name: 'ag3' });
    assert.equal(await rpc.call('access_group_destroy', { ag_name: 'ag3' }), null);
    assert.equal(await rpc.call('access_group_destroy', { ag_name: 'ag3' }), null);
    assert.deepEqual(await rpc.call('access_group_list'), []);
    assert.deepEqual(await rpc.call('export_list'), []);
    for (const v of ['ga', 'gb', 'gc']) assert.equal(await rpc.call('vol_destroy', { pool: POOL, name: v }), null);
  });

  it('file systems and snapshots', async () => {
    assert.deepEqual(await rpc.call('fs_list'), []);
    assert.equal(await rpc.call('fs_create', { pool_name: FS_POOL, name: 'fs1', size_bytes: GiB }), null);
    await assert.rejects(rpc.call('fs_create', { pool_name: FS_POOL, name: 'fs1', size_bytes: GiB }), rpcError(-53));
    await assert.rejects(rpc.call('fs_create', { pool_name: POOL, name: 'fs9', size_bytes: GiB }), rpcError(-110));
    await assert.rejects(rpc.call('fs_create', { pool_name: FS_POOL, name: '../etc', size_bytes: GiB }), rpcError(-32602));
    const [fs1] = await rpc.call<Record<string, unknown>[]>('fs_list');
    assert.deepEqual({ ...fs1, uuid: undefined }, { name: 'fs1', uuid: undefined, total_space: GiB, free_space: GiB, pool: FS_POOL, full_path: `${FS_POOL}/fs1` });
    const uuid = fs1?.uuid as string;

    assert.equal(await rpc.call('fs_snapshot', { fs_uuid: uuid, dest_ss_name: 'ss1' }), null);
    await assert.rejects(rpc.call('fs_snapshot', { fs_uuid: uuid, dest_ss_name: 'ss1' }), rpcError(-53));
    const [ss1] = await rpc.call<{ name: string; uuid: string; timestamp: number }[]>('ss_list', { fs_uuid: uuid });
    assert.equal(ss1?.name, 'ss1');
    assert.ok(Number.isInteger(ss1?.timestamp) && (ss1?.timestamp ?? 0) > 1_600_000_000);
    assert.equal(await rpc.call('fs_clone', { fs_uuid: uuid, dest_fs_name: 'fs2', snapshot_id: ss1?.uuid }), null);
    await assert.rejects(rpc.call('fs_clone', { fs_uuid: uuid, dest_fs_name: 'fs2', snapshot_id: null }), rpcError(-51));
    await assert.rejects(rpc.call('fs_clone', { fs_uuid: uuid, dest_fs_name: 'fs3', snapshot_id: 'nope' }), rpcError(-112));
    await assert.rejects(rpc.call('ss_list', { fs_uuid: 'nope' }), rpcError(-104, /^fs_uuid not found$/));
    await assert.rejects(rpc.call('fs_snapshot_delete', { fs_uuid: uuid, ss_uuid: 'nope' }), rpcError(-112, /^snapshot not found$/));
    const fs2 = (await rpc.call<Record<string, unknown>[]>('fs_list')).find((f) => f.name === 'fs2');
    assert.equal(await rpc.call('fs_destroy', { uuid: fs2?.uuid }), null);
    // fs_destroy takes the snapshots with it.
    assert.equal(await rpc.call('fs_destroy', { uuid }), null);
    assert.deepEqual(await rpc.call('fs_list'), []);
    await assert.rejects(rpc.call('fs_destroy', { uuid }), rpcError(-104));
  });

  it('NFS exports: per host, options, conflicts, removal', async () => {
    assert.deepEqual(await rpc.call('nfs_export_auth_list'), ['standard']);
    await rpc.call('fs_create', { pool_name: FS_POOL, name: 'share', size_bytes: GiB });
    const path = `${FS_POOL}/share`;
    assert.deepEqual(await rpc.call('nfs_export_add', { host: '192.0.2.1', path, options: ['rw', 'no_root_squash', 'sync'] }), { host: '192.0.2.1', path });
    assert.deepEqual(await rpc.call('nfs_export_list'), [{ host: '192.0.2.1', path, options: ['rw', 'no_root_squash', 'sync'] }]);
    assert.deepEqual(await rpc.call('nfs_export_add', { host: '192.0.2.0/24', path, options: 'sync' }), { host: '192.0.2.0/24', path });
    await assert.rejects(rpc.call('nfs_export_add', { host: 'h4', path, options: ['sec=standard'] }), rpcError(-32602, /with sec \(none\)/));
    const list = await rpc.call<{ host: string; options: string[] }[]>('nfs_export_list');
    assert.deepEqual(list.map((e) => [e.host, e.options[0]]).sort(), [['192.0.2.0/24', 'ro'], ['192.0.2.1', 'rw']]);
    await assert.rejects(rpc.call('nfs_export_add', { host: 'h3', path, options: ['anonuid=5'] }), rpcError(-32602, /share it/));
    await assert.rejects(rpc.call('nfs_export_add', { host: 'h3', path, options: ['rw', 'ro'] }), rpcError(-32602, /^Both RO & RW set$/));
    await assert.rejects(rpc.call('nfs_export_add', { host: 'h3', path, options: ['bogus'] }), rpcError(-32602, /not valid/));
    await assert.rejects(rpc.call('nfs_export_add', { host: 'h3', path, export_path: '/x' }), rpcError(-401));
    await assert.rejects(rpc.call('nfs_export_add', { host: 'h3', path, chown: '0:0' }), rpcError(-153));
    await assert.rejects(rpc.call('nfs_export_add', { host: 'h3', path: '/srv/targetd/none' }), rpcError(-104));
    await assert.rejects(rpc.call('nfs_export_add', { host: 'bad host(rw)', path }), rpcError(-32602));
    assert.equal((await rpc.call<unknown[]>('nfs_export_list')).length, 2);

    assert.equal(await rpc.call('nfs_export_remove', { host: '192.0.2.1', path }), null);
    await assert.rejects(rpc.call('nfs_export_remove', { host: '192.0.2.1', path }), rpcError(-400));
    assert.deepEqual((await rpc.call<{ host: string }[]>('nfs_export_list')).map((e) => e.host), ['192.0.2.0/24']);
    assert.equal(await rpc.call('nfs_export_remove', { host: '192.0.2.0/24', path }), null);
    assert.deepEqual(await rpc.call('nfs_export_list'), []);
  });
});

describe('openlsm-targetd LUN numbers across a restart', () => {
  it('a restarted server lists the same host LUN ids', async () => {
    let server = await startServer();
    const dir = server.dir;
    try {
      let rpc = new RpcClient(server.target, USER, PASSWORD);
      await rpc.call('vol_create', { pool: POOL, name: 'keep', size: MiB });
      await rpc.call('export_create', { pool: POOL, vol: 'keep', initiator_wwn: H1, lun: 42 });
      await rpc.call('access_group_create', { ag_name: 'agk', init_id: H2, init_type: 'iscsi' });
      await rpc.call('access_group_map_create', { pool_name: POOL, vol_name: 'keep', ag_name: 'agk', h_lun_id: 17 });
      rpc.close();
      server.proc.kill('SIGTERM');
      await new Promise((resolve) => server.proc.once('exit', resolve));
      server = await startServer({ dir });
      rpc = new RpcClient(server.target, USER, PASSWORD);
      assert.deepEqual((await rpc.call<Exp[]>('export_list')).map((e) => [e.initiator_wwn, e.lun]).sort(), [[H1, 42], [H2, 17]]);
      assert.deepEqual(await rpc.call('access_group_map_list'), [{ ag_name: 'agk', h_lun_id: 17, pool_name: POOL, vol_name: 'keep' }]);
      rpc.close();
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
