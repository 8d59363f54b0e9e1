/**
 * Per-volume hardware settings: RAID layout (and creating a volume on a new RAID group of free disks), the
 * identify LED and the cache policies.
 */
import {
  type Disk, DiskStatus, ErrorNumber, LsmError, PhysicalDiskCache, PoolElementType, PoolMemberType, PoolStatus,
  PoolUnsupported, RaidType, ReadCachePolicy, ReadCacheStatus, type Volume, VolumeAdminState, WriteCachePolicy,
  WriteCacheStatus, describeForMessage,
} from '@openlsm/core';
import type { SimContext } from './context.js';
import { Ids, notFound, requireId, requireSystem } from './ids.js';
import { BLOCK_SIZE, randomVpd83 } from './seed.js';
import type { SimStore } from './store.js';
import { checkEnum, checkName } from './validate.js';
import { loadVolume, volumeByRowid } from './volumes.js';

const KiB = 1024;
/** RAID levels `volume_raid_create` builds, and the strip sizes it offers (lsm's simulator's lists). */
export const RAID_CREATE_TYPES = [RaidType.RAID0, RaidType.RAID1, RaidType.RAID5, RaidType.RAID6, RaidType.RAID10, RaidType.RAID50, RaidType.RAID60];
export const RAID_CREATE_STRIP_SIZES = [8, 16, 32, 64, 128, 256, 512, 1024].map((k) => k * KiB);
const DEFAULT_STRIP_SIZE = 128 * KiB;

/** Minimum disk count per RAID level (lsm's client-side rule; RAID10 also needs an even count). */
const MIN_DISKS: Record<number, number> = { 0: 1, 1: 2, 5: 3, 6: 4, 10: 4, 50: 6, 60: 8 };

/** Disks holding data (not parity or mirror copies) in a group of `n` disks of `raidType`. */
function dataDisks(raidType: number, n: number): number {
  switch (raidType) {
    case RaidType.RAID1: return 1;
    case RaidType.RAID5: return n - 1;
    case RaidType.RAID6: return n - 2;
    case RaidType.RAID10: return n / 2;
    case RaidType.RAID50: return n - 2;
    case RaidType.RAID60: return n - 4;
    default: return n;
  }
}

export function raidCreateCapabilities(systemId: string): [number[], number[]] {
  requireSystem(systemId);
  return [[...RAID_CREATE_TYPES], [...RAID_CREATE_STRIP_SIZES]];
}

/** `[raid_type, strip_size, disk_count, min_io_size, opt_io_size]` of the disks under the volume's pool. */
export function volumeRaidInfo(store: SimStore, volume: Volume): [number, number, number, number, number] {
  return store.read(() => {
    const v = loadVolume(store, volume.id);
    // A sub-pool's volumes live on its parent's disks: walk up to the pool that has disks.
    let poolRowid: number | null = v.poolRowid;
    for (let depth = 0; poolRowid !== null && depth < 16; depth++) {
      const p: { raid_type: bigint; member_type: bigint; parent_pool_id: bigint | null; strip_size: bigint } | undefined =
        store.get('SELECT raid_type, member_type, parent_pool_id, strip_size FROM pools WHERE id = ?', poolRowid);
      if (!p) break;
      if (Number(p.member_type) === PoolMemberType.DISK) {
        const disks = Number(store.value<bigint>('SELECT count(*) FROM disks WHERE pool_id = ?', poolRowid) ?? 0n);
        const raid = Number(p.raid_type);
        const strip = Number(p.strip_size);
        return [raid, strip, disks, strip, strip * Math.max(1, dataDisks(raid, disks))];
      }
      poolRowid = p.parent_pool_id === null ? null : Number(p.parent_pool_id);
    }
    return [RaidType.UNKNOWN, 0, 0, 0, 0];
  });
}

/**
 * Builds a RAID group of FREE disks into a new pool and one volume filling it (synchronous, as in lsm). Disks
 * that are not FREE give DISK_NOT_FREE; a RAID level or strip size the array does not offer gives NO_SUPPORT.
 * The pool holds volumes only (lsm's simulator gives it ELEMENT_TYPE_VOLUME) and lives as long as the volume:
 * deleting the volume deletes the pool and frees the disks (see `deleteVolume`).
 */
export function createRaidVolume(sim: SimContext, name: string, raidType: number, disks: Disk[], stripSize: number): Volume {
  checkName('volume name', name);
  if (!RAID_CREATE_TYPES.includes(raidType as never)) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `RAID type ${raidType} is not supported; see volume_raid_create_cap_get`);
  }
  const strip = stripSize === 0 ? DEFAULT_STRIP_SIZE : stripSize;
  if (!RAID_CREATE_STRIP_SIZES.includes(strip)) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `Strip size ${stripSize} is not supported; see volume_raid_create_cap_get`);
  }
  const min = MIN_DISKS[raidType] ?? 1;
  if (disks.length < min || (raidType === RaidType.RAID1 && disks.length !== 2) || (raidType === RaidType.RAID10 && disks.length % 2 !== 0)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `RAID ${raidType} cannot be built from ${disks.length} disk(s)`);
  }
  if (new Set(disks.map((d) => d.id)).size !== disks.length) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'The same disk is listed more than once');
  }
  const { store } = sim;
  return store.write(() => {
    let smallest: bigint | null = null;
    const rowids: number[] = [];
    for (const d of disks) {
      const rowid = requireId(Ids.disk, d.id);
      const r = store.get<{ status: bigint; block_size: bigint; num_of_blocks: bigint }>('SELECT status, block_size, num_of_blocks FROM disks WHERE id = ?', rowid);
      if (!r) throw notFound(Ids.disk, d.id);
      if ((Number(r.status) & DiskStatus.FREE) === 0) {
        throw new LsmError(ErrorNumber.DISK_NOT_FREE, `Disk ${describeForMessage(d.id)} is not free`);
      }
      const size = r.block_size * r.num_of_blocks;
      if (smallest === null || size < smallest) smallest = size;
      rowids.push(rowid);
    }
    if (store.value('SELECT 1 FROM volumes WHERE name = ?', name) !== undefined) {
      throw new LsmError(ErrorNumber.NAME_CONFLICT, `Name '${name}' is already in use by other volume`);
    }
    const capacity = (smallest ?? 0n) * BigInt(dataDisks(raidType, disks.length));
    const blocks = capacity / BLOCK_SIZE;
    const pool = store.run(
      `INSERT INTO pools (name, element_type, unsupported_actions, total_space, free_space, status, status_info,
        raid_type, member_type, parent_pool_id, strip_size) VALUES (?, ?, ?, ?, 0, ?, '', ?, ?, NULL, ?)`,
      `Pool for volume ${name}`.slice(0, 255), PoolElementType.VOLUME,
      PoolUnsupported.VOLUME_GROW | PoolUnsupported.VOLUME_SHRINK, blocks * BLOCK_SIZE, PoolStatus.OK, raidType,
      PoolMemberType.DISK, strip,
    ).lastInsertRowid;
    for (const rowid of rowids) store.run('UPDATE disks SET status = ?, pool_id = ? WHERE id = ?', DiskStatus.OK, pool, rowid);
    const vol = store.run(
      `INSERT INTO volumes (name, vpd83, block_size, num_of_blocks, admin_state, pool_id, provisioning,
        write_cache_policy, read_cache_policy, physical_disk_cache, hw_raid) VALUES (?, ?, ?, ?, ?, ?, 2, ?, ?, ?, 1)`,
      name, randomVpd83(), BLOCK_SIZE, blocks, VolumeAdminState.ENABLED, pool,
      WriteCachePolicy.AUTO, ReadCachePolicy.ENABLED, PhysicalDiskCache.DISABLED,
    ).lastInsertRowid;
    const created = volumeByRowid(store, Number(vol));
    if (!created) throw new LsmError(ErrorNumber.PLUGIN_BUG, 'The new RAID volume vanished inside its own transaction');
    return created;
  });
}

export function setIdentLed(sim: SimContext, volume: Volume, on: boolean): void {
  const { store } = sim;
  // Switching the LED to the state it already has is tolerated, as on real arrays.
  store.write(() => store.run('UPDATE volumes SET ident_led = ? WHERE id = ?', on ? 1 : 0, loadVolume(store, volume.id).rowid));
}

/** `[write_cache_policy, write_cache_status, read_cache_policy, read_cache_status, physical_disk_cache]`. */
export function volumeCacheInfo(store: SimStore, volume: Volume): [number, number, number, number, number] {
  return store.read(() => {
    const rowid = loadVolume(store, volume.id).rowid;
    const r = store.get<Record<string, bigint>>('SELECT write_cache_policy, read_cache_policy, physical_disk_cache FROM volumes WHERE id = ?', rowid);
    const wcp = Number(r?.write_cache_policy);
    const rcp = Number(r?.read_cache_policy);
    // AUTO writes back while the cache is protected; both simulated batteries are healthy.
    const wcs = wcp === WriteCachePolicy.WRITE_THROUGH ? WriteCacheStatus.WRITE_THROUGH : WriteCacheStatus.WRITE_BACK;
    const rcs = rcp === ReadCachePolicy.ENABLED ? ReadCacheStatus.ENABLED : ReadCacheStatus.DISABLED;
    return [wcp, wcs, rcp, rcs, Number(r?.physical_disk_cache)];
  });
}

const CACHE_COLUMNS = {
  pdc: { column: 'physical_disk_cache', allowed: { ENABLED: PhysicalDiskCache.ENABLED, DISABLED: PhysicalDiskCache.DISABLED } },
  wcp: { column: 'write_cache_policy', allowed: { WRITE_BACK: WriteCachePolicy.WRITE_BACK, AUTO: WriteCachePolicy.AUTO, WRITE_THROUGH: WriteCachePolicy.WRITE_THROUGH } },
  rcp: { column: 'read_cache_policy', allowed: { ENABLED: ReadCachePolicy.ENABLED, DISABLED: ReadCachePolicy.DISABLED } },
} as const;

/** Updates one cache policy: `pdc` (physical disk cache), `wcp` (write cache) or `rcp` (read cache). */
export function updateCachePolicy(sim: SimContext, volume: Volume, which: keyof typeof CACHE_COLUMNS, value: number): void {
  const { column, allowed } = CACHE_COLUMNS[which];
  checkEnum(which, value, allowed);
  const { store } = sim;
  store.write(() => store.run(`UPDATE volumes SET ${column} = ? WHERE id = ?`, value, loadVolume(store, volume.id).rowid));
}
