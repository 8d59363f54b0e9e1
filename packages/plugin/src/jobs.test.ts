import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorNumber, JobStatus, LsmError } from '@openlsm/core';
import { JobRegistry } from './jobs.js';

async function settled(jobs: JobRegistry, id: string): Promise<void> {
  for (;;) {
    try {
      if (jobs.status(id)[0] !== JobStatus.INPROGRESS) return;
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('a job reports clamped progress, then COMPLETE with its item', async () => {
  const jobs = new JobRegistry();
  let release!: () => void;
  const id = jobs.run(async (progress) => {
    progress(150);
    await new Promise<void>((r) => { release = r; });
    return { id: 'V1' };
  });
  assert.deepEqual(jobs.status(id), [JobStatus.INPROGRESS, 99, null]);
  release();
  await settled(jobs, id);
  assert.deepEqual(jobs.status(id), [JobStatus.COMPLETE, 100, { id: 'V1' }]);
  jobs.free(id);
  assert.throws(() => jobs.status(id), { code: ErrorNumber.NOT_FOUND_JOB });
  assert.throws(() => jobs.free(id), { code: ErrorNumber.NOT_FOUND_JOB });
});

test("a job's LsmError is raised by status; any other exception becomes PLUGIN_BUG", async () => {
  const jobs = new JobRegistry();
  const a = jobs.run(async () => { throw new LsmError(ErrorNumber.NOT_ENOUGH_SPACE, 'Insufficient space'); });
  const b = jobs.run(async () => { throw new RangeError('oops'); });
  await settled(jobs, a);
  await settled(jobs, b);
  assert.throws(() => jobs.status(a), { code: ErrorNumber.NOT_ENOUGH_SPACE, message: 'Insufficient space' });
  assert.throws(() => jobs.status(b), { code: ErrorNumber.PLUGIN_BUG, message: /Job failed: oops/ });
});

test('freeing a running job aborts its work; abortAll aborts every job', async () => {
  const jobs = new JobRegistry();
  const signals: AbortSignal[] = [];
  const work = (_p: (n: number) => void, signal: AbortSignal) => { signals.push(signal); return new Promise(() => {}); };
  const a = jobs.run(work);
  jobs.run(work);
  jobs.free(a);
  assert.equal(signals[0]?.aborted, true);
  assert.equal(signals[1]?.aborted, false);
  jobs.abortAll();
  assert.equal(signals[1]?.aborted, true);
  assert.throws(() => jobs.status('JOB_unknown'), { code: ErrorNumber.NOT_FOUND_JOB });
});
