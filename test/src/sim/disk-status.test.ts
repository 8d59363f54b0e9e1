/**
 * Disk status through a long sequence of every kind of call, against lsm's simulator's rule (plugin/sim/
 * simarray.py, `_sim_disk_2_lsm` and `sim_vol_delete`): a disk is OK, and also FREE exactly when it belongs to no
 * pool; deleting a volume made by volume_raid_create deletes its pool, so its disks are FREE again. After the
 * sequence a RAID 1 volume_raid_create still finds two free disks, as on lsm's simulator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Disk, DiskStatus, PhysicalDiskCache, PoolElementType, PoolMemberType, RaidType, ReplicationType, type Volume, WriteCachePolicy,
} from '@openlsm/core';
import type { Client } from '@openlsm/client';
import { ErrorNumber, GiB, lsmError, pool, withSim } from './sim-env.js';

/** Every disk's status as lsm's simulator would report it now: FREE when no pool lists it as a member. */
async function expectLsmDiskStatus(client: Client, after: string): Promise<Disk[]> {
  const members = new Set<string>();
  for (const p of await client.pools()) {
    const [, type, ids] = await client.poolMemberInfo({ pool: p });
    if (type === PoolMemberType.DISK) for (const id of ids) members.add(id);
  }
  const disks = await client.disks();
  for (const d of disks) {
    const expected = members.has(d.id) ? DiskStatus.OK : DiskStatus.OK | DiskStatus.FREE;
    assert.equal(d.status, expected, `${d.id} after ${after}: status ${d.status}, lsm's simulator reports ${expected}`);
  }
  return disks;
}

const freeDisks = (disks: Disk[]) => disks.filter((d) => d.status & DiskStatus.FREE);

test('disk status after every kind of call matches lsm\'s simulator; RAID volumes give their disks back', () => withSim(async (client) => {
  const step = async (name: string, call: () => Promise<unknown>) => {
    await call();
    return expectLsmDiskStatus(client, name);
  };
  const [system] = await client.systems();
  const p4 = await pool(client, 'POOL_ID_00004');
  const p1 = await pool(client, 'POOL_ID_00001');
  let disks = await expectLsmDiskStatus(client, 'start');
  assert.equal(freeDisks(disks).length, 14);

  let v1!: Volume;
  let v2!: Volume;
  await step('volume_create', async () => { v1 = await client.volumeCreate({ pool: p4, volume_name: 'v1', size_bytes: GiB }); });
  await step('volume_create (pool 1)', async () => { v2 = await client.volumeCreate({ pool: p1, volume_name: 'v2', size_bytes: GiB }); });
  await step('volume_resize', async () => { v1 = await client.volumeResize({ volume: v1, new_size_bytes: 2n * GiB }); });
  let copy!: Volume;
  await step('volume_replicate', async () => { copy = await client.volumeReplicate({ volume_src: v1, name: 'v1-copy', rep_type: ReplicationType.COPY, pool: null }); });
  await step('volume_replicate_range', () => client.volumeReplicateRange({ rep_type: ReplicationType.CLONE, volume_src: v1, volume_dest: copy, ranges: [{ src_block: 0n, dest_block: 0n, block_count: 8n }] }));
  await step('volume_child_dependency_rm', () => client.volumeChildDependencyRm({ volume: v1 }));
  await step('volume_disable', () => client.volumeDisable({ volume: v2 }));
  await step('volume_enable', () => client.volumeEnable({ volume: v2 }));
  await step('volume cache policy updates', async () => {
    await client.volumeWriteCachePolicyUpdate({ volume: v2, wcp: WriteCachePolicy.WRITE_THROUGH });
    await client.volumePhysicalDiskCacheUpdate({ volume: v2, pdc: PhysicalDiskCache.ENABLED });
  });
  const ag = await client.accessGroupCreate({ name: 'hosts', init_id: 'iqn.1994-05.com.example:a', init_type: 5, system: system! });
  await step('access_group_initiator_add', () => client.accessGroupInitiatorAdd({ access_group: ag, init_id: 'iqn.1994-05.com.example:b', init_type: 5 }));
  await step('volume_mask', () => client.volumeMask({ access_group: ag, volume: v1 }));

  // RAID 1 from two free disks, masked, refused deletion while masked, then unmasked and deleted: the disks come back.
  disks = await expectLsmDiskStatus(client, 'masking');
  const [a, b] = freeDisks(disks);
  let raid!: Volume;
  disks = await step('volume_raid_create', async () => { raid = await client.volumeRaidCreate({ name: 'r1', raid_type: RaidType.RAID1, disks: [a!, b!], strip_size: 0 }); });
  assert.equal(freeDisks(disks).length, 12);
  const raidPool = (await client.pools()).find((p) => p.id === raid.pool_id);
  assert.equal(raidPool?.element_type, PoolElementType.VOLUME, 'lsm\'s simulator makes the RAID pool for volumes only (ELEMENT_TYPE_VOLUME)');
  await step('volume_mask (RAID volume)', () => client.volumeMask({ access_group: ag, volume: raid }));
  await assert.rejects(client.volumeDelete({ volume: raid }), lsmError(ErrorNumber.IS_MASKED));
  await step('volume_unmask (RAID volume)', () => client.volumeUnmask({ access_group: ag, volume: raid }));
  disks = await step('volume_delete (RAID volume)', () => client.volumeDelete({ volume: raid }));
  assert.equal(freeDisks(disks).length, 14, 'deleting the RAID volume freed both disks');
  assert.equal((await client.pools()).some((p) => p.id === raid.pool_id), false, 'and deleted its pool');

  // A RAID 5 and a RAID 10 in a row, deleted again.
  for (const [raidType, n] of [[RaidType.RAID5, 3], [RaidType.RAID10, 4]] as const) {
    const use = freeDisks(await client.disks()).slice(0, n);
    const v = await client.volumeRaidCreate({ name: `raid-${raidType}`, raid_type: raidType, disks: use, strip_size: 65536 });
    await expectLsmDiskStatus(client, `volume_raid_create RAID${raidType}`);
    await step(`volume_delete RAID${raidType}`, () => client.volumeDelete({ volume: v }));
  }

  await step('volume_unmask', () => client.volumeUnmask({ access_group: ag, volume: v1 }));
  await step('access_group_initiator_delete', () => client.accessGroupInitiatorDelete({ access_group: ag, init_id: 'iqn.1994-05.com.example:b', init_type: 5 }));
  await step('access_group_delete', () => client.accessGroupDelete({ access_group: ag }));
  const fs = await client.fsCreate({ pool: p4, name: 'fs1', size_bytes: GiB });
  await step('fs_snapshot_create', () => client.fsSnapshotCreate({ fs, snapshot_name: 's1' }));
  await step('fs_clone', () => client.fsClone({ src_fs: fs, dest_fs_name: 'fs1-clone', snapshot: null }));
  await step('export_fs', () => client.exportFs({ fs_id: fs.id, rw_list: ['10.0.0.1'] }));
  await step('volume_delete', async () => {
    await client.volumeDelete({ volume: copy });
    await client.volumeDelete({ volume: v1 });
    await client.volumeDelete({ volume: v2 });
  });

  disks = await expectLsmDiskStatus(client, 'the whole sequence');
  assert.equal(freeDisks(disks).length, 14);
  const last = freeDisks(disks).slice(-2);
  const r = await client.volumeRaidCreate({ name: 'final-r1', raid_type: RaidType.RAID1, disks: last, strip_size: 0 });
  assert.equal(r.name, 'final-r1');
  await expectLsmDiskStatus(client, 'the last volume_raid_create');
}));
