/**
 * Pools and volumes as lsm sees them, read from where they live: a directory pool's images are its files (the
 * directory is the truth: an image copied in by hand is a volume too), a device pool's volumes are its
 * configured block devices. The state only adds each volume's SCSI id.
 *
 * tgtd serves every LU with 512-byte blocks unless told otherwise, so that is the block size reported.
 */
import { blockDeviceInfo, ImageDirectory, validateImageName } from '@openlsm/backing-store';
import {
  describeForMessage, ErrorNumber, LsmError, type Pool, PoolElementType, PoolStatus, PoolUnsupported, type Volume,
  VolumeAdminState,
} from '@openlsm/core';
import type { DevicePoolConfig, DirectoryPoolConfig, TgtConfig } from './config.js';
import { derivedScsiId, deviceVolumeName, splitVolumeId, volumeId, vpd83For } from './naming.js';
import type { TgtState } from './state.js';

export const SYSTEM_ID = 'tgt';

function isImageName(name: string): boolean {
  try {
    validateImageName(name);
    return true;
  } catch {
    return false;
  }
}
export const BLOCK_SIZE = 512n;

export interface VolumeEntry {
  id: string;
  pool: string;
  name: string;
  /** What tgtd opens: the image file or the device. */
  path: string;
  sizeBytes: bigint;
  kind: 'image' | 'device';
}

function poolObject(id: string, elementType: number, unsupported: number, total: bigint, free: bigint, status: number, info: string): Pool {
  return {
    id, name: id, element_type: elementType, unsupported_actions: unsupported, total_space: total, free_space: free,
    status, status_info: info, system_id: SYSTEM_ID, plugin_data: null,
  };
}

export class Inventory {
  readonly #config: TgtConfig;
  readonly #dirs = new Map<string, Promise<ImageDirectory>>();

  constructor(config: TgtConfig) {
    this.#config = config;
  }

  #poolConfig(id: string) {
    const pool = this.#config.pools.find((p) => p.name === id);
    if (!pool) throw new LsmError(ErrorNumber.NOT_FOUND_POOL, `Pool ${describeForMessage(String(id))} not found`);
    return pool;
  }

  /** The image directory of a directory pool; NO_SUPPORT for a device pool. */
  async directory(poolId: string): Promise<ImageDirectory> {
    const pool = this.#poolConfig(poolId);
    if (pool.kind !== 'directory') {
      throw new LsmError(ErrorNumber.NO_SUPPORT, `Pool ${pool.name} holds configured block devices: volumes cannot be created, resized or deleted in it`);
    }
    return this.#open(pool);
  }

  #open(pool: DirectoryPoolConfig): Promise<ImageDirectory> {
    let dir = this.#dirs.get(pool.name);
    if (!dir) {
      dir = ImageDirectory.open(pool.directory);
      this.#dirs.set(pool.name, dir);
      dir.catch(() => this.#dirs.delete(pool.name));
    }
    return dir;
  }

  async pools(): Promise<Pool[]> {
    return Promise.all(this.#config.pools.map(async (p) => {
      if (p.kind === 'directory') {
        try {
          const space = await (await this.#open(p)).space();
          return poolObject(p.name, PoolElementType.VOLUME | PoolElementType.VOLUME_THIN, 0, space.totalBytes, space.freeBytes, PoolStatus.OK, '');
        } catch (err) {
          return poolObject(p.name, PoolElementType.VOLUME | PoolElementType.VOLUME_THIN, 0, 0n, 0n, PoolStatus.ERROR, (err as Error).message);
        }
      }
      const devices = await this.#devices(p);
      const total = devices.reduce((sum, d) => sum + d.sizeBytes, 0n);
      const missing = p.devices.length - devices.length;
      return poolObject(p.name, 0, PoolUnsupported.VOLUME_GROW | PoolUnsupported.VOLUME_SHRINK, total, 0n,
        missing === 0 ? PoolStatus.OK : PoolStatus.DEGRADED, missing === 0 ? '' : `${missing} configured device(s) missing`);
    }));
  }

  async #devices(pool: DevicePoolConfig): Promise<VolumeEntry[]> {
    const found = await Promise.all(pool.devices.map(async (device): Promise<VolumeEntry | null> => {
      try {
        const info = await blockDeviceInfo(device);
        const name = deviceVolumeName(device);
        return { id: volumeId(pool.name, name), pool: pool.name, name, path: device, sizeBytes: info.sizeBytes, kind: 'device' };
      } catch {
        return null;
      }
    }));
    return found.filter((d): d is VolumeEntry => d !== null);
  }

  async #poolVolumes(poolId: string): Promise<VolumeEntry[]> {
    const p = this.#poolConfig(poolId);
    if (p.kind === 'devices') return this.#devices(p);
    let images;
    try {
      images = await (await this.#open(p)).list();
    } catch {
      return []; // the pool reports the problem in its status
    }
    return images.map((i) => ({ id: volumeId(p.name, i.name), pool: p.name, name: i.name, path: i.path, sizeBytes: i.sizeBytes, kind: 'image' as const }));
  }

  /** Every volume of every pool, in pool order then name order. */
  async volumes(): Promise<VolumeEntry[]> {
    return (await Promise.all(this.#config.pools.map((p) => this.#poolVolumes(p.name)))).flat();
  }

  /** The volume with this id (one stat, not a listing); NOT_FOUND_VOLUME when there is none. */
  async volume(id: string): Promise<VolumeEntry> {
    const { pool, name } = splitVolumeId(id);
    const entry = await this.#find(pool, name);
    if (!entry) throw new LsmError(ErrorNumber.NOT_FOUND_VOLUME, `Volume ${describeForMessage(id)} not found`);
    return entry;
  }

  async #find(pool: string, name: string): Promise<VolumeEntry | undefined> {
    const p = this.#config.pools.find((c) => c.name === pool);
    if (!p) return undefined;
    if (p.kind === 'devices') return (await this.#devices(p)).find((v) => v.name === name);
    if (!isImageName(name)) return undefined;
    const image = await (await this.#open(p)).stat(name).catch(() => null);
    return image ? { id: volumeId(p.name, name), pool: p.name, name, path: image.path, sizeBytes: image.sizeBytes, kind: 'image' } : undefined;
  }

  /** True when some pool already has a volume called `name` (lsm's names are unique per system). */
  async nameTaken(name: string): Promise<boolean> {
    const found = await Promise.all(this.#config.pools.map((p) => this.#find(p.name, name)));
    return found.some((f) => f !== undefined);
  }
}

/** The SCSI id of a volume: recorded at creation, else derived from its id. */
export function scsiIdOf(state: TgtState, id: string): string {
  return state.volumes[id]?.scsiId ?? derivedScsiId(id);
}

export function volumeObject(entry: VolumeEntry, state: TgtState): Volume {
  return {
    id: entry.id,
    name: entry.name,
    vpd83: vpd83For(scsiIdOf(state, entry.id)),
    block_size: BLOCK_SIZE,
    num_of_blocks: entry.sizeBytes / BLOCK_SIZE,
    admin_state: VolumeAdminState.ENABLED,
    system_id: SYSTEM_ID,
    pool_id: entry.pool,
    plugin_data: null,
  };
}
