/**
 * Jobs through a real plugin process: progress, waiting, failure, and starting a job without waiting.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { JobStatus, type Volume, VolumeCreate } from '@openlsm/core';
import { echoEnv, type EchoEnv, ErrorNumber, isLsmError } from './echo-env.js';

let echo: EchoEnv;
before(() => { echo = echoEnv(); });
after(() => echo.cleanup());

test('an asynchronous volume_create reports progress and resolves with the volume', async () => {
  const client = await echo.connect();
  const [pool] = await client.pools();
  const seen: number[] = [];
  const volume = await client.volumeCreate({ pool: pool!, volume_name: 'slow-400', size_bytes: 4096n }, { onProgress: (pct) => seen.push(pct), pollIntervalMs: 1_000 });
  assert.equal(volume.name, 'slow-400');
  assert.equal(seen.at(-1), 100);
  assert.ok(seen.some((p) => p > 0 && p < 100), `progress seen: ${seen.join(',')}`);
  assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'progress never goes back');
  // Each value is pushed by the plugin and then read again by the poll the push wakes: it is reported once.
  assert.deepEqual([...new Set(seen)], seen, `each value is reported once: ${seen.join(',')}`);
  assert.deepEqual((await client.volumes({ search_key: 'id', search_value: volume.id })).map((v) => v.name), ['slow-400']);
  await client.close();
});

test('call() starts a job without waiting; waitJob(id) then yields its item and frees it', async () => {
  const client = await echo.connect();
  const [pool] = await client.pools();
  const [jobId, item] = await client.call(VolumeCreate, { pool: pool!, volume_name: 'slow-200', size_bytes: 512n });
  assert.equal(item, null);
  assert.ok(jobId);
  const [status] = await client.jobStatus({ job_id: jobId });
  assert.equal(status, JobStatus.INPROGRESS);
  const volume = await client.waitJob(jobId) as Volume;
  assert.equal(volume.name, 'slow-200');
  await assert.rejects(client.jobStatus({ job_id: jobId }), isLsmError(ErrorNumber.NOT_FOUND_JOB), 'waitJob freed the job');
  await client.close();
});

test("a job's failure propagates as the job's LsmError, from the method and from waitJob", async () => {
  const client = await echo.connect();
  const [pool] = await client.pools();
  await assert.rejects(client.volumeCreate({ pool: pool!, volume_name: 'slowfail-100', size_bytes: 512n }), isLsmError(ErrorNumber.NOT_ENOUGH_SPACE, /Insufficient space in pool/));
  const [jobId] = await client.call(VolumeCreate, { pool: pool!, volume_name: 'slowfail-100', size_bytes: 512n });
  await assert.rejects(client.waitJob(jobId!), isLsmError(ErrorNumber.NOT_ENOUGH_SPACE));
  await assert.rejects(client.jobStatus({ job_id: jobId! }), isLsmError(ErrorNumber.NOT_FOUND_JOB), 'a failed job is freed after it was reported');
  await client.close();
});

test('waiting for an unknown job is NOT_FOUND_JOB; waiting can be aborted', async () => {
  const client = await echo.connect();
  await assert.rejects(client.waitJob('JOB_nonexistent'), isLsmError(ErrorNumber.NOT_FOUND_JOB));
  const [pool] = await client.pools();
  const [jobId] = await client.call(VolumeCreate, { pool: pool!, volume_name: 'slow-2000', size_bytes: 512n });
  await assert.rejects(client.waitJob(jobId!, { signal: AbortSignal.timeout(100) }), isLsmError(ErrorNumber.TIMEOUT));
  await client.close();
});
