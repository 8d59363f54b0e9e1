/**
 * `volume_replicate` as an lsm job. targetd's `vol_copy` is synchronous (API 0.6 removed its jobs) and reports
 * no progress, so the job runs the call in the background and reads 0% until it completes.
 *
 * The job id names what the copy produces (pool and new volume name, base64url), so any process can answer
 * `job_status` for it from targetd's own state, as lsm's `lsmcli -b ...` then `lsmcli job-status` needs: the
 * session that started the job answers from memory; another one looks for the new volume, and since targetd
 * runs one call at a time, its listing waits for a copy still running. A volume that is not there means the copy
 * failed (the error only the starting session saw) or never reached targetd: NOT_FOUND_JOB.
 */
import { randomBytes } from 'node:crypto';
import { ErrorNumber, JobStatus, LsmError, type Volume } from '@openlsm/core';

const PREFIX = 'COPY_';
const MAX_ID_LENGTH = 1024;

interface Job {
  state: 'running' | 'complete' | 'failed';
  volume: Volume | null;
  error: LsmError | null;
  done: Promise<void>;
}

export interface CopyTarget {
  pool: string;
  name: string;
}

function encode(target: CopyTarget): string {
  const nonce = randomBytes(6).toString('base64url');
  return PREFIX + Buffer.from(JSON.stringify([target.pool, target.name, nonce])).toString('base64url');
}

/** The copy a job id names, or null for an id this plugin did not make. */
export function decodeCopyJobId(id: string): CopyTarget | null {
  if (typeof id !== 'string' || !id.startsWith(PREFIX) || id.length > MAX_ID_LENGTH) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(id.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'string')) {
      return { pool: value[0] as string, name: value[1] as string };
    }
  } catch {
    // not one of ours
  }
  return null;
}

function notFound(id: string, why = ''): LsmError {
  return new LsmError(ErrorNumber.NOT_FOUND_JOB, `Job ${JSON.stringify(id.slice(0, 64))} not found${why}`);
}

export class CopyJobs {
  readonly #jobs = new Map<string, Job>();
  /** Jobs freed in this session: lsm answers NOT_FOUND_JOB for them, though targetd's state still shows the copy. */
  readonly #freed = new Set<string>();

  /** Starts `work` (which resolves with the new volume) and returns the job id at once. */
  start(target: CopyTarget, work: () => Promise<Volume>): string {
    const id = encode(target);
    const job: Job = { state: 'running', volume: null, error: null, done: Promise.resolve() };
    job.done = work().then(
      (volume) => { job.state = 'complete'; job.volume = volume; },
      (err: unknown) => {
        job.state = 'failed';
        job.error = err instanceof LsmError ? err : new LsmError(ErrorNumber.PLUGIN_BUG, `Copy failed: ${(err as Error)?.message ?? String(err)}`);
      },
    );
    this.#jobs.set(id, job);
    return id;
  }

  /**
   * lsm's `[status, percent, item]`; a failed job raises its error. `lookup` finds a volume on targetd, for
   * jobs another session started.
   */
  async status(id: string, lookup: (target: CopyTarget) => Promise<Volume | undefined>): Promise<[number, number, Volume | null]> {
    if (this.#freed.has(id)) throw notFound(id, ': it was freed');
    const job = this.#jobs.get(id);
    if (job) {
      if (job.state === 'running') return [JobStatus.INPROGRESS, 0, null];
      if (job.state === 'failed') throw job.error as LsmError;
      return [JobStatus.COMPLETE, 100, job.volume];
    }
    const target = decodeCopyJobId(id);
    if (!target) throw notFound(id);
    const volume = await lookup(target);
    if (!volume) {
      throw notFound(id, `: there is no volume ${JSON.stringify(target.name)} in pool ${JSON.stringify(target.pool)}, so the copy failed or never reached targetd (only the session that started it saw why)`);
    }
    return [JobStatus.COMPLETE, 100, volume];
  }

  free(id: string): void {
    if (this.#freed.has(id) || (!this.#jobs.delete(id) && !decodeCopyJobId(id))) throw notFound(id);
    this.#freed.add(id);
  }

  /** Waits (at most `ms`) for the copies still running, so that ending the session does not cut them off. */
  async settle(ms: number): Promise<void> {
    const running = [...this.#jobs.values()].filter((j) => j.state === 'running').map((j) => j.done);
    if (running.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(running), new Promise<void>((r) => { timer = setTimeout(r, ms); })]);
    clearTimeout(timer);
  }
}
