/**
 * Jobs: lsm's answer for work that takes a while. An asynchronous RPC answers with a job id; the client asks
 * `job_status` until the job is COMPLETE (with its item) or raises its error, then calls `job_free`.
 *
 * `JobRegistry` runs work inside the plugin process and records its progress in a `JobStore`. The default store
 * is in memory; a plugin whose jobs must be visible to other processes (`lsmcli -b`, then `lsmcli job-status`
 * from another shell) passes a persistent store.
 */
import { randomUUID } from 'node:crypto';
import { ErrorNumber, JobStatus, LsmError } from '@openlsm/core';

export interface JobRecord {
  id: string;
  status: number;
  percent: number;
  item: unknown;
  /** Set when status is ERROR: the error `job_status` raises. */
  error: { code: number; message: string; data: string | null } | null;
}

/** Where job state lives. Implementations must be safe to call from several processes if shared. */
export interface JobStore {
  save(job: JobRecord): void;
  load(id: string): JobRecord | undefined;
  remove(id: string): boolean;
}

export class MemoryJobStore implements JobStore {
  readonly #jobs = new Map<string, JobRecord>();
  save(job: JobRecord): void {
    this.#jobs.set(job.id, { ...job });
  }
  load(id: string): JobRecord | undefined {
    const job = this.#jobs.get(id);
    return job && { ...job };
  }
  remove(id: string): boolean {
    return this.#jobs.delete(id);
  }
}

export type JobWork = (progress: (percent: number) => void, signal: AbortSignal) => Promise<unknown>;

export class JobRegistry {
  readonly #store: JobStore;
  readonly #running = new Map<string, AbortController>();

  constructor(store: JobStore = new MemoryJobStore()) {
    this.#store = store;
  }

  /**
   * Starts `work` and returns its job id at once. `progress(pct)` records 0..99; the work's resolved value
   * becomes the job's item; a thrown LsmError becomes the error `job_status` raises.
   */
  run(work: JobWork): string {
    const id = `JOB_${randomUUID()}`;
    const controller = new AbortController();
    this.#running.set(id, controller);
    this.#store.save({ id, status: JobStatus.INPROGRESS, percent: 0, item: null, error: null });
    const progress = (percent: number) => {
      const current = this.#store.load(id);
      if (!current || current.status !== JobStatus.INPROGRESS) return;
      current.percent = Math.max(0, Math.min(99, Math.trunc(percent)));
      this.#store.save(current);
    };
    work(progress, controller.signal).then(
      (item) => this.#settle(id, { status: JobStatus.COMPLETE, percent: 100, item: item ?? null, error: null }),
      (err: unknown) => {
        const lsm = err instanceof LsmError ? err : new LsmError(ErrorNumber.PLUGIN_BUG, `Job failed: ${(err as Error)?.message ?? String(err)}`);
        this.#settle(id, { status: JobStatus.ERROR, percent: 100, item: null, error: { code: lsm.code, message: lsm.message, data: lsm.data } });
      },
    );
    return id;
  }

  #settle(id: string, state: Omit<JobRecord, 'id'>): void {
    this.#running.delete(id);
    if (this.#store.load(id)) this.#store.save({ id, ...state });
  }

  /**
   * lsm's `job_status` answer `[status, percent, item]`. A failed job raises its error, as lsm does;
   * an unknown id raises NOT_FOUND_JOB.
   */
  status(id: string): [number, number, unknown] {
    const job = this.#store.load(id);
    if (!job) throw new LsmError(ErrorNumber.NOT_FOUND_JOB, `Job not found: ${id.slice(0, 64)}`);
    if (job.status === JobStatus.ERROR && job.error) throw new LsmError(job.error.code, job.error.message, job.error.data);
    return [job.status, job.percent, job.status === JobStatus.COMPLETE ? job.item : null];
  }

  /** Forgets a job (aborting it if it still runs); unknown ids raise NOT_FOUND_JOB. */
  free(id: string): void {
    this.#running.get(id)?.abort();
    this.#running.delete(id);
    if (!this.#store.remove(id)) throw new LsmError(ErrorNumber.NOT_FOUND_JOB, `Job not found: ${id.slice(0, 64)}`);
  }

  /** Aborts every job still running (the plugin is shutting down). */
  abortAll(): void {
    for (const c of this.#running.values()) c.abort();
    this.#running.clear();
  }
}
