/**
 * File systems and snapshots (targetd's deprecated btrfs/ZFS API): `fs_list`, `fs_create`, `fs_destroy`,
 * `fs_clone`, `ss_list`, `fs_snapshot`, `fs_snapshot_delete`, on the backend's file systems in the `fs_pools`.
 *
 * A file system's `uuid` is the backend's id and its `full_path` is `<fs pool name>/<fs name>`, the path its NFS
 * exports are made at (nfs.ts). Unlike targetd, `fs_create` honours `size_bytes` (the backend needs a size), and
 * names are checked.
 */
import type { FileSystem, FsSnapshot } from '@openlsm/core';
import { asTargetd, nameForMessage, TargetdCode, TargetdError } from '../errors.js';
import { nullable, size, string } from '../params.js';
import type { BackendView } from '../view.js';
import { checkName, method, type MethodTable } from './method.js';

/** The targetd name of the fs pool holding backend pool `poolId`, if offered. */
function fsPoolName(view: BackendView, poolId: string): string | undefined {
  return view.state.offered.find((o) => o.poolId === poolId && o.kind === 'fs')?.name;
}

export function fullPath(poolName: string, fsName: string): string {
  return `${poolName.replace(/\/+$/, '')}/${fsName}`;
}

/** The backend's file systems in offered fs pools, with their targetd pool names. */
export async function offeredFileSystems(view: BackendView): Promise<{ fs: FileSystem; pool: string }[]> {
  if (!view.state.offered.some((o) => o.kind === 'fs')) return [];
  const all = await asTargetd('fs', () => view.call((c, o) => c.fs({}, o)));
  return all.flatMap((fs) => {
    const pool = fsPoolName(view, fs.pool_id);
    return pool === undefined ? [] : [{ fs, pool }];
  });
}

async function fileSystem(view: BackendView, uuid: string): Promise<FileSystem> {
  const [fs] = await asTargetd('fs', () => view.call((c, o) => c.fs({ search_key: 'id', search_value: uuid }, o)));
  if (!fs || fsPoolName(view, fs.pool_id) === undefined) throw new TargetdError(TargetdCode.NOT_FOUND_FS, 'fs_uuid not found');
  return fs;
}

function snapshots(view: BackendView, fs: FileSystem): Promise<FsSnapshot[]> {
  return asTargetd('snapshot', () => view.call((c, o) => c.fsSnapshots({ fs }, o)));
}

async function snapshot(view: BackendView, fs: FileSystem, uuid: string): Promise<FsSnapshot> {
  const found = (await snapshots(view, fs)).find((s) => s.id === uuid);
  if (!found) throw new TargetdError(TargetdCode.NOT_FOUND_SS, 'snapshot not found');
  return found;
}

/** Runs `fn` holding the lock of file-system name `name` in backend pool `poolId`, once the name is free. */
function withFreeFsName(view: BackendView, poolId: string, name: string, code: number, fn: () => Promise<void>): Promise<void> {
  return view.state.locks.run(`fs:${poolId}:${name}`, async () => {
    const taken = (await offeredFileSystems(view)).some(({ fs }) => fs.pool_id === poolId && fs.name === name);
    if (taken) throw new TargetdError(code, `File system ${nameForMessage(name)} exists`);
    await fn();
  });
}

export const fsMethods: MethodTable = {
  fs_list: method({}, async (view) => (await offeredFileSystems(view)).map(({ fs, pool }) => ({
    name: fs.name, uuid: fs.id, total_space: fs.total_space, free_space: fs.free_space, pool, full_path: fullPath(pool, fs.name),
  }))),

  fs_create: method({ pool_name: string, name: string, size_bytes: size }, async (view, { pool_name, name, size_bytes }) => {
    checkName(name);
    if (size_bytes === 0n) throw new TargetdError(TargetdCode.INVALID_ARGUMENT, 'size_bytes must be larger than 0: the backend sizes every file system');
    const pool = await view.pool(pool_name, 'fs');
    await withFreeFsName(view, pool.id, name, TargetdCode.EXISTS_FS_NAME, () => asTargetd('fs', async () => {
      await view.call((c, o) => c.fsCreate({ pool, name, size_bytes }, o));
    }));
    return null;
  }),

  fs_destroy: method({ uuid: string }, async (view, { uuid }) => {
    const fs = await fileSystem(view, uuid);
    // targetd deletes a file system's snapshots with it.
    for (const s of await snapshots(view, fs)) {
      await asTargetd('snapshot', () => view.call((c, o) => c.fsSnapshotDelete({ fs, snapshot: s }, o)));
    }
    await asTargetd('fs', () => view.call((c, o) => c.fsDelete({ fs }, o)));
    return null;
  }),

  fs_clone: method({ fs_uuid: string, dest_fs_name: string, snapshot_id: nullable(string) }, async (view, args) => {
    checkName(args.dest_fs_name);
    const fs = await fileSystem(view, args.fs_uuid);
    const from = args.snapshot_id ? await snapshot(view, fs, args.snapshot_id) : null;
    await withFreeFsName(view, fs.pool_id, args.dest_fs_name, TargetdCode.EXISTS_CLONE_NAME, () => asTargetd('clone', async () => {
      await view.call((c, o) => c.fsClone({ src_fs: fs, dest_fs_name: args.dest_fs_name, snapshot: from }, o));
    }));
    return null;
  }),

  ss_list: method({ fs_uuid: string }, async (view, { fs_uuid }) => {
    const fs = await fileSystem(view, fs_uuid);
    return (await snapshots(view, fs)).map((s) => ({ name: s.name, uuid: s.id, timestamp: s.ts }));
  }),

  fs_snapshot: method({ fs_uuid: string, dest_ss_name: string }, async (view, { fs_uuid, dest_ss_name }) => {
    checkName(dest_ss_name);
    const fs = await fileSystem(view, fs_uuid);
    await view.state.locks.run(`ss:${fs.id}:${dest_ss_name}`, async () => {
      if ((await snapshots(view, fs)).some((s) => s.name === dest_ss_name)) {
        throw new TargetdError(TargetdCode.EXISTS_FS_NAME, `Snapshot ${nameForMessage(dest_ss_name)} exists`);
      }
      await asTargetd('snapshot', () => view.call((c, o) => c.fsSnapshotCreate({ fs, snapshot_name: dest_ss_name }, o)));
    });
    return null;
  }),

  fs_snapshot_delete: method({ fs_uuid: string, ss_uuid: string }, async (view, { fs_uuid, ss_uuid }) => {
    const fs = await fileSystem(view, fs_uuid);
    const s = await snapshot(view, fs, ss_uuid);
    await asTargetd('snapshot', () => view.call((c, o) => c.fsSnapshotDelete({ fs, snapshot: s }, o)));
    return null;
  }),
};
