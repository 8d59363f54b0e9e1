/**
 * One daemon per socket directory. Node has no flock(), so the lock is a pid file created exclusively
 * (`open(..., 'wx')`). A lock left by a daemon that died is recognised and replaced: its pid is gone, or the
 * pid now belongs to another program and no socket in the directory answers.
 */
import { closeSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ErrorNumber, LsmError, OPENLSMD_LOCK_FILE } from '@openlsm/core';

export const LOCK_FILE = OPENLSMD_LOCK_FILE;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function looksLikeOpenlsmd(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('openlsmd');
  } catch {
    return false;
  }
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path: socketPath });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    setTimeout(() => done(false), 1_000).unref();
  });
}

async function anySocketAnswers(dir: string): Promise<boolean> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  const sockets = names.map((n) => path.join(dir, n)).filter((p) => {
    try { return statSync(p).isSocket(); } catch { return false; }
  });
  const results = await Promise.all(sockets.map(answers));
  return results.includes(true);
}

export class InstanceLock {
  readonly path: string;
  #held = false;

  private constructor(file: string) {
    this.path = file;
  }

  /** Takes the lock on `dir`, or throws "An instance of openlsmd is already using <dir> (pid N)". */
  static async acquire(dir: string): Promise<InstanceLock> {
    const lock = new InstanceLock(path.join(dir, LOCK_FILE));
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(lock.path, 'wx', 0o644);
        try {
          writeSync(fd, `${process.pid}\n`);
        } finally {
          closeSync(fd);
        }
        lock.#held = true;
        return lock;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `Cannot create the lock file ${lock.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
      }
      let pid = NaN;
      try {
        pid = Number.parseInt(readFileSync(lock.path, 'utf8').trim(), 10);
      } catch {
        // vanished or unreadable: try again
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) && (looksLikeOpenlsmd(pid) || await anySocketAnswers(dir))) {
        throw new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `An instance of openlsmd is already using ${dir} (pid ${pid})`);
      }
      // Stale: the daemon that wrote it is gone.
      try {
        unlinkSync(lock.path);
      } catch {
        // someone else removed it first
      }
    }
    throw new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `Cannot take the lock file ${lock.path}: another process keeps recreating it`);
  }

  /** Removes the lock file (only ours). */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    try {
      if (readFileSync(this.path, 'utf8').trim() === String(process.pid)) unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
