/**
 * Pools: the configured directories of sparse image files (fileio volumes) and sets of block devices (one block
 * volume per device), plus `external`, which lists the storage objects openlsm did not make. A pool whose
 * directory or device cannot be used is listed with status ERROR and the reason, rather than failing the session.
 */
import fs from 'node:fs';
import { blockDeviceInfo, type BlockDeviceInfo, ImageDirectory } from '@openlsm/backing-store';
import { ErrorNumber, LsmError, type Pool, PoolElementType, PoolStatus, PoolUnsupported, describeForMessage } from '@openlsm/core';
import { EXTERNAL_POOL, type PoolConfig } from '../config.js';
import { SYSTEM_ID } from './ids.js';

export interface DirectoryPool {
  kind: 'directory';
  name: string;
  config: Extract<PoolConfig, { kind: 'directory' }>;
  images: ImageDirectory | undefined;
  error: string | undefined;
}

export interface Device {
  path: string;
  info: BlockDeviceInfo | undefined;
  error: string | undefined;
}

export interface BlockPool {
  kind: 'block';
  name: string;
  devices: Device[];
}

export type LioPool = DirectoryPool | BlockPool;

export async function openPools(configs: readonly PoolConfig[]): Promise<Map<string, LioPool>> {
  const pools = new Map<string, LioPool>();
  for (const config of configs) {
    if (config.kind === 'directory') {
      try {
        pools.set(config.name, { kind: 'directory', name: config.name, config, images: await ImageDirectory.open(config.directory), error: undefined });
      } catch (err) {
        pools.set(config.name, { kind: 'directory', name: config.name, config, images: undefined, error: (err as Error).message });
      }
    } else {
      const devices = await Promise.all(config.devices.map(async (path): Promise<Device> => {
        try {
          return { path, info: await blockDeviceInfo(path), error: undefined };
        } catch (err) {
          return { path, info: undefined, error: (err as Error).message };
        }
      }));
      pools.set(config.name, { kind: 'block', name: config.name, devices });
    }
  }
  return pools;
}

/** The device number of a path, to recognise a device however it is named (/dev/sdb, /dev/disk/by-id/...). */
export function rdevOf(path: string): bigint | undefined {
  try {
    const s = fs.statSync(path, { bigint: true });
    return s.isBlockDevice() ? s.rdev : undefined;
  } catch {
    return undefined;
  }
}

/** Which pool a storage object's backing path belongs to. */
export function poolOfBacking(pools: ReadonlyMap<string, LioPool>, plugin: string, backing: string): string {
  for (const pool of pools.values()) {
    if (pool.kind === 'directory' && plugin === 'fileio' && pool.images && backing.startsWith(`${pool.images.path}/`)
      && !backing.slice(pool.images.path.length + 1).includes('/')) return pool.name;
    if (pool.kind === 'block' && (plugin === 'block' || plugin === 'fileio')) {
      const rdev = rdevOf(backing);
      if (pool.devices.some((d) => d.path === backing || (rdev !== undefined && d.info && rdevOf(d.path) === rdev))) return pool.name;
    }
  }
  return EXTERNAL_POOL;
}

function lsmPool(id: string, name: string, total: bigint, free: bigint, status: number, info: string, elements: number, unsupported: number): Pool {
  return {
    id, name, element_type: elements, unsupported_actions: unsupported, total_space: total, free_space: free,
    status, status_info: info, system_id: SYSTEM_ID, plugin_data: null,
  };
}

/** The lsm Pool; `usedDevices` are the block-pool devices that hold a volume. */
export async function describePool(pool: LioPool, usedDevices: ReadonlySet<string>): Promise<Pool> {
  if (pool.kind === 'directory') {
    if (!pool.images) {
      return lsmPool(pool.name, pool.name, 0n, 0n, PoolStatus.ERROR, pool.error ?? 'unusable', PoolElementType.VOLUME | PoolElementType.VOLUME_THIN, PoolUnsupported.VOLUME_SHRINK);
    }
    const space = await pool.images.space();
    return lsmPool(pool.name, pool.name, space.totalBytes, space.freeBytes, PoolStatus.OK, `sparse image files in ${pool.images.path}`,
      PoolElementType.VOLUME | PoolElementType.VOLUME_THIN, PoolUnsupported.VOLUME_SHRINK);
  }
  let total = 0n;
  let free = 0n;
  const errors: string[] = [];
  for (const d of pool.devices) {
    if (!d.info) {
      errors.push(d.error ?? d.path);
      continue;
    }
    total += d.info.sizeBytes;
    if (!usedDevices.has(d.path)) free += d.info.sizeBytes;
  }
  return lsmPool(pool.name, pool.name, total, free, errors.length ? PoolStatus.DEGRADED : PoolStatus.OK,
    errors.length ? errors.join('; ') : `${pool.devices.length} block device(s), one volume each`,
    PoolElementType.VOLUME | PoolElementType.VOLUME_FULL, PoolUnsupported.VOLUME_GROW | PoolUnsupported.VOLUME_SHRINK);
}

export function externalPool(): Pool {
  return lsmPool(EXTERNAL_POOL, EXTERNAL_POOL, 0n, 0n, PoolStatus.OK, 'storage objects that openlsm did not create (shown, left alone unless asked)',
    PoolElementType.VOLUME, PoolUnsupported.VOLUME_GROW | PoolUnsupported.VOLUME_SHRINK);
}

export function requirePool(pools: ReadonlyMap<string, LioPool>, id: string): LioPool {
  const pool = pools.get(id);
  if (pool) return pool;
  if (id === EXTERNAL_POOL) throw new LsmError(ErrorNumber.NO_SUPPORT, `Pool ${EXTERNAL_POOL} only lists storage objects made by other tools; create volumes in a configured pool`);
  throw new LsmError(ErrorNumber.NOT_FOUND_POOL, `Pool ${describeForMessage(id)} not found`);
}
