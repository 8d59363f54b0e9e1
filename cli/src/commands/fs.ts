/**
 * File systems, their snapshots, NFS exports and file clones.
 */
import {
  ErrorNumber, type FileSystem, FsChildDependencyRm, FsClone, FsCreate, FsDelete, FsFileClone, FsResize,
  FsSnapshotCreate, FsSnapshotDelete, FsSnapshotRestore, type FsSnapshot, LsmError,
} from '@openlsm/core';
import type { Context } from '../context.js';
import { ArgError } from '../errors.js';
import { runMaybeJob } from '../jobs.js';
import { exportView, fileSystemView, snapshotView } from '../output/columns.js';
import { resolveExport, resolveFs, resolvePool, resolveSnapshot } from '../resolve.js';
import { type Handler, optStr, str, strList } from './handler.js';
import { confirmed } from './volume.js';

function printFs(ctx: Context, fs: unknown): void {
  if (fs) ctx.out.objects(fileSystemView, [fs as FileSystem]);
}

const create: Handler = async (ctx, opts) => {
  const pool = await resolvePool(ctx, str(opts, 'pool'));
  printFs(ctx, await runMaybeJob(ctx, FsCreate, { pool, name: str(opts, 'name'), size_bytes: opts.size as bigint }));
};

const remove: Handler = async (ctx, opts) => {
  const fs = await resolveFs(ctx, str(opts, 'fs'));
  if (!(await confirmed(ctx, 'will'))) return;
  await runMaybeJob(ctx, FsDelete, { fs });
};

const resize: Handler = async (ctx, opts) => {
  const fs = await resolveFs(ctx, str(opts, 'fs'));
  const size = opts.size as bigint;
  if (size === fs.total_space) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Specified size same as current');
  if (!(await confirmed(ctx, 'may'))) return;
  printFs(ctx, await runMaybeJob(ctx, FsResize, { fs, new_size_bytes: size }));
};

// Host names, IP addresses, networks (10.0.0.0/24) and NFS wildcards (*.example.com, host[1-3]).
const HOST_RE = /^[A-Za-z0-9_*?[\]][A-Za-z0-9_.:*?[\]/-]{0,252}$/;

/** NFS host entries are checked before they reach the array (no blanks, options, or shell characters). */
export function checkHosts(option: string, hosts: readonly string[]): string[] {
  for (const h of hosts) {
    if (!HOST_RE.test(h)) throw new ArgError(`${option} ${JSON.stringify(h.slice(0, 64))} is not a valid host name or address`);
  }
  return [...hosts];
}

const exportFs: Handler = async (ctx, opts) => {
  const rw = checkHosts('--rw-host', strList(opts, 'rwHost'));
  const ro = checkHosts('--ro-host', strList(opts, 'roHost'));
  const root = checkHosts('--root-host', strList(opts, 'rootHost'));
  if (rw.length === 0 && ro.length === 0) throw new ArgError('please specify --ro-host or --rw-host');
  const fs = await resolveFs(ctx, str(opts, 'fs'));
  const created = await (await ctx.client()).exportFs({
    fs_id: fs.id,
    export_path: optStr(opts, 'exportpath') ?? null,
    root_list: root,
    rw_list: rw,
    ro_list: ro,
    anon_uid: (opts.anonuid as number | undefined) ?? -1,
    anon_gid: (opts.anongid as number | undefined) ?? -1,
    auth_type: optStr(opts, 'authType') ?? null,
    options: null,
  });
  ctx.out.objects(exportView, [created]);
};

const unexport: Handler = async (ctx, opts) => {
  const nfsExport = await resolveExport(ctx, str(opts, 'export'));
  await (await ctx.client()).exportRemove({ export: nfsExport });
};

async function backingSnapshot(ctx: Context, fs: FileSystem, opts: Record<string, unknown>): Promise<FsSnapshot | null> {
  const id = optStr(opts, 'backingSnapshot');
  return id === undefined ? null : resolveSnapshot(ctx, fs, id);
}

const clone: Handler = async (ctx, opts) => {
  const src = await resolveFs(ctx, str(opts, 'srcFs'));
  const snapshot = await backingSnapshot(ctx, src, opts);
  printFs(ctx, await runMaybeJob(ctx, FsClone, { src_fs: src, dest_fs_name: str(opts, 'dstName'), snapshot }));
};

const fileClone: Handler = async (ctx, opts) => {
  const fs = await resolveFs(ctx, str(opts, 'fs'));
  const snapshot = await backingSnapshot(ctx, fs, opts);
  await runMaybeJob(ctx, FsFileClone, { fs, src_file_name: str(opts, 'src'), dest_file_name: str(opts, 'dst'), snapshot });
};

const snapCreate: Handler = async (ctx, opts) => {
  const fs = await resolveFs(ctx, str(opts, 'fs'));
  const snapshot = await runMaybeJob(ctx, FsSnapshotCreate, { fs, snapshot_name: str(opts, 'name') });
  if (snapshot) ctx.out.objects(snapshotView, [snapshot as FsSnapshot]);
};

const snapDelete: Handler = async (ctx, opts) => {
  const fs = await resolveFs(ctx, str(opts, 'fs'));
  const snapshot = await resolveSnapshot(ctx, fs, str(opts, 'snap'));
  if (!(await confirmed(ctx, 'will'))) return;
  await runMaybeJob(ctx, FsSnapshotDelete, { fs, snapshot });
};

const snapRestore: Handler = async (ctx, opts) => {
  const files = strList(opts, 'file');
  const restoreFiles = strList(opts, 'fileas');
  if (restoreFiles.length > 0 && restoreFiles.length !== files.length) {
    throw new ArgError('The number of --fileas must match the number of --file');
  }
  const fs = await resolveFs(ctx, str(opts, 'fs'));
  const snapshot = await resolveSnapshot(ctx, fs, str(opts, 'snap'));
  if (!(await confirmed(ctx, 'will'))) return;
  await runMaybeJob(ctx, FsSnapshotRestore, {
    fs,
    snapshot,
    files: files.length ? files : null,
    restore_files: restoreFiles.length ? restoreFiles : null,
    all_files: files.length === 0,
  });
};

const dependants: Handler = async (ctx, opts) => {
  const fs = await resolveFs(ctx, str(opts, 'fs'));
  const files = strList(opts, 'file');
  const has = await (await ctx.client()).fsChildDependency({ fs, files: files.length ? files : null });
  ctx.out.value(has ? 'True' : 'False', has);
};

const dependantsRm: Handler = async (ctx, opts) => {
  const fs = await resolveFs(ctx, str(opts, 'fs'));
  const files = strList(opts, 'file');
  await runMaybeJob(ctx, FsChildDependencyRm, { fs, files: files.length ? files : null });
};

export const handlers: Record<string, Handler> = {
  'fs-create': create,
  'fs-delete': remove,
  'fs-resize': resize,
  'fs-export': exportFs,
  'fs-unexport': unexport,
  'fs-clone': clone,
  'file-clone': fileClone,
  'fs-snap-create': snapCreate,
  'fs-snap-delete': snapDelete,
  'fs-snap-restore': snapRestore,
  'fs-dependants': dependants,
  'fs-dependants-rm': dependantsRm,
};
