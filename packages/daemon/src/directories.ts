/**
 * Creating the socket directory and its parents.
 *
 * Not `mkdirSync(dir, { recursive: true })`: on Node 20 that never returns for a path under a file system that
 * refuses the creation in an unusual way (`/proc/x/ipc` spins forever at 100% CPU), and a daemon must fail
 * with a message instead. This walks the components itself and stops at the first error.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Creates `dir` and missing parents with `mode`; throws the first OS error (ENOTDIR when a part is a file). */
export function makeDirectories(dir: string, mode: number): void {
  const absolute = path.resolve(dir);
  const missing: string[] = [];
  for (let current = absolute; ; current = path.dirname(current)) {
    try {
      if (!statSync(current).isDirectory()) {
        throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.push(current);
      if (path.dirname(current) === current) break;
    }
  }
  for (const part of missing.reverse()) {
    try {
      mkdirSync(part, { mode });
    } catch (err) {
      // Another process (a second daemon starting) may have made it meanwhile; anything else is fatal.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(part).isDirectory()) throw err;
    }
  }
}
