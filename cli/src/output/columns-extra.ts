/**
 * Views of the answers that are not model objects: RAID information, pool members, RAID-create capabilities,
 * cache information and plugins. Each answer is first turned into a record with named fields (its JSON form).
 */
import { formatSizeHuman } from '@openlsm/core';
import type { Column, FormatOptions, ObjectView } from './columns.js';
import {
  enumText, physicalDiskCacheNames, poolMemberTypeNames, raidTypeNames, readCacheStatusNames, readCachePolicyNames,
  writeCachePolicyNames, writeCacheStatusNames,
} from './display.js';

type Names = Parameters<typeof enumText>[1];

const sizeText = (n: number, f: FormatOptions) => (f.human ? formatSizeHuman(BigInt(n)) : String(n));
const enumOf = <T>(header: string, get: (o: T) => number, names: Names): Column<T> =>
  ({ header, value: (o, f) => (f.enumNumbers ? String(get(o)) : enumText(get(o), names)) });

export interface RaidInfo {
  volume_id: string;
  raid_type: number;
  strip_size: number;
  disk_count: number;
  min_io_size: number;
  opt_io_size: number;
}

export const raidInfoView: ObjectView<RaidInfo> = {
  columns: [
    { header: 'Volume ID', value: (r) => r.volume_id },
    enumOf('RAID Type', (r) => r.raid_type, raidTypeNames),
    { header: 'Strip Size', value: (r, f) => sizeText(r.strip_size, f) },
    { header: 'Disk Count', value: (r) => String(r.disk_count) },
    { header: 'Minimum I/O Size', value: (r, f) => sizeText(r.min_io_size, f) },
    { header: 'Optimal I/O Size', value: (r, f) => sizeText(r.opt_io_size, f) },
  ],
  json: (r) => r,
};

export interface PoolMembers {
  pool_id: string;
  raid_type: number;
  member_type: number;
  member_ids: string[];
}

export const poolMembersView: ObjectView<PoolMembers> = {
  columns: [
    { header: 'Pool ID', value: (p) => p.pool_id },
    enumOf('RAID Type', (p) => p.raid_type, raidTypeNames),
    enumOf('Member Type', (p) => p.member_type, poolMemberTypeNames),
    { header: 'Member IDs', value: (p) => p.member_ids },
  ],
  json: (p) => p,
};

export interface RaidCreateCap {
  system_id: string;
  raid_types: number[];
  strip_sizes: number[];
}

export const raidCreateCapView: ObjectView<RaidCreateCap> = {
  columns: [
    { header: 'System ID', value: (c) => c.system_id },
    { header: 'Supported RAID Types', value: (c, f) => c.raid_types.map((t) => (f.enumNumbers ? String(t) : enumText(t, raidTypeNames))) },
    { header: 'Supported Strip Sizes', value: (c, f) => c.strip_sizes.map((s) => sizeText(s, f)) },
  ],
  json: (c) => c,
};

export interface CacheInfo {
  volume_id: string;
  write_cache_policy: number;
  write_cache_status: number;
  read_cache_policy: number;
  read_cache_status: number;
  physical_disk_cache: number;
}

export const cacheInfoView: ObjectView<CacheInfo> = {
  columns: [
    { header: 'Volume ID', value: (c) => c.volume_id },
    enumOf('Write Cache Policy', (c) => c.write_cache_policy, writeCachePolicyNames),
    enumOf('Write Cache', (c) => c.write_cache_status, writeCacheStatusNames),
    enumOf('Read Cache Policy', (c) => c.read_cache_policy, readCachePolicyNames),
    enumOf('Read Cache', (c) => c.read_cache_status, readCacheStatusNames),
    enumOf('Physical Disk Cache', (c) => c.physical_disk_cache, physicalDiskCacheNames),
  ],
  json: (c) => c,
};

export interface PluginRow {
  name: string;
  description: string;
  version: string;
  source: string;
}

export const pluginView: ObjectView<PluginRow> = {
  columns: [
    { header: 'Description', value: (p) => p.description },
    { header: 'Version', value: (p) => p.version },
    { header: 'Name', value: (p) => p.name, scriptOnly: true },
    { header: 'Source', value: (p) => p.source, scriptOnly: true },
  ],
  json: (p) => p,
};
