/**
 * File systems, snapshots and NFS exports of the simulator through the SDK and a real plugin process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@openlsm/client';
import type { FileSystem } from '@openlsm/core';
import { ErrorNumber, GiB, lsmError, pool, withSim } from './sim-env.js';

async function makeFs(client: Client, name: string, size = GiB, poolId = 'POOL_ID_00003'): Promise<FileSystem> {
  return client.fsCreate({ pool: await pool(client, poolId), name, size_bytes: size });
}

test('fs_create and fs: takes pool space, search by id/pool_id/system_id; NAME_CONFLICT, NOT_ENOUGH_SPACE, NOT_FOUND_POOL, INVALID_ARGUMENT', () => withSim(async (client) => {
  const fs = await makeFs(client, 'fs1');
  assert.deepEqual(fs, { id: 'FS_ID_00001', name: 'fs1', total_space: GiB, free_space: GiB, pool_id: 'POOL_ID_00003', system_id: 'sim-01', plugin_data: null });
  assert.equal((await pool(client, 'POOL_ID_00003')).free_space, 511n * GiB);
  const other = await makeFs(client, 'fs2', GiB, 'POOL_ID_00004');
  assert.deepEqual(await client.fs({ search_key: 'id', search_value: other.id }), [other]);
  assert.deepEqual(await client.fs({ search_key: 'pool_id', search_value: 'POOL_ID_00003' }), [fs]);
  assert.deepEqual(await client.fs({ search_key: 'system_id', search_value: 'sim-01' }), [fs, other]);
  assert.deepEqual(await client.fs({ search_key: 'pool_id', search_value: '../POOL_ID_00003' }), []);
  await assert.rejects(makeFs(client, 'fs1'), lsmError(ErrorNumber.NAME_CONFLICT));
  await assert.rejects(makeFs(client, 'big', 600n * GiB), lsmError(ErrorNumber.NOT_ENOUGH_SPACE));
  await assert.rejects(client.fsCreate({ pool: { ...(await pool(client, 'POOL_ID_00003')), id: 'POOL_ID_00042' }, name: 'x', size_bytes: GiB }), lsmError(ErrorNumber.NOT_FOUND_POOL));
  await assert.rejects(makeFs(client, 'zero', 0n), lsmError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(makeFs(client, 'new\nline'), lsmError(ErrorNumber.INVALID_ARGUMENT));
}));

test('fs_resize: grows and shrinks with pool accounting; NO_STATE_CHANGE, NOT_ENOUGH_SPACE, NOT_FOUND_FS', () => withSim(async (client) => {
  const fs = await makeFs(client, 'fs');
  const grown = await client.fsResize({ fs, new_size_bytes: 3n * GiB });
  assert.equal(grown.total_space, 3n * GiB);
  assert.equal((await pool(client, 'POOL_ID_00003')).free_space, 509n * GiB);
  const shrunk = await client.fsResize({ fs, new_size_bytes: 2n * GiB });
  assert.equal(shrunk.total_space, 2n * GiB);
  assert.equal((await pool(client, 'POOL_ID_00003')).free_space, 510n * GiB);
  await assert.rejects(client.fsResize({ fs, new_size_bytes: 2n * GiB }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  await assert.rejects(client.fsResize({ fs, new_size_bytes: 1000n * GiB }), lsmError(ErrorNumber.NOT_ENOUGH_SPACE));
  await assert.rejects(client.fsResize({ fs: { ...fs, id: 'FS_ID_00002' }, new_size_bytes: GiB }), lsmError(ErrorNumber.NOT_FOUND_FS));
}));

test('fs_clone, fs_child_dependency and _rm; fs_delete refuses a clone source (HAS_CHILD_DEPENDENCY)', () => withSim(async (client) => {
  const fs = await makeFs(client, 'src');
  const snap = await client.fsSnapshotCreate({ fs, snapshot_name: 'snap' });
  const clone = await client.fsClone({ src_fs: fs, dest_fs_name: 'clone', snapshot: snap });
  assert.equal(clone.total_space, fs.total_space);
  assert.equal((await pool(client, 'POOL_ID_00003')).free_space, 510n * GiB);
  assert.equal(await client.fsChildDependency({ fs }), true);
  assert.equal(await client.fsChildDependency({ fs: clone }), false);
  await assert.rejects(client.fsDelete({ fs }), lsmError(ErrorNumber.HAS_CHILD_DEPENDENCY));
  await assert.rejects(client.fsClone({ src_fs: fs, dest_fs_name: 'clone' }), lsmError(ErrorNumber.NAME_CONFLICT));
  await assert.rejects(client.fsClone({ src_fs: fs, dest_fs_name: 'c2', snapshot: { ...snap, id: 'FS_SNAP_ID_00009' } }), lsmError(ErrorNumber.NOT_FOUND_FS_SS));
  await assert.rejects(client.fsClone({ src_fs: { ...fs, id: 'FS_ID_00009' }, dest_fs_name: 'c3' }), lsmError(ErrorNumber.NOT_FOUND_FS));
  await client.fsChildDependencyRm({ fs });
  assert.equal(await client.fsChildDependency({ fs }), false);
  await assert.rejects(client.fsChildDependencyRm({ fs }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  await client.fsDelete({ fs });
  assert.deepEqual((await client.fs()).map((f) => f.name), ['clone']);
  assert.equal((await pool(client, 'POOL_ID_00003')).free_space, 511n * GiB);
  await assert.rejects(client.fsDelete({ fs }), lsmError(ErrorNumber.NOT_FOUND_FS));
  await assert.rejects(client.fsChildDependency({ fs }), lsmError(ErrorNumber.NOT_FOUND_FS));
}));

test('fs_file_clone: file-level dependencies, removable per file; NOT_FOUND_FS, NOT_FOUND_FS_SS, INVALID_ARGUMENT', () => withSim(async (client) => {
  const fs = await makeFs(client, 'fs');
  const snap = await client.fsSnapshotCreate({ fs, snapshot_name: 's' });
  await client.fsFileClone({ fs, src_file_name: 'a.img', dest_file_name: 'a-copy.img' });
  await client.fsFileClone({ fs, src_file_name: 'b.img', dest_file_name: 'b-copy.img', snapshot: snap });
  assert.equal(await client.fsChildDependency({ fs, files: ['a.img'] }), true);
  assert.equal(await client.fsChildDependency({ fs, files: ['zzz'] }), false);
  await client.fsChildDependencyRm({ fs, files: ['a.img'] });
  assert.equal(await client.fsChildDependency({ fs, files: ['a.img'] }), false);
  assert.equal(await client.fsChildDependency({ fs, files: ['b.img'] }), true);
  await assert.rejects(client.fsChildDependencyRm({ fs, files: ['a.img'] }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  await assert.rejects(client.fsFileClone({ fs: { ...fs, id: 'FS_ID_00002' }, src_file_name: 'a', dest_file_name: 'b' }), lsmError(ErrorNumber.NOT_FOUND_FS));
  await assert.rejects(client.fsFileClone({ fs, src_file_name: 'a', dest_file_name: 'b', snapshot: { ...snap, id: 'FS_SNAP_ID_00002' } }), lsmError(ErrorNumber.NOT_FOUND_FS_SS));
  await assert.rejects(client.fsFileClone({ fs, src_file_name: '', dest_file_name: 'b' }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.fsFileClone({ fs, src_file_name: 'a', dest_file_name: 'a' }), lsmError(ErrorNumber.INVALID_ARGUMENT));
}));

test('fs_snapshot_create, fs_snapshots, _delete, _restore: names unique across file systems; NOT_FOUND_FS_SS for another fs\'s snapshot', () => withSim(async (client) => {
  const fs = await makeFs(client, 'fs');
  const fs2 = await makeFs(client, 'fs2');
  const before = Math.floor(Date.now() / 1000);
  const snap = await client.fsSnapshotCreate({ fs, snapshot_name: 'daily' });
  assert.equal(snap.id, 'FS_SNAP_ID_00001');
  assert.equal(snap.name, 'daily');
  assert.ok(snap.ts >= before - 1 && snap.ts <= before + 60);
  assert.deepEqual(await client.fsSnapshots({ fs }), [snap]);
  assert.deepEqual(await client.fsSnapshots({ fs: fs2 }), []);
  await assert.rejects(client.fsSnapshotCreate({ fs: fs2, snapshot_name: 'daily' }), lsmError(ErrorNumber.NAME_CONFLICT));
  await assert.rejects(client.fsSnapshotCreate({ fs: { ...fs, id: 'FS_ID_00003' }, snapshot_name: 'x' }), lsmError(ErrorNumber.NOT_FOUND_FS));
  await client.fsSnapshotRestore({ fs, snapshot: snap, all_files: true });
  await client.fsSnapshotRestore({ fs, snapshot: snap, files: ['a', 'b'], restore_files: ['a.old', 'b.old'], all_files: false });
  await assert.rejects(client.fsSnapshotRestore({ fs, snapshot: snap, files: [], all_files: false }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.fsSnapshotRestore({ fs, snapshot: snap, files: ['a', 'b'], restore_files: ['x'], all_files: false }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.fsSnapshotRestore({ fs: fs2, snapshot: snap, all_files: true }), lsmError(ErrorNumber.NOT_FOUND_FS_SS));
  await assert.rejects(client.fsSnapshotDelete({ fs: fs2, snapshot: snap }), lsmError(ErrorNumber.NOT_FOUND_FS_SS));
  await client.fsSnapshotDelete({ fs, snapshot: snap });
  assert.deepEqual(await client.fsSnapshots({ fs }), []);
  await assert.rejects(client.fsSnapshotDelete({ fs, snapshot: snap }), lsmError(ErrorNumber.NOT_FOUND_FS_SS));
  await assert.rejects(client.fsSnapshots({ fs: { ...fs, id: 'FS_ID_00009' } }), lsmError(ErrorNumber.NOT_FOUND_FS));
  // Deleting a file system deletes its snapshots with it.
  await client.fsSnapshotCreate({ fs: fs2, snapshot_name: 'gone-with-fs' });
  await client.fsDelete({ fs: fs2 });
  const again = await makeFs(client, 'fs3');
  await client.fsSnapshotCreate({ fs: again, snapshot_name: 'gone-with-fs' });
}));

test('export_auth, export_fs, exports, export_remove: default and custom paths; NAME_CONFLICT, INVALID_ARGUMENT, NOT_FOUND_FS, NOT_FOUND_NFS_EXPORT', () => withSim(async (client) => {
  assert.deepEqual(await client.exportAuth(), ['standard']);
  const fs = await makeFs(client, 'fs');
  const exp = await client.exportFs({ fs_id: fs.id, rw_list: ['10.0.0.1'], root_list: ['10.0.0.1'] });
  assert.match(exp.export_path, /^\/nfs_exp_[0-9a-f]{8}$/);
  assert.deepEqual({ ...exp, export_path: '' }, {
    // No auth type given: none recorded (lsm's simulator stores an empty string).
    id: 'EXP_ID_00001', fs_id: fs.id, export_path: '', auth: '', root: ['10.0.0.1'], rw: ['10.0.0.1'], ro: [],
    anonuid: -1, anongid: -1, options: '', plugin_data: null,
  });
  const custom = await client.exportFs({ fs_id: fs.id, export_path: '/srv/share one', ro_list: ['host-b', 'host-a'], anon_uid: 65534, anon_gid: 65534, auth_type: 'standard', options: 'sync' });
  assert.deepEqual([custom.export_path, custom.ro, custom.anonuid, custom.auth, custom.options], ['/srv/share one', ['host-b', 'host-a'], 65534, 'standard', 'sync']);
  assert.deepEqual(await client.exports(), [exp, custom]);
  assert.deepEqual(await client.exports({ search_key: 'id', search_value: custom.id }), [custom]);
  assert.deepEqual(await client.exports({ search_key: 'fs_id', search_value: fs.id }), [exp, custom]);
  assert.deepEqual(await client.exports({ search_key: 'fs_id', search_value: 'FS_ID_00002' }), []);
  await assert.rejects(client.exportFs({ fs_id: fs.id, export_path: '/srv/share one', rw_list: ['h'] }), lsmError(ErrorNumber.NAME_CONFLICT));
  await assert.rejects(client.exportFs({ fs_id: 'FS_ID_00002', rw_list: ['h'] }), lsmError(ErrorNumber.NOT_FOUND_FS));
  await assert.rejects(client.exportFs({ fs_id: '; reboot', rw_list: ['h'] }), lsmError(ErrorNumber.NOT_FOUND_FS));
  const invalid: [Record<string, unknown>, RegExp][] = [
    [{ export_path: 'relative', rw_list: ['h'] }, /absolute/],
    [{ export_path: '/a/../etc', rw_list: ['h'] }, /'\.\.'/],
    [{ export_path: '/x\n/y', rw_list: ['h'] }, /control/],
    [{ rw_list: ['h'], ro_list: ['h'] }, /both/],
    [{ rw_list: ['bad host'] }, /blanks/],
    [{ rw_list: [] }, /at least one host/],
    [{ rw_list: ['h'], auth_type: 'kerberos' }, /auth_type/],
    [{ rw_list: ['h'], anon_uid: -5 }, /anon_uid/],
  ];
  for (const [params, why] of invalid) {
    await assert.rejects(client.exportFs({ fs_id: fs.id, ...params }), lsmError(ErrorNumber.INVALID_ARGUMENT, why));
  }
  await client.exportRemove({ export: exp });
  assert.deepEqual(await client.exports(), [custom]);
  await assert.rejects(client.exportRemove({ export: exp }), lsmError(ErrorNumber.NOT_FOUND_NFS_EXPORT));
  // Exports go with their file system.
  await client.fsDelete({ fs });
  assert.deepEqual(await client.exports(), []);
}));
