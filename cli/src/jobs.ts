/**
 * Running an lsm call that may answer with a job: wait for it (with a progress bar on a terminal), or with
 * -b print the job id and exit 7, as lsmcli does.
 */
import type { AnyMethod, ParamsOf, ResultOf } from '@openlsm/core';
import type { Context } from './context.js';
import { ExitCode, ExitWith } from './errors.js';
import { startProgress } from './progress.js';

/** lsmcli polls every 0.25 s. */
export const POLL_INTERVAL_MS = 250;

/** Waits for job `jobId`, drawing progress on a terminal, and returns its item. */
export async function waitForJob(ctx: Context, jobId: string): Promise<unknown> {
  const client = await ctx.client();
  const bar = startProgress(jobId);
  try {
    return await client.waitJob(jobId, { pollIntervalMs: POLL_INTERVAL_MS, onProgress: (pct) => bar.update(pct) });
  } finally {
    bar.done();
  }
}

/**
 * Calls `descriptor`; if the plugin started a job, waits for it, or with -b prints the job id and exits 7.
 * Resolves with the item the call or the job produced (null for calls that make nothing).
 */
export async function runMaybeJob<D extends AnyMethod>(ctx: Context, descriptor: D, params: ParamsOf<D>): Promise<unknown> {
  const client = await ctx.client();
  const raw = (await client.call(descriptor, ...([params] as unknown as [ParamsOf<D>]))) as ResultOf<D>;
  let jobId: string | null;
  let item: unknown = null;
  if (descriptor.job === 'pair') [jobId, item] = raw as [string | null, unknown];
  else jobId = raw as string | null;
  if (jobId === null) return item;
  if (ctx.background) {
    ctx.out.value(jobId, { job_id: jobId });
    throw new ExitWith(ExitCode.JOB_STARTED);
  }
  return waitForJob(ctx, jobId);
}
