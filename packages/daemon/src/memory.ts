/**
 * Giving memory back after a large request is dropped.
 *
 * A buffer freed by the daemon's code is only garbage until V8 collects it, and a daemon that goes quiet after
 * a burst may not collect for hours: four 60 MB partial frames left the process at 300 MB long after their
 * connections closed. openlsmd therefore asks for a full collection, at most once a second, when a connection
 * drops a large buffer. Node exposes that only behind the `--expose-gc` flag, which is set here at run time
 * (V8 supports setting it after start-up; `gc` is then a global of every new context).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

const MIN_INTERVAL_MS = 1_000;

let collect: (() => void) | undefined | null;
let scheduled: NodeJS.Timeout | undefined;
let last = 0;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    collect = typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    collect = null;
  }
  return collect;
}

/** Asks for a full garbage collection shortly (coalescing bursts of requests into one). */
export function releaseMemorySoon(): void {
  if (scheduled) return;
  const delay = Math.max(10, last + MIN_INTERVAL_MS - Date.now());
  scheduled = setTimeout(() => {
    scheduled = undefined;
    last = Date.now();
    collector()?.();
  }, delay);
  scheduled.unref();
}
