/**
 * Hostile input through a real plugin process: huge strings, injection-shaped ids and names. Each gets a clear
 * error with a short message (or, for names, is stored verbatim as data), and nothing is half-written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LsmError } from '@openlsm/core';
import { ErrorNumber, GiB, lsmError, pool, withSim } from './sim-env.js';

const HUGE = 'x'.repeat(10 * 1024 * 1024);

function shortError(code: number) {
  return (err: unknown) => lsmError(code)(err) && (err as LsmError).message.length < 300;
}

test('10 MB strings as names, ids, initiators and paths are refused with short messages; nothing changes', () => withSim(async (client) => {
  const p4 = await pool(client, 'POOL_ID_00004');
  const [system] = await client.systems();
  await assert.rejects(client.volumeCreate({ pool: p4, volume_name: HUGE, size_bytes: GiB }), shortError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.volumeCreate({ pool: { ...p4, id: HUGE }, volume_name: 'v', size_bytes: GiB }), shortError(ErrorNumber.NOT_FOUND_POOL));
  await assert.rejects(client.accessGroupCreate({ name: 'ag', init_id: HUGE, init_type: 5, system: system! }), shortError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.accessGroupCreate({ name: HUGE, init_id: 'iqn.1994-05.com.domain:01.abc', init_type: 5, system: system! }), shortError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.fsCreate({ pool: p4, name: HUGE, size_bytes: GiB }), shortError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.exportFs({ fs_id: HUGE, rw_list: ['h'] }), shortError(ErrorNumber.NOT_FOUND_FS));
  await assert.rejects(client.jobStatus({ job_id: HUGE }), shortError(ErrorNumber.NOT_FOUND_JOB));
  const fs = await client.fsCreate({ pool: p4, name: 'fs', size_bytes: GiB });
  await assert.rejects(client.exportFs({ fs_id: fs.id, export_path: `/${HUGE}`, rw_list: ['h'] }), shortError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.exportFs({ fs_id: fs.id, rw_list: [HUGE] }), shortError(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.fsSnapshotCreate({ fs, snapshot_name: HUGE }), shortError(ErrorNumber.INVALID_ARGUMENT));
  assert.deepEqual(await client.volumes(), []);
  assert.deepEqual(await client.accessGroups(), []);
  assert.deepEqual(await client.exports(), []);
  assert.deepEqual(await client.fsSnapshots({ fs }), []);
  assert.equal((await pool(client, 'POOL_ID_00004')).free_space, p4.free_space - GiB);
}));

test('injection-shaped ids find nothing; injection-shaped names are stored as typed', () => withSim(async (client) => {
  const p4 = await pool(client, 'POOL_ID_00004');
  const [system] = await client.systems();
  for (const id of ["VOL_ID_00001' OR '1'='1", 'VOL_ID_00001;DROP TABLE volumes', '../VOL_ID_00001', 'VOL_ID_00001\u0000']) {
    await assert.rejects(client.volumeDelete({ volume: { id, name: 'v', vpd83: '', block_size: 512n, num_of_blocks: 1n, admin_state: 1, system_id: 'sim-01', pool_id: p4.id, plugin_data: null } }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
  }
  const ag = await client.accessGroupCreate({ name: "ag'; DROP TABLE ags;--", init_id: 'iqn.1994-05.com.domain:01.abc', init_type: 5, system: system! });
  assert.equal(ag.name, "ag'; DROP TABLE ags;--");
  const fs = await client.fsCreate({ pool: p4, name: '../../etc/shadow', size_bytes: GiB });
  const exp = await client.exportFs({ fs_id: fs.id, export_path: '/exports/$(id)', rw_list: ['host;reboot'] });
  assert.deepEqual([exp.export_path, exp.rw], ['/exports/$(id)', ['host;reboot']]);
  assert.equal((await client.accessGroups()).length, 1);
  assert.equal((await client.fs())[0]?.name, '../../etc/shadow');
}));
