/**
 * File systems and their snapshots (targetd's btrfs/ZFS `fs_pools`; the API is deprecated upstream but served).
 * All calls are synchronous on targetd, so the lsm calls answer `[null, item]` at once.
 */
import { describeForMessage, ErrorNumber, type FileSystem, type FsSnapshot, LsmError, type Pool } from '@openlsm/core';
import { toFs, toSnapshot } from './model.js';
import { checkName } from './names.js';
import type { CallOptions } from './rpc.js';
import type { Session } from './session.js';

export async function listFs(s: Session, c: CallOptions): Promise<FileSystem[]> {
  return (await s.api.fsList(c)).map(toFs);
}

async function fsNamed(s: Session, pool: string, name: string, c: CallOptions): Promise<FileSystem> {
  const fs = (await listFs(s, c)).find((f) => f.pool_id === pool && f.name === name);
  if (!fs) throw new LsmError(ErrorNumber.PLUGIN_BUG, `targetd accepted file system ${describeForMessage(name)} but does not list it in pool ${describeForMessage(pool)}`);
  return fs;
}

export async function createFs(s: Session, pool: Pool, name: string, size: bigint, c: CallOptions): Promise<[null, FileSystem]> {
  checkName('file system', name);
  if (!pool.id.startsWith('/')) throw new LsmError(ErrorNumber.NO_SUPPORT, `Pool ${describeForMessage(pool.id)} holds volumes, not file systems`);
  // targetd ignores the size: a btrfs subvolume shares its pool's space.
  await s.api.fsCreate(pool.id, name, size, c);
  return [null, await fsNamed(s, pool.id, name, c)];
}

export async function deleteFs(s: Session, fs: FileSystem, c: CallOptions): Promise<void> {
  await s.api.fsDestroy(fs.id, c);
}

export async function cloneFs(s: Session, source: FileSystem, name: string, snapshot: FsSnapshot | null, c: CallOptions): Promise<[null, FileSystem]> {
  checkName('file system', name);
  await s.api.fsClone(source.id, name, snapshot?.id ?? null, c);
  return [null, await fsNamed(s, source.pool_id, name, c)];
}

export async function listSnapshots(s: Session, fs: FileSystem, c: CallOptions): Promise<FsSnapshot[]> {
  return (await s.api.ssList(fs.id, c)).map(toSnapshot);
}

export async function createSnapshot(s: Session, fs: FileSystem, name: string, c: CallOptions): Promise<[null, FsSnapshot]> {
  checkName('snapshot', name);
  await s.api.fsSnapshot(fs.id, name, c);
  const snapshot = (await listSnapshots(s, fs, c)).find((ss) => ss.name === name);
  if (!snapshot) throw new LsmError(ErrorNumber.PLUGIN_BUG, `targetd accepted snapshot ${describeForMessage(name)} but does not list it`);
  return [null, snapshot];
}

export async function deleteSnapshot(s: Session, fs: FileSystem, snapshot: FsSnapshot, c: CallOptions): Promise<void> {
  await s.api.fsSnapshotDelete(fs.id, snapshot.id, c);
}
