/**
 * The system, its pools, disks, target ports and batteries, and the system-wide settings.
 */
import {
  type Battery, type Disk, ErrorNumber, LsmError, type Pool, PoolMemberType, type System, type TargetPort,
} from '@openlsm/core';
import { formatId, Ids, notFound, requireId, requireSystem, sqlId, SYSTEM_ID } from './ids.js';
import { searchCondition } from './search.js';
import type { SimStore } from './store.js';

export function listSystems(store: SimStore): System[] {
  return store.all<Record<string, unknown>>('SELECT * FROM systems').map((r) => ({
    id: r.id as string,
    name: r.name as string,
    status: Number(r.status),
    status_info: r.status_info as string,
    plugin_data: null,
    fw_version: r.fw_version as string,
    read_cache_pct: Number(r.read_cache_pct),
    mode: Number(r.mode),
  }));
}

export function updateReadCachePct(store: SimStore, systemId: string, readPct: number): void {
  requireSystem(systemId);
  if (!Number.isInteger(readPct) || readPct < 0 || readPct > 100) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid read_pct ${readPct}: use a percentage from 0 to 100`);
  }
  store.write(() => store.run('UPDATE systems SET read_cache_pct = ? WHERE id = ?', readPct, systemId));
}

const POOL_COLUMNS = `${sqlId(Ids.pool, 'id')} AS id, name, element_type, unsupported_actions, total_space,
  free_space, status, status_info`;

function poolFromRow(r: Record<string, unknown>): Pool {
  return {
    id: r.id as string,
    name: r.name as string,
    element_type: Number(r.element_type),
    unsupported_actions: Number(r.unsupported_actions),
    total_space: r.total_space as bigint,
    free_space: r.free_space as bigint,
    status: Number(r.status),
    status_info: r.status_info as string,
    system_id: SYSTEM_ID,
    plugin_data: null,
  };
}

export function listPools(store: SimStore, key: string | null, value: string | null): Pool[] {
  const cond = searchCondition(key, value, 'pools', Ids.pool);
  if (cond === 'none') return [];
  return store.all<Record<string, unknown>>(`SELECT ${POOL_COLUMNS} FROM pools${cond.sql} ORDER BY pools.id`, ...cond.params).map(poolFromRow);
}

/** What the other modules need to know of a pool. */
export interface PoolRow {
  rowid: number;
  element_type: number;
  unsupported_actions: number;
  free_space: bigint;
}

/** The pool `id` names, or NOT_FOUND_POOL. */
export function loadPool(store: SimStore, id: string): PoolRow {
  const pool = loadPoolRow(store, requireId(Ids.pool, id));
  if (!pool) throw notFound(Ids.pool, id);
  return pool;
}

/** The pool with row id `rowid`, or undefined. */
export function loadPoolRow(store: SimStore, rowid: number): PoolRow | undefined {
  const r = store.get<Record<string, unknown>>('SELECT element_type, unsupported_actions, free_space FROM pools WHERE id = ?', rowid);
  if (!r) return undefined;
  return {
    rowid,
    element_type: Number(r.element_type),
    unsupported_actions: Number(r.unsupported_actions),
    free_space: r.free_space as bigint,
  };
}

/** Takes `bytes` from a pool's free space, or NOT_ENOUGH_SPACE. Call inside a write transaction. */
export function takeSpace(store: SimStore, poolRowid: number, bytes: bigint): void {
  if (bytes <= 0n) return;
  const r = store.run('UPDATE pools SET free_space = free_space - ? WHERE id = ? AND free_space >= ?', bytes, poolRowid, bytes);
  if (r.changes !== 1) throw new LsmError(ErrorNumber.NOT_ENOUGH_SPACE, 'Insufficient space in pool');
}

/** Returns `bytes` to a pool's free space. Call inside a write transaction. */
export function giveSpace(store: SimStore, poolRowid: number, bytes: bigint): void {
  if (bytes <= 0n) return;
  store.run('UPDATE pools SET free_space = free_space + ? WHERE id = ?', bytes, poolRowid);
}

export function poolMemberInfo(store: SimStore, poolId: string): [number, number, string[]] {
  return store.read(() => {
    const rowid = requireId(Ids.pool, poolId);
    const r = store.get<Record<string, unknown>>('SELECT raid_type, member_type, parent_pool_id FROM pools WHERE id = ?', rowid);
    if (!r) throw notFound(Ids.pool, poolId);
    const memberType = Number(r.member_type);
    let members: string[];
    if (memberType === PoolMemberType.POOL) members = r.parent_pool_id === null ? [] : [formatId(Ids.pool, r.parent_pool_id as bigint)];
    else members = store.rows(`SELECT ${sqlId(Ids.disk, 'id')} FROM disks WHERE pool_id = ? ORDER BY id`, rowid).map((row) => row[0] as string);
    return [Number(r.raid_type), memberType, members];
  });
}

export function listDisks(store: SimStore, key: string | null, value: string | null): Disk[] {
  const cond = searchCondition(key, value, 'disks', Ids.disk);
  if (cond === 'none') return [];
  return store.all<Record<string, unknown>>(
    `SELECT ${sqlId(Ids.disk, 'id')} AS sid, * FROM disks${cond.sql} ORDER BY disks.id`, ...cond.params,
  ).map((r) => ({
    id: r.sid as string,
    name: r.name as string,
    disk_type: Number(r.disk_type),
    block_size: r.block_size as bigint,
    num_of_blocks: r.num_of_blocks as bigint,
    status: Number(r.status),
    system_id: SYSTEM_ID,
    plugin_data: null,
    vpd83: r.vpd83 as string,
    location: r.location as string,
    rpm: Number(r.rpm),
    link_type: Number(r.link_type),
  }));
}

export function listTargetPorts(store: SimStore, key: string | null, value: string | null): TargetPort[] {
  const cond = searchCondition(key, value, 'tgts', Ids.targetPort);
  if (cond === 'none') return [];
  return store.all<Record<string, unknown>>(
    `SELECT ${sqlId(Ids.targetPort, 'id')} AS sid, * FROM tgts${cond.sql} ORDER BY tgts.id`, ...cond.params,
  ).map((r) => ({
    id: r.sid as string,
    port_type: Number(r.port_type),
    service_address: r.service_address as string,
    network_address: r.network_address as string,
    physical_address: r.physical_address as string,
    physical_name: r.physical_name as string,
    system_id: SYSTEM_ID,
    plugin_data: null,
  }));
}

export function listBatteries(store: SimStore, key: string | null, value: string | null): Battery[] {
  const cond = searchCondition(key, value, 'batteries', Ids.battery);
  if (cond === 'none') return [];
  return store.all<Record<string, unknown>>(
    `SELECT ${sqlId(Ids.battery, 'id')} AS sid, * FROM batteries${cond.sql} ORDER BY batteries.id`, ...cond.params,
  ).map((r) => ({
    id: r.sid as string,
    name: r.name as string,
    type: Number(r.type),
    status: Number(r.status),
    system_id: SYSTEM_ID,
    plugin_data: null,
  }));
}
