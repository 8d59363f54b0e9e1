/**
 * File systems, snapshots and NFS exports: create, name conflicts, delete and NOT_FOUND_FS, resize, clone,
 * snapshot create/list/delete, export and unexport.
 */
import {
  type CapabilityName, ErrorNumber, FsClone, FsCreate, FsDelete, FsResize, FsSnapshotCreate, FsSnapshotDelete,
} from '@openlsm/client';
import { type Check, ensure, expectError, MiB, OBJECT_SIZE } from './check.js';
import { createFs, finishId, finishPair, keepFs, keepIfMade } from './objects.js';

const CREATE: CapabilityName[] = ['FS', 'FS_CREATE', 'FS_DELETE'];

export const fsChecks: Check[] = [
  {
    id: 'fs_create',
    title: 'fs_create makes a file system of at least the size asked, listed by fs(); a used name is NAME_CONFLICT',
    needs: CREATE,
    async run(ctx) {
      const { fs, pool } = await createFs(ctx);
      ensure(fs.total_space >= OBJECT_SIZE, `file system ${fs.id} has ${fs.total_space} bytes, ${OBJECT_SIZE} were asked`);
      ensure(fs.pool_id === pool.id && fs.system_id === pool.system_id, `file system ${fs.id} is in pool ${fs.pool_id} of ${fs.system_id}, it was created in ${pool.id}`);
      ensure((await ctx.client.fs({ search_key: 'id', search_value: fs.id })).length === 1, `the new file system ${fs.id} is not listed by fs()`);
      const again = ctx.client.call(FsCreate, { pool, name: fs.name, size_bytes: OBJECT_SIZE }).then((answer) => keepIfMade(ctx, answer, (made) => keepFs(ctx, made)));
      await expectError(again, ErrorNumber.NAME_CONFLICT, `fs_create of a second ${JSON.stringify(fs.name)}`);
    },
  },
  {
    id: 'fs_delete',
    title: 'fs_delete removes the file system; deleting it again is NOT_FOUND_FS',
    needs: CREATE,
    async run(ctx) {
      const { fs } = await createFs(ctx);
      await finishId(ctx.client, await ctx.client.call(FsDelete, { fs }));
      ensure((await ctx.client.fs({ search_key: 'id', search_value: fs.id })).length === 0, `file system ${fs.id} is still listed after fs_delete`);
      await expectError(ctx.client.fsDelete({ fs }), ErrorNumber.NOT_FOUND_FS, `fs_delete of the deleted file system ${fs.id}`);
    },
  },
  {
    id: 'fs_resize',
    title: 'fs_resize grows a file system to at least the size asked',
    needs: [...CREATE, 'FS_RESIZE'],
    async run(ctx) {
      const { fs } = await createFs(ctx);
      const wanted = fs.total_space + 16n * MiB;
      const grown = await finishPair(ctx.client, await ctx.client.call(FsResize, { fs, new_size_bytes: wanted }), 'fs_resize');
      ensure(grown.id === fs.id && grown.total_space >= wanted, `fs_resize of ${fs.id} to ${wanted} answered ${grown.id} with ${grown.total_space} bytes`);
    },
  },
  {
    id: 'fs_clone',
    title: 'fs_clone makes a new file system listed by fs()',
    needs: [...CREATE, 'FS_CLONE'],
    async run(ctx) {
      const { fs } = await createFs(ctx);
      const clone = await finishPair(ctx.client, await ctx.client.call(FsClone, { src_fs: fs, dest_fs_name: ctx.name('fc') }), 'fs_clone');
      keepFs(ctx, clone);
      ensure(clone.id !== fs.id, 'fs_clone answered the source file system itself');
      ensure((await ctx.client.fs({ search_key: 'id', search_value: clone.id })).length === 1, `the clone ${clone.id} is not listed by fs()`);
    },
  },
  {
    id: 'fs_snapshot',
    title: 'fs_snapshot_create makes a snapshot listed by fs_snapshots(); fs_snapshot_delete removes it, again is NOT_FOUND_FS_SS',
    needs: [...CREATE, 'FS_SNAPSHOTS', 'FS_SNAPSHOT_CREATE', 'FS_SNAPSHOT_DELETE'],
    async run(ctx) {
      const { fs } = await createFs(ctx);
      const snapshot = await finishPair(ctx.client, await ctx.client.call(FsSnapshotCreate, { fs, snapshot_name: ctx.name('ss') }), 'fs_snapshot_create');
      ctx.cleanup.add(`snapshot ${snapshot.name} (${snapshot.id})`, () => ctx.client.fsSnapshotDelete({ fs, snapshot }));
      ensure((await ctx.client.fsSnapshots({ fs })).some((s) => s.id === snapshot.id), `snapshot ${snapshot.id} is not listed by fs_snapshots()`);
      await finishId(ctx.client, await ctx.client.call(FsSnapshotDelete, { fs, snapshot }));
      ensure(!(await ctx.client.fsSnapshots({ fs })).some((s) => s.id === snapshot.id), `snapshot ${snapshot.id} is still listed after fs_snapshot_delete`);
      await expectError(ctx.client.fsSnapshotDelete({ fs, snapshot }), ErrorNumber.NOT_FOUND_FS_SS, `fs_snapshot_delete of the deleted snapshot ${snapshot.id}`);
    },
  },
  {
    id: 'export_fs',
    title: 'export_fs exports a file system, listed by exports(); export_remove removes it',
    needs: [...CREATE, 'EXPORTS', 'EXPORT_FS', 'EXPORT_REMOVE'],
    async run(ctx) {
      const { fs } = await createFs(ctx);
      const path = ctx.supports('EXPORT_CUSTOM_PATH') ? `/olsmct/${ctx.name('ex')}` : null;
      const exported = await ctx.client.exportFs({ fs_id: fs.id, export_path: path, root_list: [], rw_list: ['192.0.2.1'], ro_list: [] });
      ctx.cleanup.add(`NFS export ${exported.export_path} (${exported.id})`, () => ctx.client.exportRemove({ export: exported }));
      ensure(exported.fs_id === fs.id, `export_fs of ${fs.id} answered an export of ${exported.fs_id}`);
      if (path !== null) ensure(exported.export_path === path, `export_fs to ${path} answered the path ${exported.export_path}`);
      ensure((await ctx.client.exports({ search_key: 'id', search_value: exported.id })).length === 1, `export ${exported.id} is not listed by exports()`);
      await ctx.client.exportRemove({ export: exported });
      ensure((await ctx.client.exports({ search_key: 'id', search_value: exported.id })).length === 0, `export ${exported.id} is still listed after export_remove`);
    },
  },
];
