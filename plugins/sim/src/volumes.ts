/**
 * Volumes: listing, creation, deletion, resizing, replication and the replication dependency between volumes.
 * Every change runs in one write transaction (checks included) and, like lsm's simulator, is applied at once;
 * the returned job only simulates the time an array would take.
 */
import {
  DiskStatus, ErrorNumber, LsmError, type Pool, PoolElementType, PoolUnsupported, Provisioning, ReplicationType,
  type BlockRange, type Volume, VolumeAdminState, PhysicalDiskCache, ReadCachePolicy, WriteCachePolicy,
} from '@openlsm/core';
import type { SimContext } from './context.js';
import { formatId, Ids, notFound, requireId, sqlId, SYSTEM_ID } from './ids.js';
import { createJob } from './jobs.js';
import { searchCondition } from './search.js';
import { BLOCK_SIZE, randomVpd83 } from './seed.js';
import type { SimStore } from './store.js';
import { giveSpace, loadPool, loadPoolRow, type PoolRow, takeSpace } from './system.js';
import { blocksFor, checkEnum, checkName, checkPositiveSize } from './validate.js';

/** Volume columns in Volume field order, ids rendered by SQLite. */
export const VOLUME_SELECT = `SELECT ${sqlId(Ids.volume, 'volumes.id')}, volumes.name, volumes.vpd83, volumes.block_size,
  volumes.num_of_blocks, volumes.admin_state, ${sqlId(Ids.pool, 'volumes.pool_id')} FROM volumes`;

/** A raw row of VOLUME_SELECT as a Volume. */
export function volumeFromRow(r: unknown[]): Volume {
  return {
    id: r[0] as string,
    name: r[1] as string,
    vpd83: r[2] as string,
    block_size: r[3] as bigint,
    num_of_blocks: r[4] as bigint,
    admin_state: Number(r[5]),
    system_id: SYSTEM_ID,
    pool_id: r[6] as string,
    plugin_data: null,
  };
}

export function listVolumes(store: SimStore, key: string | null, value: string | null): Volume[] {
  const cond = searchCondition(key, value, 'volumes', Ids.volume, { pool_id: { column: 'pool_id', kind: Ids.pool } });
  if (cond === 'none') return [];
  const rows = store.rows(`${VOLUME_SELECT}${cond.sql} ORDER BY volumes.id`, ...cond.params);
  const out = new Array<Volume>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = volumeFromRow(rows[i] as unknown[]);
  return out;
}

/** The volume with row id `rowid`, or null. */
export function volumeByRowid(store: SimStore, rowid: number): Volume | null {
  const r = store.rows(`${VOLUME_SELECT} WHERE volumes.id = ?`, rowid)[0];
  return r ? volumeFromRow(r) : null;
}

/** What mutations need to know of a volume. */
export interface VolumeRow {
  rowid: number;
  poolRowid: number;
  blockSize: bigint;
  blocks: bigint;
  adminState: number;
  provisioning: number;
  /** Made by volume_raid_create: the only volume of a pool of its own. */
  hwRaid: boolean;
}

/** The volume `id` names (only its id is trusted), or NOT_FOUND_VOLUME. */
export function loadVolume(store: SimStore, id: string): VolumeRow {
  const rowid = requireId(Ids.volume, id);
  const r = store.get<Record<string, bigint>>(
    'SELECT pool_id, block_size, num_of_blocks, admin_state, provisioning, hw_raid FROM volumes WHERE id = ?', rowid,
  );
  if (!r) throw notFound(Ids.volume, id);
  return {
    rowid,
    poolRowid: Number(r.pool_id),
    blockSize: r.block_size as bigint,
    blocks: r.num_of_blocks as bigint,
    adminState: Number(r.admin_state),
    provisioning: Number(r.provisioning),
    hwRaid: r.hw_raid === 1n,
  };
}

function checkNameFree(store: SimStore, name: string): void {
  if (store.value('SELECT 1 FROM volumes WHERE name = ?', name) !== undefined) {
    throw new LsmError(ErrorNumber.NAME_CONFLICT, `Name '${name}' is already in use by other volume`);
  }
}

function checkPoolTakesVolumes(pool: PoolRow, poolId: string): void {
  if ((pool.element_type & PoolElementType.VOLUME) === 0) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `Pool ${poolId} cannot hold volumes`);
  }
}

/** Inserts a volume row and returns its row id. Call inside a write transaction, after taking its space. */
function insertVolume(store: SimStore, name: string, blocks: bigint, poolRowid: number, provisioning: number): bigint {
  const r = store.run(
    `INSERT INTO volumes (name, vpd83, block_size, num_of_blocks, admin_state, pool_id, provisioning,
      write_cache_policy, read_cache_policy, physical_disk_cache) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    name, randomVpd83(), BLOCK_SIZE, blocks, VolumeAdminState.ENABLED, poolRowid, provisioning,
    WriteCachePolicy.AUTO, ReadCachePolicy.ENABLED, PhysicalDiskCache.DISABLED,
  );
  return BigInt(r.lastInsertRowid);
}

function reserve(store: SimStore, pool: PoolRow, bytes: bigint): void {
  // Compared here first: a size near 2^63 must fail as NOT_ENOUGH_SPACE, not overflow SQLite's integers.
  if (bytes > pool.free_space) throw new LsmError(ErrorNumber.NOT_ENOUGH_SPACE, 'Insufficient space in pool');
  takeSpace(store, pool.rowid, bytes);
}

const PROVISIONING = { THIN: Provisioning.THIN, FULL: Provisioning.FULL, DEFAULT: Provisioning.DEFAULT };

export function createVolume(sim: SimContext, pool: Pool, name: string, sizeBytes: bigint, provisioning: number): [string, null] {
  checkName('volume name', name);
  checkPositiveSize('size_bytes', sizeBytes);
  checkEnum('provisioning', provisioning, PROVISIONING);
  const { store } = sim;
  return store.write(() => {
    const p = loadPool(store, pool.id);
    checkPoolTakesVolumes(p, pool.id);
    checkNameFree(store, name);
    const blocks = blocksFor(sizeBytes, BLOCK_SIZE);
    reserve(store, p, blocks * BLOCK_SIZE);
    const rowid = insertVolume(store, name, blocks, p.rowid, provisioning);
    return [createJob(sim, 'volume', rowid), null];
  });
}

function isMasked(store: SimStore, rowid: number): boolean {
  return store.value('SELECT 1 FROM vol_masks WHERE vol_id = ? LIMIT 1', rowid) !== undefined;
}

function isReplicationSource(store: SimStore, rowid: number): boolean {
  return store.value('SELECT 1 FROM vol_reps WHERE src_vol_id = ? AND dst_vol_id != ? LIMIT 1', rowid, rowid) !== undefined;
}

export function deleteVolume(sim: SimContext, volume: Volume): string {
  const { store } = sim;
  return store.write(() => {
    const v = loadVolume(store, volume.id);
    if (isMasked(store, v.rowid)) throw new LsmError(ErrorNumber.IS_MASKED, 'Volume is masked to access group');
    if (isReplicationSource(store, v.rowid)) {
      throw new LsmError(ErrorNumber.HAS_CHILD_DEPENDENCY, 'Requested volume is a replication source');
    }
    store.run('DELETE FROM vol_reps WHERE src_vol_id = ?', v.rowid);
    store.run('DELETE FROM volumes WHERE id = ?', v.rowid);
    if (v.hwRaid) {
      // A volume made by volume_raid_create takes its RAID group with it, as in lsm's simulator: the pool goes
      // and its disks are FREE again for the next volume_raid_create.
      store.run('UPDATE disks SET status = ?, pool_id = NULL WHERE pool_id = ?', DiskStatus.OK | DiskStatus.FREE, v.poolRowid);
      store.run('DELETE FROM pools WHERE id = ?', v.poolRowid);
    } else {
      giveSpace(store, v.poolRowid, v.blocks * v.blockSize);
    }
    return createJob(sim);
  });
}

export function resizeVolume(sim: SimContext, volume: Volume, newSizeBytes: bigint): [string, null] {
  checkPositiveSize('new_size_bytes', newSizeBytes);
  const { store } = sim;
  return store.write(() => {
    const v = loadVolume(store, volume.id);
    const blocks = blocksFor(newSizeBytes, v.blockSize);
    if (blocks === v.blocks) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Volume size is unchanged');
    const pool = loadPoolRow(store, v.poolRowid);
    if (!pool) throw new LsmError(ErrorNumber.PLUGIN_BUG, `The pool of volume ${volume.id} is missing from the state file`);
    if (blocks > v.blocks) {
      if (pool.unsupported_actions & PoolUnsupported.VOLUME_GROW) throw new LsmError(ErrorNumber.NO_SUPPORT, 'The pool of this volume does not support growing volumes');
      reserve(store, pool, (blocks - v.blocks) * v.blockSize);
    } else {
      if (pool.unsupported_actions & PoolUnsupported.VOLUME_SHRINK) throw new LsmError(ErrorNumber.NO_SUPPORT, 'The pool of this volume does not support shrinking volumes');
      giveSpace(store, v.poolRowid, (v.blocks - blocks) * v.blockSize);
    }
    store.run('UPDATE volumes SET num_of_blocks = ? WHERE id = ?', blocks, v.rowid);
    return [createJob(sim, 'volume', v.rowid), null];
  });
}

const REPLICATION = {
  CLONE: ReplicationType.CLONE, COPY: ReplicationType.COPY,
  MIRROR_SYNC: ReplicationType.MIRROR_SYNC, MIRROR_ASYNC: ReplicationType.MIRROR_ASYNC,
};

export function replicateVolume(sim: SimContext, pool: Pool | null, repType: number, source: Volume, name: string): [string, null] {
  checkEnum('rep_type', repType, REPLICATION);
  checkName('volume name', name);
  const { store } = sim;
  return store.write(() => {
    const src = loadVolume(store, source.id);
    const target = pool === null ? loadPoolRow(store, src.poolRowid) : loadPool(store, pool.id);
    if (!target) throw new LsmError(ErrorNumber.PLUGIN_BUG, `The pool of volume ${source.id} is missing from the state file`);
    checkPoolTakesVolumes(target, formatId(Ids.pool, target.rowid));
    checkNameFree(store, name);
    reserve(store, target, src.blocks * src.blockSize);
    const rowid = insertVolume(store, name, src.blocks, target.rowid, src.provisioning);
    store.run('INSERT INTO vol_reps (src_vol_id, dst_vol_id, rep_type) VALUES (?, ?, ?)', src.rowid, rowid, repType);
    return [createJob(sim, 'volume', rowid), null];
  });
}

const RANGE_REPLICATION = { CLONE: ReplicationType.CLONE, COPY: ReplicationType.COPY };

export function replicateVolumeRange(sim: SimContext, repType: number, source: Volume, dest: Volume, ranges: BlockRange[]): string {
  if (repType === ReplicationType.MIRROR_ASYNC || repType === ReplicationType.MIRROR_SYNC) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, 'Range replication supports only CLONE and COPY');
  }
  checkEnum('rep_type', repType, RANGE_REPLICATION);
  if (ranges.length === 0) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'Invalid ranges: at least one block range is needed');
  const { store } = sim;
  return store.write(() => {
    const src = loadVolume(store, source.id);
    const dst = loadVolume(store, dest.id);
    const srcUnits = (src.blocks * src.blockSize) / BLOCK_SIZE;
    const dstUnits = (dst.blocks * dst.blockSize) / BLOCK_SIZE;
    ranges.forEach((r, i) => {
      if (r.block_count <= 0n || r.src_block < 0n || r.dest_block < 0n) {
        throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ranges[${i}]: blocks must be >= 0 and block_count > 0`);
      }
      if (r.src_block + r.block_count > srcUnits || r.dest_block + r.block_count > dstUnits) {
        throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ranges[${i}]: the range goes past the end of a volume`);
      }
    });
    if (src.rowid !== dst.rowid) {
      store.run('INSERT OR REPLACE INTO vol_reps (src_vol_id, dst_vol_id, rep_type) VALUES (?, ?, ?)', src.rowid, dst.rowid, repType);
    }
    return createJob(sim);
  });
}

export function setAdminState(sim: SimContext, volume: Volume, state: number): void {
  const { store } = sim;
  store.write(() => {
    const v = loadVolume(store, volume.id);
    if (v.adminState === state) {
      throw new LsmError(ErrorNumber.NO_STATE_CHANGE, `Volume is already ${state === VolumeAdminState.ENABLED ? 'enabled' : 'disabled'}`);
    }
    store.run('UPDATE volumes SET admin_state = ? WHERE id = ?', state, v.rowid);
  });
}

export function hasChildDependency(store: SimStore, volume: Volume): boolean {
  return store.read(() => isReplicationSource(store, loadVolume(store, volume.id).rowid));
}

export function removeChildDependency(sim: SimContext, volume: Volume): string {
  const { store } = sim;
  return store.write(() => {
    const v = loadVolume(store, volume.id);
    const r = store.run('DELETE FROM vol_reps WHERE src_vol_id = ? AND dst_vol_id != ?', v.rowid, v.rowid);
    if (r.changes === 0) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Volume has no child dependency');
    return createJob(sim);
  });
}
