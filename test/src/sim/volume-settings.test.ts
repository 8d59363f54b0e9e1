/**
 * RAID, LED and cache RPCs of the simulator through the SDK and a real plugin process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DiskStatus, PhysicalDiskCache, PoolMemberType, RaidType, ReadCachePolicy, ReadCacheStatus, WriteCachePolicy,
  WriteCacheStatus,
} from '@openlsm/core';
import { ErrorNumber, GiB, lsmError, pool, withSim } from './sim-env.js';

test('volume_raid_info: the RAID layout under the volume, also through a sub-pool', () => withSim(async (client) => {
  const inPool1 = await client.volumeCreate({ pool: await pool(client, 'POOL_ID_00001'), volume_name: 'a', size_bytes: GiB });
  assert.deepEqual(await client.volumeRaidInfo({ volume: inPool1 }), [RaidType.RAID1, 131072, 2, 131072, 131072]);
  const inPool4 = await client.volumeCreate({ pool: await pool(client, 'POOL_ID_00004'), volume_name: 'b', size_bytes: GiB });
  assert.deepEqual(await client.volumeRaidInfo({ volume: inPool4 }), [RaidType.RAID0, 131072, 2, 131072, 262144]);
  const inSubPool = await client.volumeCreate({ pool: await pool(client, 'POOL_ID_00002'), volume_name: 'c', size_bytes: GiB });
  assert.deepEqual(await client.volumeRaidInfo({ volume: inSubPool }), [RaidType.RAID1, 131072, 2, 131072, 131072]);
  await assert.rejects(client.volumeRaidInfo({ volume: { ...inPool1, id: 'VOL_ID_00009' } }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
}));

test('pool_member_info: disks of RAID pools, the parent of a sub-pool; NOT_FOUND_POOL', () => withSim(async (client) => {
  assert.deepEqual(await client.poolMemberInfo({ pool: await pool(client, 'POOL_ID_00001') }), [RaidType.RAID1, PoolMemberType.DISK, ['DISK_ID_00001', 'DISK_ID_00002']]);
  assert.deepEqual(await client.poolMemberInfo({ pool: await pool(client, 'POOL_ID_00002') }), [RaidType.OTHER, PoolMemberType.POOL, ['POOL_ID_00001']]);
  assert.deepEqual(await client.poolMemberInfo({ pool: await pool(client, 'POOL_ID_00003') }), [RaidType.RAID1, PoolMemberType.DISK, ['DISK_ID_00009', 'DISK_ID_00010']]);
  assert.deepEqual(await client.poolMemberInfo({ pool: await pool(client, 'POOL_ID_00004') }), [RaidType.RAID0, PoolMemberType.DISK, ['DISK_ID_00003', 'DISK_ID_00004']]);
  await assert.rejects(client.poolMemberInfo({ pool: { ...(await pool(client, 'POOL_ID_00001')), id: 'POOL_ID_00005' } }), lsmError(ErrorNumber.NOT_FOUND_POOL));
}));

test('volume_raid_create_cap_get: lsm\'s RAID levels and strip sizes; NOT_FOUND_SYSTEM', () => withSim(async (client) => {
  const [system] = await client.systems();
  assert.deepEqual(await client.volumeRaidCreateCapGet({ system: system! }), [
    [0, 1, 5, 6, 10, 50, 60], [8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576],
  ]);
  await assert.rejects(client.volumeRaidCreateCapGet({ system: { ...system!, id: 'x' } }), lsmError(ErrorNumber.NOT_FOUND_SYSTEM));
}));

test('volume_raid_create: consumes FREE disks into a new pool; DISK_NOT_FREE, NO_SUPPORT, NOT_FOUND_DISK, NAME_CONFLICT', () => withSim(async (client) => {
  const disks = await client.disks();
  assert.equal(disks.filter((d) => d.status & DiskStatus.FREE).length, 14);
  const free = (id: string) => disks.find((d) => d.id === id)!;
  const v = await client.volumeRaidCreate({ name: 'r5', raid_type: RaidType.RAID5, disks: [free('DISK_ID_00011'), free('DISK_ID_00012'), free('DISK_ID_00013')], strip_size: 0 });
  assert.equal(v.name, 'r5');
  assert.equal(v.block_size * v.num_of_blocks, 2n * 512n * GiB);
  const pools = await client.pools();
  assert.equal(pools.length, 5);
  assert.equal(v.pool_id, pools[4]?.id);
  assert.equal(pools[4]?.free_space, 0n);
  assert.deepEqual(await client.poolMemberInfo({ pool: pools[4]! }), [RaidType.RAID5, PoolMemberType.DISK, ['DISK_ID_00011', 'DISK_ID_00012', 'DISK_ID_00013']]);
  assert.deepEqual(await client.volumeRaidInfo({ volume: v }), [RaidType.RAID5, 131072, 3, 131072, 262144]);
  const after = await client.disks({ search_key: 'id', search_value: 'DISK_ID_00011' });
  assert.equal(after[0]!.status & DiskStatus.FREE, 0);
  await assert.rejects(client.volumeRaidCreate({ name: 'again', raid_type: RaidType.RAID1, disks: [free('DISK_ID_00011'), free('DISK_ID_00014')], strip_size: 0 }), lsmError(ErrorNumber.DISK_NOT_FREE));
  await assert.rejects(client.volumeRaidCreate({ name: 'inpool', raid_type: RaidType.RAID1, disks: [free('DISK_ID_00001'), free('DISK_ID_00014')], strip_size: 0 }), lsmError(ErrorNumber.DISK_NOT_FREE));
  await assert.rejects(client.volumeRaidCreate({ name: 'r3', raid_type: RaidType.RAID3, disks: [free('DISK_ID_00014'), free('DISK_ID_00015'), free('DISK_ID_00016')], strip_size: 0 }), lsmError(ErrorNumber.NO_SUPPORT, /RAID type/));
  await assert.rejects(client.volumeRaidCreate({ name: 'odd', raid_type: RaidType.RAID1, disks: [free('DISK_ID_00014'), free('DISK_ID_00015')], strip_size: 4096 }), lsmError(ErrorNumber.NO_SUPPORT, /Strip size/));
  await assert.rejects(client.volumeRaidCreate({ name: 'few', raid_type: RaidType.RAID6, disks: [free('DISK_ID_00014'), free('DISK_ID_00015')], strip_size: 0 }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.volumeRaidCreate({ name: 'ghost', raid_type: RaidType.RAID1, disks: [free('DISK_ID_00014'), { ...free('DISK_ID_00015'), id: 'DISK_ID_00099' }], strip_size: 0 }), lsmError(ErrorNumber.NOT_FOUND_DISK));
  await assert.rejects(client.volumeRaidCreate({ name: 'r5', raid_type: RaidType.RAID1, disks: [free('DISK_ID_00014'), free('DISK_ID_00015')], strip_size: 0 }), lsmError(ErrorNumber.NAME_CONFLICT));
  // The refused attempts changed nothing.
  assert.equal((await client.disks()).filter((d) => d.status & DiskStatus.FREE).length, 11);
  const r1 = await client.volumeRaidCreate({ name: 'r1', raid_type: RaidType.RAID1, disks: [free('DISK_ID_00014'), free('DISK_ID_00015')], strip_size: 65536 });
  assert.deepEqual(await client.volumeRaidInfo({ volume: r1 }), [RaidType.RAID1, 65536, 2, 65536, 65536]);
}));

test('volume_ident_led_on / _off: accepted on a volume (repeats tolerated); NOT_FOUND_VOLUME', () => withSim(async (client) => {
  const v = await client.volumeCreate({ pool: await pool(client, 'POOL_ID_00004'), volume_name: 'v', size_bytes: GiB });
  await client.volumeIdentLedOn({ volume: v });
  await client.volumeIdentLedOn({ volume: v });
  await client.volumeIdentLedOff({ volume: v });
  await client.volumeIdentLedOff({ volume: v });
  await assert.rejects(client.volumeIdentLedOn({ volume: { ...v, id: 'VOL_ID_00002' } }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
  await assert.rejects(client.volumeIdentLedOff({ volume: { ...v, id: 'VOL_ID_00002' } }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
}));

test('volume_cache_info and the three cache policy updates; INVALID_ARGUMENT, NOT_FOUND_VOLUME', () => withSim(async (client) => {
  const v = await client.volumeCreate({ pool: await pool(client, 'POOL_ID_00004'), volume_name: 'v', size_bytes: GiB });
  assert.deepEqual(await client.volumeCacheInfo({ volume: v }), [
    WriteCachePolicy.AUTO, WriteCacheStatus.WRITE_BACK, ReadCachePolicy.ENABLED, ReadCacheStatus.ENABLED, PhysicalDiskCache.DISABLED,
  ]);
  await client.volumeWriteCachePolicyUpdate({ volume: v, wcp: WriteCachePolicy.WRITE_THROUGH });
  await client.volumeReadCachePolicyUpdate({ volume: v, rcp: ReadCachePolicy.DISABLED });
  await client.volumePhysicalDiskCacheUpdate({ volume: v, pdc: PhysicalDiskCache.ENABLED });
  assert.deepEqual(await client.volumeCacheInfo({ volume: v }), [
    WriteCachePolicy.WRITE_THROUGH, WriteCacheStatus.WRITE_THROUGH, ReadCachePolicy.DISABLED, ReadCacheStatus.DISABLED, PhysicalDiskCache.ENABLED,
  ]);
  await client.volumeWriteCachePolicyUpdate({ volume: v, wcp: WriteCachePolicy.WRITE_BACK });
  assert.equal((await client.volumeCacheInfo({ volume: v }))[1], WriteCacheStatus.WRITE_BACK);
  await assert.rejects(client.volumeWriteCachePolicyUpdate({ volume: v, wcp: WriteCachePolicy.UNKNOWN }), lsmError(ErrorNumber.INVALID_ARGUMENT, /wcp/));
  await assert.rejects(client.volumeReadCachePolicyUpdate({ volume: v, rcp: 42 }), lsmError(ErrorNumber.INVALID_ARGUMENT, /rcp/));
  await assert.rejects(client.volumePhysicalDiskCacheUpdate({ volume: v, pdc: PhysicalDiskCache.USE_DISK_SETTING }), lsmError(ErrorNumber.INVALID_ARGUMENT, /pdc/));
  const gone = { ...v, id: 'VOL_ID_00002' };
  await assert.rejects(client.volumeCacheInfo({ volume: gone }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
  await assert.rejects(client.volumeWriteCachePolicyUpdate({ volume: gone, wcp: WriteCachePolicy.AUTO }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
  await assert.rejects(client.volumeReadCachePolicyUpdate({ volume: gone, rcp: ReadCachePolicy.ENABLED }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
  await assert.rejects(client.volumePhysicalDiskCacheUpdate({ volume: gone, pdc: PhysicalDiskCache.DISABLED }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
}));
