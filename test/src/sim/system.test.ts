/**
 * The simulator's session, system-level RPCs, default content and state-file handling, through the SDK and real
 * plugin processes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@openlsm/client';
import {
  BatteryType, Capability, capabilityEntries, DiskStatus, DiskType, isSupported, SystemMode, TargetPortType,
} from '@openlsm/core';
import { ErrorNumber, lsmError, simEnv, withSim } from './sim-env.js';

test('plugin_info, time_out_get / time_out_set', () => withSim(async (client) => {
  const [description, version] = await client.pluginInfo();
  assert.equal(description, 'Storage simulator');
  assert.match(version, /^\d+\.\d+\.\d+/);
  assert.equal(await client.timeOutGet(), 30_000);
  await client.timeOutSet({ ms: 12_345 });
  assert.equal(await client.timeOutGet(), 12_345);
}));

test('systems: one system sim-01 as libstoragemgmt\'s simulator has it', () => withSim(async (client) => {
  assert.deepEqual(await client.systems(), [{
    id: 'sim-01', name: 'LSM simulated storage plug-in', status: 2, status_info: '', plugin_data: null,
    fw_version: 'LSM_SIMULATOR_DATA_4.1', read_cache_pct: 10, mode: SystemMode.HARDWARE_RAID,
  }]);
}));

test('system_read_cache_pct_update: 0..100 stored; INVALID_ARGUMENT outside; NOT_FOUND_SYSTEM', () => withSim(async (client) => {
  const [system] = await client.systems();
  await client.systemReadCachePctUpdate({ system: system!, read_pct: 55 });
  assert.equal((await client.systems())[0]?.read_cache_pct, 55);
  await client.systemReadCachePctUpdate({ system: system!, read_pct: 0 });
  assert.equal((await client.systems())[0]?.read_cache_pct, 0);
  for (const read_pct of [-1, 101, 1e9]) {
    await assert.rejects(client.systemReadCachePctUpdate({ system: system!, read_pct }), lsmError(ErrorNumber.INVALID_ARGUMENT, /read_pct/));
  }
  await assert.rejects(client.systemReadCachePctUpdate({ system: { ...system!, id: 'sim-02' }, read_pct: 5 }), lsmError(ErrorNumber.NOT_FOUND_SYSTEM));
}));

test('capabilities: lsm\'s simulator set plus the seven QUICK_SEARCH; NOT_FOUND_SYSTEM', () => withSim(async (client) => {
  const [system] = await client.systems();
  const caps = await client.capabilities({ system: system! });
  const unsupported = capabilityEntries(caps).filter((e) => !e.supported).map((e) => e.name);
  assert.deepEqual(unsupported, [
    'VOLUME_PHYSICAL_DISK_CACHE_UPDATE_SYSTEM_LEVEL', 'VOLUME_WRITE_CACHE_POLICY_UPDATE_IMPACT_READ',
    'VOLUME_WRITE_CACHE_POLICY_UPDATE_WB_IMPACT_OTHER', 'VOLUME_READ_CACHE_POLICY_UPDATE_IMPACT_WRITE',
  ]);
  assert.equal(isSupported(caps, Capability.VOLUMES_QUICK_SEARCH), true);
  assert.equal(caps.cap.reduce((a, b) => a + b, 0), 77);
  await assert.rejects(client.capabilities({ system: { ...system!, id: 'sim-02' } }), lsmError(ErrorNumber.NOT_FOUND_SYSTEM));
}));

test('pools: the four default pools; search by id and system_id', () => withSim(async (client) => {
  const pools = await client.pools();
  assert.deepEqual(pools.map((p) => [p.id, p.name, p.element_type, p.unsupported_actions, p.total_space, p.free_space, p.status]), [
    ['POOL_ID_00001', 'Pool 1', 1054, 3, 2199023255552n, 1649267441664n, 2],
    ['POOL_ID_00002', 'Pool 2(sub pool of Pool 1)', 28, 0, 549755813888n, 549755813888n, 2],
    ['POOL_ID_00003', 'Pool 3', 28, 0, 549755813888n, 549755813888n, 2],
    ['POOL_ID_00004', 'lsm_test_aggr', 28, 0, 2305843009213693952n, 2305843009213693952n, 2],
  ]);
  assert.deepEqual(await client.pools({ search_key: 'id', search_value: 'POOL_ID_00002' }), [pools[1]]);
  assert.deepEqual(await client.pools({ search_key: 'system_id', search_value: 'sim-01' }), pools);
  assert.deepEqual(await client.pools({ search_key: 'id', search_value: 'POOL_ID_00002 ' }), []);
  await assert.rejects(client.pools({ search_key: 'pool_id', search_value: 'x' }), lsmError(ErrorNumber.UNSUPPORTED_SEARCH_KEY));
}));

test('disks: twenty disks, fourteen FREE, with location, rpm, link type and vpd83; search', () => withSim(async (client) => {
  const disks = await client.disks();
  assert.equal(disks.length, 20);
  assert.deepEqual(disks.map((d) => d.id), Array.from({ length: 20 }, (_, i) => `DISK_ID_${String(i + 1).padStart(5, '0')}`));
  assert.equal(disks.filter((d) => d.status === (DiskStatus.OK | DiskStatus.FREE)).length, 14);
  const d1 = disks[0]!;
  assert.deepEqual([d1.name, d1.disk_type, d1.block_size * d1.num_of_blocks, d1.rpm, d1.link_type, d1.status], ['2TiB SATA Disk_1', DiskType.SATA, 2n ** 41n, 7200, 8, DiskStatus.OK]);
  const d3 = disks[2]!;
  assert.deepEqual([d3.disk_type, d3.block_size * d3.num_of_blocks, d3.rpm], [DiskType.SAS, 2n ** 60n, 15000]);
  assert.equal(disks[19]?.disk_type, DiskType.SSD);
  for (const d of disks) {
    assert.match(d.vpd83, /^5[0-9a-f]{15}$/);
    assert.match(d.location, /^Port: \d+ Box: 1 Bay: \d$/);
  }
  assert.deepEqual(await client.disks({ search_key: 'id', search_value: 'DISK_ID_00007' }), [disks[6]]);
  assert.deepEqual(await client.disks({ search_key: 'system_id', search_value: 'nope' }), []);
}));

test('target_ports and batteries: the default ports and batteries; search', () => withSim(async (client) => {
  const ports = await client.targetPorts();
  assert.deepEqual(ports.map((p) => [p.id, p.port_type, p.physical_name]), [
    ['TGT_PORT_ID_00001', TargetPortType.FC, 'FC_a_0b'], ['TGT_PORT_ID_00002', TargetPortType.FCOE, 'FCoE_b_0c'],
    ['TGT_PORT_ID_00003', TargetPortType.ISCSI, 'iSCSI_c_0d'], ['TGT_PORT_ID_00004', TargetPortType.ISCSI, 'iSCSI_c_0e'],
    ['TGT_PORT_ID_00005', TargetPortType.ISCSI, 'iSCSI_c_0e'],
  ]);
  assert.equal(ports[4]?.network_address, '[2001:470:1f09:efe:a64e:31ff::1]:3260');
  assert.deepEqual(await client.targetPorts({ search_key: 'id', search_value: 'TGT_PORT_ID_00003' }), [ports[2]]);
  const batteries = await client.batteries();
  assert.deepEqual(batteries.map((b) => [b.id, b.type, b.status]), [['BAT_ID_00001', BatteryType.CHEMICAL, 4], ['BAT_ID_00002', BatteryType.CAPACITOR, 4]]);
  assert.deepEqual(await client.batteries({ search_key: 'id', search_value: 'BAT_ID_00002' }), [batteries[1]]);
  assert.deepEqual(await client.batteries({ search_key: 'id', search_value: 'BAT_ID_00003' }), []);
}));

test('jobs: progress from LSM_SIM_TIME; a job started in one process is followed and freed from another; NOT_FOUND_JOB', async () => {
  const sim = simEnv();
  try {
    const slow = await sim.connect({ simTime: '2' });
    const [, , , p4] = await slow.pools();
    const [jobId, item] = await slow.call((await import('@openlsm/core')).VolumeCreate, { pool: p4!, volume_name: 'v', size_bytes: 1n << 30n });
    assert.equal(item, null);
    assert.match(jobId!, /^JOB_ID_\d{5}$/);
    const other = await sim.connect();
    const [status, percent, early] = await other.jobStatus({ job_id: jobId! });
    assert.equal(status, 1);
    assert.ok(percent >= 0 && percent < 100);
    assert.equal(early, null);
    const percents: number[] = [];
    const volume = await other.waitJob(jobId!, { pollIntervalMs: 50, onProgress: (pct) => percents.push(pct) });
    assert.equal((volume as { name: string }).name, 'v');
    assert.equal(percents.at(-1), 100);
    // waitJob freed it; the job is gone for every process.
    await assert.rejects(slow.jobStatus({ job_id: jobId! }), lsmError(ErrorNumber.NOT_FOUND_JOB));
    await assert.rejects(slow.jobFree({ job_id: jobId! }), lsmError(ErrorNumber.NOT_FOUND_JOB));
    for (const bad of ['JOB_ID_99999', 'nonsense', '', 'JOB_ID_00001\n']) {
      await assert.rejects(other.jobStatus({ job_id: bad }), lsmError(ErrorNumber.NOT_FOUND_JOB));
    }
  } finally {
    await sim.cleanup();
  }
});

test('the runner pushes job progress for a running job', async () => {
  const sim = simEnv();
  try {
    const client = await sim.connect({ simTime: '1.5' });
    const [, , , p4] = await client.pools();
    const seen: number[] = [];
    await client.volumeCreate({ pool: p4!, volume_name: 'v', size_bytes: 512n }, { pollIntervalMs: 5_000, onProgress: (pct) => seen.push(pct) });
    // With a 5 s poll interval, the intermediate values can only have come from pushed notifications.
    assert.ok(seen.some((p) => p > 0 && p < 100), `progress seen: ${seen.join(',')}`);
    assert.equal(seen.at(-1), 100);
  } finally {
    await sim.cleanup();
  }
});

test('state persists across sessions; a new state file is created mode 0600 and seeded once', async () => {
  const sim = simEnv();
  try {
    const a = await sim.connect();
    const [, , , p4] = await a.pools();
    await a.volumeCreate({ pool: p4!, volume_name: 'kept', size_bytes: 512n });
    await a.close();
    assert.equal(statSync(sim.stateFile).mode & 0o777, 0o600);
    const b = await sim.connect();
    assert.deepEqual((await b.volumes()).map((v) => v.name), ['kept']);
    assert.equal((await b.disks()).length, 20);
  } finally {
    await sim.cleanup();
  }
});

test('LSM_SIM_DATA names the state file when the URI does not', async () => {
  const sim = simEnv();
  try {
    const file = path.join(sim.dir, 'from-env.sqlite3');
    const env = { ...sim.env, LSM_SIM_DATA: file };
    const client = await Client.connect('sim://', { mode: 'embedded', env });
    const [, , , p4] = await client.pools();
    await client.volumeCreate({ pool: p4!, volume_name: 'env', size_bytes: 512n });
    await client.close();
    const viaUri = await sim.connect();
    assert.deepEqual(await viaUri.volumes(), []);
    const again = await Client.connect(`sim://?statefile=${encodeURIComponent(file)}`, { mode: 'embedded', env: sim.env });
    assert.deepEqual((await again.volumes()).map((v) => v.name), ['env']);
    await again.close();
  } finally {
    await sim.cleanup();
  }
});

test('a file that is not our state is refused with INVALID_ARGUMENT and left untouched; bad LSM_SIM_TIME is refused', async () => {
  const sim = simEnv();
  try {
    const text = 'this is not a database\n'.repeat(100);
    writeFileSync(sim.stateFile, text, { mode: 0o600 });
    await assert.rejects(sim.connect(), lsmError(ErrorNumber.INVALID_ARGUMENT, /^Stored simulator state incompatible with simulator, please move or delete .*state\.sqlite3$/));
    assert.equal(statSync(sim.stateFile).size, text.length);
    await assert.rejects(Client.connect('sim://?statefile=', { mode: 'embedded', env: sim.env }), lsmError(ErrorNumber.INVALID_ARGUMENT));
    await assert.rejects(Client.connect(`sim://?statefile=${encodeURIComponent(path.join(sim.dir, 'no/such/dir/x'))}`, { mode: 'embedded', env: sim.env }), lsmError(ErrorNumber.INVALID_ARGUMENT, /directory does not exist/));
    await assert.rejects(sim.connect({ simTime: 'fast' }), lsmError(ErrorNumber.INVALID_ARGUMENT, /LSM_SIM_TIME/));
  } finally {
    await sim.cleanup();
  }
});
