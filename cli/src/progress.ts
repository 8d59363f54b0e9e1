/**
 * The job progress bar: one line on stderr, redrawn in place, only when stderr is a terminal (piped or
 * redirected output stays clean, as lsmcli's).
 */

export interface Progress {
  update(percent: number): void;
  done(): void;
}

const WIDTH = 30;
const silent: Progress = { update() {}, done() {} };

/** The bar line for `percent` (0..100). */
export function progressLine(label: string, percent: number): string {
  const p = Math.max(0, Math.min(100, Math.round(percent)));
  const filled = Math.round((p / 100) * WIDTH);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(p).padStart(3)}%`;
}

export function startProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return silent;
  let drawn = false;
  let last = -1;
  return {
    update(percent) {
      if (percent === last) return;
      last = percent;
      drawn = true;
      stream.write(`\r${progressLine(label, percent)}`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
