import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorNumber, JobStatus, LsmError, type Volume } from '@openlsm/core';
import { CopyJobs, decodeCopyJobId } from './copy-jobs.js';

const volume = { id: 'u1', name: 'copy', pool_id: 'vg/thin' } as Volume;
const isCode = (code: number) => (err: unknown) => err instanceof LsmError && err.code === code;

test('a job id names what the copy makes, uniquely, in characters safe to print', () => {
  const jobs = new CopyJobs();
  const a = jobs.start({ pool: 'vg/thin', name: 'copy' }, () => new Promise(() => {}));
  const b = jobs.start({ pool: 'vg/thin', name: 'copy' }, () => new Promise(() => {}));
  assert.notEqual(a, b);
  assert.match(a, /^COPY_[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeCopyJobId(a), { pool: 'vg/thin', name: 'copy' });
  for (const bad of ['JOB_1', 'COPY_', 'COPY_!!!', `COPY_${Buffer.from('[1,2,3]').toString('base64url')}`, `COPY_${'A'.repeat(2000)}`]) assert.equal(decodeCopyJobId(bad), null, bad);
});

test('the starting session answers from memory: running, then complete or failed', async () => {
  const jobs = new CopyJobs();
  let finish!: (v: Volume) => void;
  const id = jobs.start({ pool: 'p', name: 'copy' }, () => new Promise((r) => { finish = r; }));
  const lookup = () => Promise.reject(new Error('not asked'));
  assert.deepEqual(await jobs.status(id, lookup), [JobStatus.INPROGRESS, 0, null]);
  finish(volume);
  await jobs.settle(1000);
  assert.deepEqual(await jobs.status(id, lookup), [JobStatus.COMPLETE, 100, volume]);
  jobs.free(id);
  // lsm: a freed job is gone, though targetd still holds the copy it made.
  await assert.rejects(jobs.status(id, async () => volume), isCode(ErrorNumber.NOT_FOUND_JOB));
  assert.throws(() => jobs.free(id), isCode(ErrorNumber.NOT_FOUND_JOB));

  const failing = jobs.start({ pool: 'p', name: 'x' }, () => Promise.reject(new LsmError(ErrorNumber.NO_SUPPORT, 'thin only')));
  await jobs.settle(1000);
  await assert.rejects(jobs.status(failing, lookup), isCode(ErrorNumber.NO_SUPPORT));
});

test('another session answers from targetd: the new volume, or NOT_FOUND_JOB', async () => {
  const starter = new CopyJobs();
  const id = starter.start({ pool: 'vg/thin', name: 'copy' }, () => Promise.resolve(volume));
  const other = new CopyJobs();
  assert.deepEqual(await other.status(id, async (t) => (t.name === 'copy' ? volume : undefined)), [JobStatus.COMPLETE, 100, volume]);
  await assert.rejects(other.status(id, async () => undefined), isCode(ErrorNumber.NOT_FOUND_JOB));
  await assert.rejects(other.status('JOB_x', async () => volume), isCode(ErrorNumber.NOT_FOUND_JOB));
  other.free(id);
  assert.throws(() => other.free('JOB_x'), isCode(ErrorNumber.NOT_FOUND_JOB));
});

test('settle waits for running copies, at most the time given', async () => {
  const jobs = new CopyJobs();
  jobs.start({ pool: 'p', name: 'n' }, () => new Promise(() => {}));
  const started = performance.now();
  await jobs.settle(50);
  assert.ok(performance.now() - started >= 45);
});
