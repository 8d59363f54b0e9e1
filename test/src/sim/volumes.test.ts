/**
 * Volume RPCs of the simulator through the SDK and a real plugin process: each call's success and its documented
 * errors (lsm's error semantics, reference §5.1 and §10.3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Client } from '@openlsm/client';
import { Provisioning, ReplicationType, type Volume, VolumeAdminState } from '@openlsm/core';
import { ErrorNumber, GiB, lsmError, pool, withSim } from './sim-env.js';

async function makeVolume(client: Client, name: string, size = GiB, poolId = 'POOL_ID_00004'): Promise<Volume> {
  return client.volumeCreate({ pool: await pool(client, poolId), volume_name: name, size_bytes: size });
}

test('volume_create: rounds up to 512-byte blocks, takes pool space, and the new volume is listed', () => withSim(async (client) => {
  const before = await pool(client, 'POOL_ID_00003');
  const v = await client.volumeCreate({ pool: before, volume_name: 'vol_a', size_bytes: 1000n, provisioning: Provisioning.THIN });
  assert.equal(v.id, 'VOL_ID_00001');
  assert.equal(v.name, 'vol_a');
  assert.equal(v.block_size, 512n);
  assert.equal(v.num_of_blocks, 2n);
  assert.equal(v.admin_state, VolumeAdminState.ENABLED);
  assert.equal(v.pool_id, 'POOL_ID_00003');
  assert.equal(v.system_id, 'sim-01');
  assert.match(v.vpd83, /^5[0-9a-f]{15}$/);
  const after = await pool(client, 'POOL_ID_00003');
  assert.equal(after.free_space, before.free_space - 1024n);
  assert.deepEqual(await client.volumes(), [v]);
}));

test('volume_create errors: NAME_CONFLICT, NOT_ENOUGH_SPACE, NOT_FOUND_POOL, INVALID_ARGUMENT', () => withSim(async (client) => {
  const p3 = await pool(client, 'POOL_ID_00003');
  await makeVolume(client, 'dup');
  await assert.rejects(client.volumeCreate({ pool: p3, volume_name: 'dup', size_bytes: GiB }), lsmError(ErrorNumber.NAME_CONFLICT, /Name 'dup' is already in use by other volume/));
  await assert.rejects(client.volumeCreate({ pool: p3, volume_name: 'big', size_bytes: 513n * GiB }), lsmError(ErrorNumber.NOT_ENOUGH_SPACE, /Insufficient space in pool/));
  await assert.rejects(client.volumeCreate({ pool: p3, volume_name: 'huge', size_bytes: 2n ** 63n - 1n }), lsmError(ErrorNumber.NOT_ENOUGH_SPACE));
  await assert.rejects(client.volumeCreate({ pool: { ...p3, id: 'POOL_ID_00099' }, volume_name: 'x', size_bytes: GiB }), lsmError(ErrorNumber.NOT_FOUND_POOL));
  for (const size of [0n, -1n]) {
    await assert.rejects(client.volumeCreate({ pool: p3, volume_name: 'x', size_bytes: size }), lsmError(ErrorNumber.INVALID_ARGUMENT, /size_bytes/));
  }
  for (const name of ['', 'a\nb', 'x'.repeat(256), 'tab\there']) {
    await assert.rejects(client.volumeCreate({ pool: p3, volume_name: name, size_bytes: GiB }), lsmError(ErrorNumber.INVALID_ARGUMENT, /volume name/));
  }
  await assert.rejects(client.volumeCreate({ pool: p3, volume_name: 'x', size_bytes: GiB, provisioning: 7 }), lsmError(ErrorNumber.INVALID_ARGUMENT, /provisioning/));
  // Nothing half-written: only the first volume exists, and the pool lost only its space.
  assert.deepEqual((await client.volumes()).map((v) => v.name), ['dup']);
  assert.equal((await pool(client, 'POOL_ID_00003')).free_space, 512n * GiB);
}));

test('volume names are data: shell and path characters are stored verbatim', () => withSim(async (client) => {
  const names = ['a; rm -rf /', '../../etc/passwd', '$(reboot)', 'Volume with spaces', 'ünïcödé ✓'];
  for (const n of names) await makeVolume(client, n, 512n);
  assert.deepEqual((await client.volumes()).map((v) => v.name), names);
}));

test('volumes: search by id, pool_id and system_id; hostile ids match nothing', () => withSim(async (client) => {
  const a = await makeVolume(client, 'a', GiB, 'POOL_ID_00003');
  const b = await makeVolume(client, 'b', GiB, 'POOL_ID_00004');
  assert.deepEqual(await client.volumes({ search_key: 'id', search_value: b.id }), [b]);
  assert.deepEqual(await client.volumes({ search_key: 'pool_id', search_value: 'POOL_ID_00003' }), [a]);
  assert.deepEqual(await client.volumes({ search_key: 'system_id', search_value: 'sim-01' }), [a, b]);
  assert.deepEqual(await client.volumes({ search_key: 'system_id', search_value: 'sim-02' }), []);
  for (const bad of ['VOL_ID_', 'VOL_ID_00001 OR 1=1', "VOL_ID_00001'; DROP TABLE volumes;--", 'x'.repeat(100_000), 'VOL_ID_99999999999999999999']) {
    assert.deepEqual(await client.volumes({ search_key: 'id', search_value: bad }), []);
  }
  await assert.rejects(client.volumes({ search_key: 'name', search_value: 'a' }), lsmError(ErrorNumber.UNSUPPORTED_SEARCH_KEY));
  assert.equal((await client.volumes()).length, 2);
}));

test('volume_delete: returns the space; IS_MASKED, HAS_CHILD_DEPENDENCY, NOT_FOUND_VOLUME', () => withSim(async (client) => {
  const v = await makeVolume(client, 'v');
  const free = (await pool(client, 'POOL_ID_00004')).free_space;
  const [system] = await client.systems();
  const ag = await client.accessGroupCreate({ name: 'ag', init_id: 'iqn.1994-05.com.domain:01.abc', init_type: 5, system: system! });
  await client.volumeMask({ access_group: ag, volume: v });
  await assert.rejects(client.volumeDelete({ volume: v }), lsmError(ErrorNumber.IS_MASKED, /^Volume is masked to access group$/));
  await client.volumeUnmask({ access_group: ag, volume: v });
  const clone = await client.volumeReplicate({ pool: null, rep_type: ReplicationType.CLONE, volume_src: v, name: 'v_clone' });
  await assert.rejects(client.volumeDelete({ volume: v }), lsmError(ErrorNumber.HAS_CHILD_DEPENDENCY));
  await client.volumeDelete({ volume: clone });
  await client.volumeDelete({ volume: v });
  assert.equal((await pool(client, 'POOL_ID_00004')).free_space, free + GiB);
  assert.deepEqual(await client.volumes(), []);
  await assert.rejects(client.volumeDelete({ volume: v }), lsmError(ErrorNumber.NOT_FOUND_VOLUME, /Volume not found/));
  // A new volume never reuses a deleted volume's id.
  assert.equal((await makeVolume(client, 'next')).id, 'VOL_ID_00003');
}));

test('volume_resize: grows and shrinks; NO_STATE_CHANGE, NO_SUPPORT (pool forbids), NOT_ENOUGH_SPACE, NOT_FOUND_VOLUME', () => withSim(async (client) => {
  const v = await makeVolume(client, 'v', GiB, 'POOL_ID_00003');
  const grown = await client.volumeResize({ volume: v, new_size_bytes: 2n * GiB });
  assert.equal(grown.num_of_blocks * grown.block_size, 2n * GiB);
  assert.equal((await pool(client, 'POOL_ID_00003')).free_space, 510n * GiB);
  const shrunk = await client.volumeResize({ volume: grown, new_size_bytes: GiB / 2n });
  assert.equal(shrunk.num_of_blocks * shrunk.block_size, GiB / 2n);
  assert.equal((await pool(client, 'POOL_ID_00003')).free_space, 512n * GiB - GiB / 2n);
  await assert.rejects(client.volumeResize({ volume: v, new_size_bytes: GiB / 2n }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  await assert.rejects(client.volumeResize({ volume: v, new_size_bytes: 600n * GiB }), lsmError(ErrorNumber.NOT_ENOUGH_SPACE));
  await assert.rejects(client.volumeResize({ volume: v, new_size_bytes: 0n }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  const p1 = await makeVolume(client, 'in_pool_1', GiB, 'POOL_ID_00001');
  await assert.rejects(client.volumeResize({ volume: p1, new_size_bytes: 2n * GiB }), lsmError(ErrorNumber.NO_SUPPORT, /growing/));
  await assert.rejects(client.volumeResize({ volume: p1, new_size_bytes: GiB / 2n }), lsmError(ErrorNumber.NO_SUPPORT, /shrinking/));
  await assert.rejects(client.volumeResize({ volume: { ...v, id: 'VOL_ID_00077' }, new_size_bytes: GiB }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
}));

test('volume_replicate: clone, copy and mirrors, into the same or another pool; NAME_CONFLICT, INVALID_ARGUMENT, NOT_ENOUGH_SPACE', () => withSim(async (client) => {
  const src = await makeVolume(client, 'src', GiB, 'POOL_ID_00003');
  const types = [ReplicationType.CLONE, ReplicationType.COPY, ReplicationType.MIRROR_SYNC, ReplicationType.MIRROR_ASYNC];
  for (const [i, rep_type] of types.entries()) {
    const r = await client.volumeReplicate({ pool: null, rep_type, volume_src: src, name: `rep${i}` });
    assert.equal(r.pool_id, 'POOL_ID_00003');
    assert.equal(r.num_of_blocks, src.num_of_blocks);
    assert.notEqual(r.vpd83, src.vpd83);
  }
  const other = await client.volumeReplicate({ pool: await pool(client, 'POOL_ID_00004'), rep_type: ReplicationType.COPY, volume_src: src, name: 'elsewhere' });
  assert.equal(other.pool_id, 'POOL_ID_00004');
  assert.equal((await pool(client, 'POOL_ID_00003')).free_space, 507n * GiB);
  assert.equal(await client.volumeChildDependency({ volume: src }), true);
  await assert.rejects(client.volumeReplicate({ pool: null, rep_type: ReplicationType.CLONE, volume_src: src, name: 'rep0' }), lsmError(ErrorNumber.NAME_CONFLICT));
  await assert.rejects(client.volumeReplicate({ pool: null, rep_type: ReplicationType.UNKNOWN, volume_src: src, name: 'r' }), lsmError(ErrorNumber.INVALID_ARGUMENT, /rep_type/));
  await assert.rejects(client.volumeReplicate({ pool: null, rep_type: 99, volume_src: src, name: 'r' }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  const big = await makeVolume(client, 'big', 300n * GiB, 'POOL_ID_00002');
  await assert.rejects(client.volumeReplicate({ pool: null, rep_type: ReplicationType.CLONE, volume_src: big, name: 'r' }), lsmError(ErrorNumber.NOT_ENOUGH_SPACE));
  await assert.rejects(client.volumeReplicate({ pool: null, rep_type: ReplicationType.CLONE, volume_src: { ...src, id: 'VOL_ID_00999' }, name: 'r' }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
  await assert.rejects(client.volumeReplicate({ pool: { ...(await pool(client, 'POOL_ID_00004')), id: 'nope' }, rep_type: ReplicationType.CLONE, volume_src: src, name: 'r' }), lsmError(ErrorNumber.NOT_FOUND_POOL));
}));

test('volume_replicate_range and its block size: CLONE/COPY ranges; NO_SUPPORT for mirrors; bad ranges; NOT_FOUND_SYSTEM', () => withSim(async (client) => {
  const [system] = await client.systems();
  assert.equal(await client.volumeReplicateRangeBlockSize({ system: system! }), 512n);
  await assert.rejects(client.volumeReplicateRangeBlockSize({ system: { ...system!, id: 'sim-02' } }), lsmError(ErrorNumber.NOT_FOUND_SYSTEM, /System not found/));
  const a = await makeVolume(client, 'a', 1024n * 512n);
  const b = await makeVolume(client, 'b', 1024n * 512n);
  const ranges = [{ src_block: 0n, dest_block: 10n, block_count: 100n }, { src_block: 500n, dest_block: 600n, block_count: 424n }];
  await client.volumeReplicateRange({ rep_type: ReplicationType.CLONE, volume_src: a, volume_dest: b, ranges });
  await client.volumeReplicateRange({ rep_type: ReplicationType.COPY, volume_src: a, volume_dest: b, ranges });
  assert.equal(await client.volumeChildDependency({ volume: a }), true);
  await assert.rejects(client.volumeReplicateRange({ rep_type: ReplicationType.MIRROR_SYNC, volume_src: a, volume_dest: b, ranges }), lsmError(ErrorNumber.NO_SUPPORT));
  await assert.rejects(client.volumeReplicateRange({ rep_type: ReplicationType.CLONE, volume_src: a, volume_dest: b, ranges: [] }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.volumeReplicateRange({ rep_type: ReplicationType.CLONE, volume_src: a, volume_dest: b, ranges: [{ src_block: 1000n, dest_block: 0n, block_count: 25n }] }), lsmError(ErrorNumber.INVALID_ARGUMENT, /past the end/));
  await assert.rejects(client.volumeReplicateRange({ rep_type: ReplicationType.CLONE, volume_src: a, volume_dest: b, ranges: [{ src_block: 0n, dest_block: 0n, block_count: 0n }] }), lsmError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.volumeReplicateRange({ rep_type: ReplicationType.CLONE, volume_src: a, volume_dest: { ...b, id: 'VOL_ID_00042' }, ranges }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
}));

test('volume_enable / volume_disable: NO_STATE_CHANGE when already so; NOT_FOUND_VOLUME', () => withSim(async (client) => {
  const v = await makeVolume(client, 'v');
  await assert.rejects(client.volumeEnable({ volume: v }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  await client.volumeDisable({ volume: v });
  assert.equal((await client.volumes())[0]?.admin_state, VolumeAdminState.DISABLED);
  await assert.rejects(client.volumeDisable({ volume: v }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  await client.volumeEnable({ volume: v });
  assert.equal((await client.volumes())[0]?.admin_state, VolumeAdminState.ENABLED);
  await assert.rejects(client.volumeEnable({ volume: { ...v, id: 'VOL_ID_00002' } }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
  await assert.rejects(client.volumeDisable({ volume: { ...v, id: 'VOL_ID_00002' } }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
}));

test('volume_child_dependency and _rm: a replica makes a dependency; removing it twice is NO_STATE_CHANGE', () => withSim(async (client) => {
  const v = await makeVolume(client, 'v');
  assert.equal(await client.volumeChildDependency({ volume: v }), false);
  await assert.rejects(client.volumeChildDependencyRm({ volume: v }), lsmError(ErrorNumber.NO_STATE_CHANGE));
  const replica = await client.volumeReplicate({ pool: null, rep_type: ReplicationType.CLONE, volume_src: v, name: 'r' });
  assert.equal(await client.volumeChildDependency({ volume: v }), true);
  assert.equal(await client.volumeChildDependency({ volume: replica }), false);
  await client.volumeChildDependencyRm({ volume: v });
  assert.equal(await client.volumeChildDependency({ volume: v }), false);
  await client.volumeDelete({ volume: v });
  assert.deepEqual((await client.volumes()).map((x) => x.name), ['r']);
  await assert.rejects(client.volumeChildDependency({ volume: v }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
  await assert.rejects(client.volumeChildDependencyRm({ volume: v }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
}));
