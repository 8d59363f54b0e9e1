/** What every operation of the simulator works with: the open state file and the simulated job duration. */
import type { SimStore } from './store.js';

export interface SimContext {
  readonly store: SimStore;
  /** How long an asynchronous operation's job takes (`LSM_SIM_TIME`, in ms). */
  readonly jobDurationMs: number;
}

/** lsm's default job duration: 1 second. */
export const DEFAULT_JOB_SECONDS = 1;

/**
 * `LSM_SIM_TIME` (seconds, a decimal number such as `0` or `0.1`) as milliseconds; the default when unset.
 * Anything else is refused rather than silently replaced, so a typo does not turn a test suite slow.
 */
export function jobDurationFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return DEFAULT_JOB_SECONDS * 1000;
  if (!/^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(value)) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds > 86_400) return undefined;
  return Math.round(seconds * 1000);
}
