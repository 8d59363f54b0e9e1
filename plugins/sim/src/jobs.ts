/**
 * Simulated jobs, as lsm's simulator runs them: the change is applied to the state at once and a job row records
 * when it started and how long it "takes". `job_status` computes the progress from the clock, so a job started by
 * one process (`lsmcli -b volume-create`) can be followed and freed by another (`lsmcli job-status`); nothing
 * runs in the background and a killed process loses nothing.
 */
import { ErrorNumber, JobStatus, LsmError } from '@openlsm/core';
import type { SimContext } from './context.js';
import { formatId, Ids, notFound, parseId } from './ids.js';
import type { SimStore } from './store.js';

/** What a completed job yields: the volume, file system or snapshot it made (by row id), or nothing. */
export type JobItemType = 'volume' | 'fs' | 'snapshot';

/** Loads a job's item by row id; null when it has been deleted since. */
export type JobItemLoader = (type: JobItemType, rowid: number) => unknown;

/** Records a job; call inside the write transaction that applies its change. Returns the job id. */
export function createJob(sim: SimContext, itemType: JobItemType | null = null, itemRowid: number | bigint | null = null): string {
  const r = sim.store.run(
    'INSERT INTO jobs (started_ms, duration_ms, item_type, item_id) VALUES (?, ?, ?, ?)',
    Date.now(), sim.jobDurationMs, itemType, itemRowid,
  );
  return formatId(Ids.job, r.lastInsertRowid);
}

/** lsm's `job_status` answer `[status, percent, item]`; the item only once COMPLETE. */
export function jobStatus(store: SimStore, jobId: string, loadItem: JobItemLoader): [number, number, unknown] {
  const rowid = parseId(Ids.job, jobId);
  if (rowid === null) throw notFound(Ids.job, jobId);
  return store.read(() => {
    const job = store.get<{ started_ms: bigint; duration_ms: bigint; item_type: JobItemType | null; item_id: bigint | null }>(
      'SELECT started_ms, duration_ms, item_type, item_id FROM jobs WHERE id = ?', rowid,
    );
    if (!job) throw notFound(Ids.job, jobId);
    const duration = Number(job.duration_ms);
    const elapsed = Date.now() - Number(job.started_ms);
    const percent = duration <= 0 ? 100 : Math.min(100, Math.max(0, Math.floor((elapsed / duration) * 100)));
    if (percent < 100) return [JobStatus.INPROGRESS, percent, null];
    const item = job.item_type === null || job.item_id === null ? null : loadItem(job.item_type, Number(job.item_id));
    return [JobStatus.COMPLETE, 100, item ?? null];
  });
}

export function jobFree(store: SimStore, jobId: string): void {
  const rowid = parseId(Ids.job, jobId);
  if (rowid === null) throw notFound(Ids.job, jobId);
  const r = store.write(() => store.run('DELETE FROM jobs WHERE id = ?', rowid));
  if (r.changes !== 1) throw new LsmError(ErrorNumber.NOT_FOUND_JOB, `Job not found: ${jobId}`);
}
