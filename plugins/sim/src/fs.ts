/**
 * File systems, their snapshots and clones. A file system takes its whole size from its pool; a clone is a new
 * file system of the same size that depends on its source (HAS_CHILD_DEPENDENCY until the dependency is removed).
 */
import {
  ErrorNumber, type FileSystem, type FsSnapshot, LsmError, type Pool, PoolElementType,
} from '@openlsm/core';
import type { SimContext } from './context.js';
import { Ids, notFound, requireId, sqlId, SYSTEM_ID } from './ids.js';
import { createJob } from './jobs.js';
import { searchCondition } from './search.js';
import type { SimStore } from './store.js';
import { giveSpace, loadPool, loadPoolRow, type PoolRow, takeSpace } from './system.js';
import { checkName, checkPositiveSize } from './validate.js';

const FS_SELECT = `SELECT ${sqlId(Ids.fs, 'fss.id')}, fss.name, fss.total_space, fss.free_space,
  ${sqlId(Ids.pool, 'fss.pool_id')} FROM fss`;

function fsFromRow(r: unknown[]): FileSystem {
  return {
    id: r[0] as string,
    name: r[1] as string,
    total_space: r[2] as bigint,
    free_space: r[3] as bigint,
    pool_id: r[4] as string,
    system_id: SYSTEM_ID,
    plugin_data: null,
  };
}

export function listFileSystems(store: SimStore, key: string | null, value: string | null): FileSystem[] {
  const cond = searchCondition(key, value, 'fss', Ids.fs, { pool_id: { column: 'pool_id', kind: Ids.pool } });
  if (cond === 'none') return [];
  return store.rows(`${FS_SELECT}${cond.sql} ORDER BY fss.id`, ...cond.params).map(fsFromRow);
}

export function fsByRowid(store: SimStore, rowid: number): FileSystem | null {
  const r = store.rows(`${FS_SELECT} WHERE fss.id = ?`, rowid)[0];
  return r ? fsFromRow(r) : null;
}

interface FsRow {
  rowid: number;
  poolRowid: number;
  total: bigint;
}

/** The file system `id` names, or NOT_FOUND_FS. */
export function loadFs(store: SimStore, id: string): FsRow {
  const rowid = requireId(Ids.fs, id);
  const r = store.get<{ pool_id: bigint; total_space: bigint }>('SELECT pool_id, total_space FROM fss WHERE id = ?', rowid);
  if (!r) throw notFound(Ids.fs, id);
  return { rowid, poolRowid: Number(r.pool_id), total: r.total_space };
}

function checkFsNameFree(store: SimStore, name: string): void {
  if (store.value('SELECT 1 FROM fss WHERE name = ?', name) !== undefined) {
    throw new LsmError(ErrorNumber.NAME_CONFLICT, `Name '${name}' is already in use by other file system`);
  }
}

function reserve(store: SimStore, pool: PoolRow, bytes: bigint): void {
  if (bytes > pool.free_space) throw new LsmError(ErrorNumber.NOT_ENOUGH_SPACE, 'Insufficient space in pool');
  takeSpace(store, pool.rowid, bytes);
}

function insertFs(store: SimStore, name: string, size: bigint, poolRowid: number): bigint {
  return BigInt(store.run('INSERT INTO fss (name, total_space, free_space, pool_id) VALUES (?, ?, ?, ?)', name, size, size, poolRowid).lastInsertRowid);
}

export function createFs(sim: SimContext, pool: Pool, name: string, sizeBytes: bigint): [string, null] {
  checkName('file system name', name);
  checkPositiveSize('size_bytes', sizeBytes);
  const { store } = sim;
  return store.write(() => {
    const p = loadPool(store, pool.id);
    if ((p.element_type & PoolElementType.FS) === 0) throw new LsmError(ErrorNumber.NO_SUPPORT, `Pool ${pool.id} cannot hold file systems`);
    checkFsNameFree(store, name);
    reserve(store, p, sizeBytes);
    return [createJob(sim, 'fs', insertFs(store, name, sizeBytes, p.rowid)), null];
  });
}

export function deleteFs(sim: SimContext, fs: FileSystem): string {
  const { store } = sim;
  return store.write(() => {
    const f = loadFs(store, fs.id);
    if (store.value('SELECT 1 FROM fs_clones WHERE src_fs_id = ? LIMIT 1', f.rowid) !== undefined) {
      throw new LsmError(ErrorNumber.HAS_CHILD_DEPENDENCY, 'Requested file system is the source of a clone');
    }
    // Snapshots, exports, file clones and its own clone relation go with it (ON DELETE CASCADE).
    store.run('DELETE FROM fss WHERE id = ?', f.rowid);
    giveSpace(store, f.poolRowid, f.total);
    return createJob(sim);
  });
}

export function resizeFs(sim: SimContext, fs: FileSystem, newSizeBytes: bigint): [string, null] {
  checkPositiveSize('new_size_bytes', newSizeBytes);
  const { store } = sim;
  return store.write(() => {
    const f = loadFs(store, fs.id);
    if (newSizeBytes === f.total) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'File system size is unchanged');
    if (newSizeBytes > f.total) {
      const pool = loadPoolRow(store, f.poolRowid);
      if (!pool) throw new LsmError(ErrorNumber.PLUGIN_BUG, `The pool of file system ${fs.id} is missing from the state file`);
      reserve(store, pool, newSizeBytes - f.total);
    } else {
      giveSpace(store, f.poolRowid, f.total - newSizeBytes);
    }
    store.run('UPDATE fss SET total_space = ?, free_space = ? WHERE id = ?', newSizeBytes, newSizeBytes, f.rowid);
    return [createJob(sim, 'fs', f.rowid), null];
  });
}

/** Checks that `snapshot` exists and belongs to file system `fsRowid` (else NOT_FOUND_FS_SS); its row id. */
function loadSnapshot(store: SimStore, snapshot: FsSnapshot, fsRowid: number): number {
  const rowid = requireId(Ids.snapshot, snapshot.id);
  if (store.value('SELECT 1 FROM fs_snaps WHERE id = ? AND fs_id = ?', rowid, fsRowid) === undefined) {
    throw notFound(Ids.snapshot, snapshot.id);
  }
  return rowid;
}

export function cloneFs(sim: SimContext, source: FileSystem, name: string, snapshot: FsSnapshot | null): [string, null] {
  checkName('file system name', name);
  const { store } = sim;
  return store.write(() => {
    const src = loadFs(store, source.id);
    if (snapshot) loadSnapshot(store, snapshot, src.rowid);
    checkFsNameFree(store, name);
    const pool = loadPoolRow(store, src.poolRowid);
    if (!pool) throw new LsmError(ErrorNumber.PLUGIN_BUG, `The pool of file system ${source.id} is missing from the state file`);
    reserve(store, pool, src.total);
    const rowid = insertFs(store, name, src.total, src.poolRowid);
    store.run('INSERT INTO fs_clones (src_fs_id, dst_fs_id) VALUES (?, ?)', src.rowid, rowid);
    return [createJob(sim, 'fs', rowid), null];
  });
}

function checkFileName(what: string, name: string): string {
  return checkName(what, name, 4096);
}

export function cloneFile(sim: SimContext, fs: FileSystem, srcFile: string, destFile: string, snapshot: FsSnapshot | null): string {
  checkFileName('src_file_name', srcFile);
  checkFileName('dest_file_name', destFile);
  if (srcFile === destFile) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'src_file_name and dest_file_name are the same file');
  const { store } = sim;
  return store.write(() => {
    const f = loadFs(store, fs.id);
    if (snapshot) loadSnapshot(store, snapshot, f.rowid);
    store.run('INSERT OR IGNORE INTO file_clones (fs_id, src_file, dst_file) VALUES (?, ?, ?)', f.rowid, srcFile, destFile);
    return createJob(sim);
  });
}

/** A condition on `file_clones` for `files` (null or empty: every file of the file system). */
function fileCondition(files: string[] | null): { sql: string; params: string[] } {
  if (!files || files.length === 0) return { sql: '', params: [] };
  for (const f of files) checkFileName('file name', f);
  return { sql: ` AND src_file IN (${files.map(() => '?').join(', ')})`, params: files };
}

/**
 * True when the file system (or, with `files`, one of those files) is the source of a clone: a file-system clone
 * counts only when no files are named, since naming files asks about those files.
 */
export function fsHasChildDependency(store: SimStore, fs: FileSystem, files: string[] | null): boolean {
  const cond = fileCondition(files);
  return store.read(() => {
    const f = loadFs(store, fs.id);
    if (cond.params.length === 0 && store.value('SELECT 1 FROM fs_clones WHERE src_fs_id = ? LIMIT 1', f.rowid) !== undefined) return true;
    return store.value(`SELECT 1 FROM file_clones WHERE fs_id = ?${cond.sql} LIMIT 1`, f.rowid, ...cond.params) !== undefined;
  });
}

export function fsRemoveChildDependency(sim: SimContext, fs: FileSystem, files: string[] | null): string {
  const cond = fileCondition(files);
  const { store } = sim;
  return store.write(() => {
    const f = loadFs(store, fs.id);
    let changes = store.run(`DELETE FROM file_clones WHERE fs_id = ?${cond.sql}`, f.rowid, ...cond.params).changes;
    if (cond.params.length === 0) changes += store.run('DELETE FROM fs_clones WHERE src_fs_id = ?', f.rowid).changes;
    if (changes === 0) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'No child dependency to remove');
    return createJob(sim);
  });
}

const SNAPSHOT_SELECT = `SELECT ${sqlId(Ids.snapshot, 'id')}, name, ts FROM fs_snaps`;

function snapshotFromRow(r: unknown[]): FsSnapshot {
  return { id: r[0] as string, name: r[1] as string, ts: Number(r[2]), plugin_data: null };
}

export function snapshotByRowid(store: SimStore, rowid: number): FsSnapshot | null {
  const r = store.rows(`${SNAPSHOT_SELECT} WHERE id = ?`, rowid)[0];
  return r ? snapshotFromRow(r) : null;
}

export function listSnapshots(store: SimStore, fs: FileSystem): FsSnapshot[] {
  return store.read(() => store.rows(`${SNAPSHOT_SELECT} WHERE fs_id = ? ORDER BY id`, loadFs(store, fs.id).rowid).map(snapshotFromRow));
}

export function createSnapshot(sim: SimContext, fs: FileSystem, name: string): [string, null] {
  checkName('snapshot name', name);
  const { store } = sim;
  return store.write(() => {
    const f = loadFs(store, fs.id);
    // Unique across all file systems, as in lsm's simulator.
    if (store.value('SELECT 1 FROM fs_snaps WHERE name = ?', name) !== undefined) {
      throw new LsmError(ErrorNumber.NAME_CONFLICT, `Name '${name}' is already in use by other snapshot`);
    }
    const rowid = store.run('INSERT INTO fs_snaps (name, ts, fs_id) VALUES (?, ?, ?)', name, Math.floor(Date.now() / 1000), f.rowid).lastInsertRowid;
    return [createJob(sim, 'snapshot', rowid), null];
  });
}

export function deleteSnapshot(sim: SimContext, fs: FileSystem, snapshot: FsSnapshot): string {
  const { store } = sim;
  return store.write(() => {
    const rowid = loadSnapshot(store, snapshot, loadFs(store, fs.id).rowid);
    store.run('DELETE FROM fs_snaps WHERE id = ?', rowid);
    return createJob(sim);
  });
}

export function restoreSnapshot(
  sim: SimContext, fs: FileSystem, snapshot: FsSnapshot, files: string[] | null, restoreFiles: string[] | null, allFiles: boolean,
): string {
  const list = files ?? [];
  const targets = restoreFiles ?? [];
  if (!allFiles && list.length === 0) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'Name the files to restore, or set all_files');
  }
  if (targets.length > 0 && targets.length !== list.length) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'restore_files must be empty or name one destination per file');
  }
  for (const f of [...list, ...targets]) checkFileName('file name', f);
  const { store } = sim;
  return store.write(() => {
    loadSnapshot(store, snapshot, loadFs(store, fs.id).rowid);
    return createJob(sim);
  });
}

