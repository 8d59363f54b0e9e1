/**
 * One writer at a time across processes, for changes that span several files (a target's configfs tree, its
 * saveconfig.json and the plugin's state file): two lsmcli commands, or lsmcli and openlsmd's plugin, must not
 * interleave their steps.
 *
 * Why SQLite: Node has no flock(), and a lock file with a pid in it goes stale when its holder is SIGKILLed,
 * which forces guessing. SQLite's `BEGIN EXCLUSIVE` takes a POSIX record lock on the lock database, which the
 * kernel drops the moment the holding process dies, however it dies. SQLite also tracks its locks per process,
 * so two `ExclusiveLock`s on the same path in one process exclude each other as two processes do.
 *
 * Waiting never blocks the event loop: the lock is tried without SQLite's busy wait and retried on a timer, so a
 * waiting plugin still answers cancellations and its deadline. Inside one `ExclusiveLock`, sections queue up
 * in-process first (one connection can hold one transaction).
 */
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import Database, { type Database as Db } from 'better-sqlite3';
import { ErrorNumber, LsmError } from '@openlsm/core';

export interface LockWaitOptions {
  /** Give up after this long, with TIMEOUT (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const RETRY_MIN_MS = 2;
const RETRY_MAX_MS = 50;

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export class ExclusiveLock {
  readonly path: string;
  #db: Db | undefined;
  /** The end of the in-process queue of sections. */
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(file: string, db: Db) {
    this.path = file;
    this.#db = db;
  }

  /** Opens (creating, mode 0600) the lock file at `file`. The file is only ever locked, never written. */
  static open(file: string): ExclusiveLock {
    try {
      // Created here, not by SQLite, so its mode is ours and not the umask's.
      closeSync(openSync(file, 'a', 0o600));
      return new ExclusiveLock(file, new Database(file, { timeout: 0 }));
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new LsmError(ErrorNumber.PLUGIN_BUG, `Cannot open the lock file ${file}: ${why}`, null, { cause: err });
    }
  }

  /**
   * Runs `section` while holding the lock, and releases it however `section` ends. Waits (asynchronously) for
   * other holders, in this process and in others, up to `timeoutMs`: then TIMEOUT naming the lock file.
   */
  run<R>(section: () => Promise<R> | R, options: LockWaitOptions = {}): Promise<R> {
    const turn = this.#tail.then(() => this.#runHeld(section, options));
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  async #runHeld<R>(section: () => Promise<R> | R, options: LockWaitOptions): Promise<R> {
    const db = this.#open();
    await this.#acquire(db, options);
    try {
      return await section();
    } finally {
      db.exec('COMMIT');
    }
  }

  async #acquire(db: Db, { timeoutMs = 30_000, signal }: LockWaitOptions): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let wait = RETRY_MIN_MS;
    for (;;) {
      signal?.throwIfAborted();
      try {
        db.exec('BEGIN EXCLUSIVE');
        return;
      } catch (err) {
        if (!isBusy(err)) {
          throw new LsmError(ErrorNumber.PLUGIN_BUG, `Cannot take the lock ${this.path}: ${(err as Error).message}`, null, { cause: err });
        }
      }
      if (Date.now() >= deadline) {
        throw new LsmError(
          ErrorNumber.TIMEOUT,
          `Another process held the lock ${this.path} for more than ${Math.round(timeoutMs / 1000)} s; try again when it has finished`,
        );
      }
      await sleep(Math.min(wait, Math.max(1, deadline - Date.now())), undefined, signal ? { signal } : undefined);
      wait = Math.min(wait * 2, RETRY_MAX_MS);
    }
  }

  #open(): Db {
    if (this.#db === undefined) throw new LsmError(ErrorNumber.PLUGIN_BUG, `The lock ${this.path} is closed`);
    return this.#db;
  }

  /** Closes the lock file (after the sections queued so far). */
  async close(): Promise<void> {
    await this.#tail;
    this.#db?.close();
    this.#db = undefined;
  }
}
