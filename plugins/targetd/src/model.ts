/**
 * targetd's objects as lsm objects, field by field as libstoragemgmt's targetd plugin builds them (see ids.ts for
 * the ids). Two deliberate differences: the system is named after the host the URI names (several appliances
 * are told apart), and a block pool says it cannot shrink volumes (targetd's `vol_resize` only grows; with no
 * `vol_resize` at all, it cannot grow them either). A pool's `plugin_data` is targetd's pool uuid, exact even
 * for a 64-bit ZFS guid.
 */
import {
  type AccessGroup, type FileSystem, type FsSnapshot, InitiatorType, type Pool, PoolElementType, PoolStatus,
  PoolUnsupported, ReadCachePct, type System, SystemMode, SystemStatus, type Volume, VolumeAdminState,
} from '@openlsm/core';
import type { TdAccessGroup, TdFs, TdPool, TdSnapshot, TdVolume } from './api.js';
import { standaloneGroupId, SYSTEM_ID, uuidToVpd83 } from './ids.js';

/** LVM's sector size, which lsm's plugin reports as every volume's block size. */
export const BLOCK_SIZE = 512n;

export function systemFor(host: string): System {
  return {
    id: SYSTEM_ID, name: host, status: SystemStatus.UNKNOWN, status_info: '', plugin_data: null, fw_version: '',
    read_cache_pct: ReadCachePct.NO_SUPPORT, mode: SystemMode.NO_SUPPORT,
  };
}

export function isFsPool(pool: TdPool): boolean {
  return pool.name.startsWith('/');
}

export function toPool(pool: TdPool, canResize: boolean): Pool {
  const fs = isFsPool(pool);
  const unsupported = fs ? 0 : canResize ? PoolUnsupported.VOLUME_SHRINK : PoolUnsupported.VOLUME_GROW | PoolUnsupported.VOLUME_SHRINK;
  return {
    id: pool.name, name: pool.name, element_type: fs ? PoolElementType.FS : pool.thin ? PoolElementType.VOLUME | PoolElementType.VOLUME_THIN : PoolElementType.VOLUME, unsupported_actions: unsupported,
    total_space: pool.size, free_space: pool.freeSize, status: PoolStatus.UNKNOWN, status_info: '', system_id: SYSTEM_ID,
    plugin_data: pool.uuid,
  };
}

export function toVolume(vol: TdVolume, pool: string): Volume {
  return {
    id: vol.uuid, name: vol.name, vpd83: uuidToVpd83(vol.uuid), block_size: BLOCK_SIZE, num_of_blocks: vol.size / BLOCK_SIZE,
    admin_state: VolumeAdminState.ENABLED, system_id: SYSTEM_ID, pool_id: pool, plugin_data: null,
  };
}

export function toStandaloneGroup(initiator: string): AccessGroup {
  return { id: standaloneGroupId(initiator), name: 'N/A', init_ids: [initiator], init_type: InitiatorType.ISCSI_IQN, system_id: SYSTEM_ID, plugin_data: null };
}

export function toGroup(group: TdAccessGroup): AccessGroup {
  return { id: group.name, name: group.name, init_ids: group.initIds, init_type: InitiatorType.ISCSI_IQN, system_id: SYSTEM_ID, plugin_data: null };
}

export function toFs(fs: TdFs): FileSystem {
  return { id: fs.uuid, name: fs.name, total_space: fs.totalSpace, free_space: fs.freeSpace, pool_id: fs.pool, system_id: SYSTEM_ID, plugin_data: null };
}

export function toSnapshot(ss: TdSnapshot): FsSnapshot {
  return { id: ss.uuid, name: ss.name, ts: ss.timestamp, plugin_data: null };
}
