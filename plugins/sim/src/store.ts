/**
 * The simulator's state file: one SQLite database shared by every plugin process that names it (several lsmcli
 * commands, the daemon's connections, scripts), so the array looks the same to all of them.
 *
 * * WAL journal, `synchronous=NORMAL`: readers never wait for a writer, and a process killed at any instant
 *   leaves a database that opens consistent (a commit is atomic; at worst the last commits before a power loss
 *   are lost, never half of one).
 * * Every mutation runs in one `BEGIN IMMEDIATE` transaction with its checks inside it, so concurrent processes
 *   are serialised on the write lock and no check can be invalidated before its write (no lost update, an exact
 *   NAME_CONFLICT). Waiting for the lock is bounded by the plugin's timeout, as in lsm: TIMEOUT "Timeout to
 *   require lock on state file".
 * * Statements are prepared on first use and cached: a plugin process often serves one command, and preparing
 *   every statement up front would cost more than the command.
 */
import { closeSync, existsSync, lstatSync, openSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database, { type Database as Db, type Statement, type Transaction } from 'better-sqlite3';
import { ErrorNumber, LsmError, describeForMessage, SOCKET_DIR_MARKERS } from '@openlsm/core';
import { MIGRATIONS, SCHEMA_SQL, STATE_FORMAT } from './schema-sql.js';
import { seedDefaultContent } from './seed.js';

export interface OpenOptions {
  /** How long to wait for another process's write lock, in ms (the plugin's timeout). */
  timeoutMs: number;
}

/** The state file used when neither `?statefile=` nor `LSM_SIM_DATA` names one. */
export function defaultStatePath(): string {
  // Per user: a shared name in a world-writable directory could be pre-created by someone else.
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return path.join(os.tmpdir(), `openlsm-sim-${uid}.sqlite3`);
}

/**
 * Which state file a session uses: the URI's `statefile` parameter, else `$LSM_SIM_DATA`, else
 * `defaultStatePath()`. Relative paths are taken from the plugin's working directory.
 */
export function resolveStatePath(parameters: Record<string, string>, env: NodeJS.ProcessEnv): string {
  const fromUri = Object.hasOwn(parameters, 'statefile') ? parameters.statefile : undefined;
  const chosen = fromUri ?? (env.LSM_SIM_DATA || undefined);
  if (chosen === undefined) return defaultStatePath();
  if (chosen === '' || chosen.length > 4096 || /[\x00-\x1f\x7f]/.test(chosen)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid simulator state file path ${describeForMessage(chosen)}`);
  }
  return path.resolve(chosen);
}

function realDirectory(dir: string): string | undefined {
  try {
    return realpathSync(dir);
  } catch {
    return undefined;
  }
}

/**
 * Refuses a state file inside a plug-in daemon's socket directory (one holding openlsmd's or lsmd's lock, or
 * `$LSM_UDS_PATH`, which openlsmd sets for its plugins): a file created there could take the name of another
 * plugin's socket. Symbolic links are resolved first, so a link elsewhere that points there is refused too.
 */
export function refuseSocketDirectory(file: string, env: NodeJS.ProcessEnv): void {
  const dir = realDirectory(path.dirname(file));
  if (dir === undefined) return; // a missing directory is reported when the file is created
  const udsPath = env.LSM_UDS_PATH ? realDirectory(env.LSM_UDS_PATH) : undefined;
  const inUds = udsPath !== undefined && (dir === udsPath || dir.startsWith(`${udsPath}${path.sep}`));
  if (inUds || SOCKET_DIR_MARKERS.some((marker) => existsSync(path.join(dir, marker)))) {
    throw new LsmError(
      ErrorNumber.INVALID_ARGUMENT,
      `The simulator state file ${describeForMessage(file)} is inside the plug-in socket directory ${describeForMessage(inUds ? udsPath : dir)}: choose a state file elsewhere`,
    );
  }
}

function incompatible(file: string): LsmError {
  return new LsmError(
    ErrorNumber.INVALID_ARGUMENT,
    `Stored simulator state incompatible with simulator, please move or delete ${file}`,
  );
}

/**
 * Translates SQLite's failures into lsm errors a person can act on (never a bare SqliteError, whose stack would
 * reach the user as PLUGIN_BUG). While opening, a failure SQLite has no better word for means the path names
 * something that cannot hold a database (`/proc/self/mem`, a device): the user chose it, so INVALID_ARGUMENT.
 */
export function translateSqliteError(err: unknown, file: string, opening = false): unknown {
  if (err instanceof LsmError || !(err instanceof Database.SqliteError)) return err;
  const code = err.code;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new LsmError(ErrorNumber.TIMEOUT, 'Timeout to require lock on state file', file);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return incompatible(file);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new LsmError(ErrorNumber.PERMISSION_DENIED, `Cannot write the simulator state file ${file}: ${err.message}`);
  }
  if (code === 'SQLITE_FULL') return new LsmError(ErrorNumber.NO_MEMORY, `No space left for the simulator state file ${file}`);
  if (opening) {
    return new LsmError(
      ErrorNumber.INVALID_ARGUMENT,
      `${file} cannot be used as the simulator state file (${err.message}, ${code}); name another with ?statefile=<path>`,
    );
  }
  return new LsmError(ErrorNumber.PLUGIN_BUG, `The simulator state file ${file} failed: ${err.message} (${code})`);
}

/** Creates `file` with mode 0600 unless it exists; refuses a symbolic link or someone else's file. */
function prepareFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Cannot create the simulator state file ${file}: its directory does not exist`);
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new LsmError(ErrorNumber.PERMISSION_DENIED, `Cannot create the simulator state file ${file}: ${code}`);
    }
    if (code !== 'EEXIST') throw err;
  }
  const st = lstatSync(file);
  if (!st.isFile()) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `The simulator state file ${file} is not a regular file`);
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (uid !== 0 && st.uid !== uid) {
    throw new LsmError(ErrorNumber.PERMISSION_DENIED, `The simulator state file ${file} belongs to another user (uid ${st.uid})`);
  }
}

export class SimStore {
  readonly file: string;
  readonly #db: Db;
  readonly #statements = new Map<string, Statement>();
  /** One transaction wrapper for every `write`/`read`: it runs the function it is given. */
  readonly #transaction: Transaction<(fn: () => unknown) => unknown>;

  private constructor(file: string, db: Db) {
    this.file = file;
    this.#db = db;
    this.#transaction = db.transaction((fn: () => unknown) => fn());
  }

  /**
   * Opens (creating and seeding when new) the state file. Fails with INVALID_ARGUMENT for a file that is not
   * ours, PERMISSION_DENIED when it cannot be written, TIMEOUT when another process holds the lock too long.
   */
  static open(file: string, options: OpenOptions): SimStore {
    prepareFile(file);
    let db: Db;
    try {
      db = new Database(file, { timeout: Math.max(1, Math.trunc(options.timeoutMs)) });
    } catch (err) {
      throw translateSqliteError(err, file, true);
    }
    const store = new SimStore(file, db);
    try {
      db.defaultSafeIntegers(true);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      store.#checkFormat();
    } catch (err) {
      db.close();
      throw translateSqliteError(err, file, true);
    }
    return store;
  }

  /** Fast path: one indexed read when the file is already ours; creation and seeding only for an empty file. */
  #checkFormat(): void {
    const format = this.#readFormat();
    if (format === STATE_FORMAT) return;
    if (format !== undefined && !Object.hasOwn(MIGRATIONS, format)) throw incompatible(this.file);
    this.write(() => {
      // Re-checked under the write lock: another process may have seeded or upgraded the file meanwhile.
      let now = this.#readFormat();
      for (let step = MIGRATIONS[now ?? '']; now !== undefined && step !== undefined; step = MIGRATIONS[now]) {
        this.#db.exec(step.sql);
        this.run("UPDATE meta SET value = ? WHERE key = 'format'", step.next);
        now = step.next;
      }
      if (now === STATE_FORMAT) return;
      if (now !== undefined) throw incompatible(this.file);
      this.#db.exec(SCHEMA_SQL);
      seedDefaultContent(this);
      this.run('INSERT INTO meta (key, value) VALUES (?, ?)', 'format', STATE_FORMAT);
    });
  }

  /** The stored format; undefined for an empty database; anything else not ours gives `''`. */
  #readFormat(): string | undefined {
    const tables = this.#db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as bigint;
    if (tables === 0n) return undefined;
    const hasMeta = this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").pluck().get();
    if (hasMeta === undefined) return '';
    const value = this.#db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get();
    return typeof value === 'string' ? value : '';
  }

  /** A cached prepared statement. */
  statement(sql: string): Statement {
    let s = this.#statements.get(sql);
    if (!s) {
      try {
        s = this.#db.prepare(sql);
      } catch (err) {
        throw translateSqliteError(err, this.file);
      }
      this.#statements.set(sql, s);
    }
    return s;
  }

  /** Runs a write statement. */
  run(sql: string, ...params: unknown[]): { changes: number; lastInsertRowid: number | bigint } {
    try {
      return this.statement(sql).run(...params);
    } catch (err) {
      throw translateSqliteError(err, this.file);
    }
  }

  /** The first row as an object, or undefined. */
  get<T>(sql: string, ...params: unknown[]): T | undefined {
    try {
      return this.statement(sql).get(...params) as T | undefined;
    } catch (err) {
      throw translateSqliteError(err, this.file);
    }
  }

  /** The first column of the first row, or undefined. */
  value<T>(sql: string, ...params: unknown[]): T | undefined {
    const s = this.statement(sql);
    s.pluck(true);
    try {
      return s.get(...params) as T | undefined;
    } catch (err) {
      throw translateSqliteError(err, this.file);
    } finally {
      s.pluck(false);
    }
  }

  /** Every row as an object. */
  all<T>(sql: string, ...params: unknown[]): T[] {
    try {
      return this.statement(sql).all(...params) as T[];
    } catch (err) {
      throw translateSqliteError(err, this.file);
    }
  }

  /** Every row as an array of column values (cheaper for long listings: no per-row key lookup). */
  rows(sql: string, ...params: unknown[]): unknown[][] {
    const s = this.statement(sql);
    s.raw(true);
    try {
      return s.all(...params) as unknown[][];
    } catch (err) {
      throw translateSqliteError(err, this.file);
    } finally {
      s.raw(false);
    }
  }

  /**
   * Runs `fn` in one `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back when it throws.
   * Checks and writes belong inside `fn`, so no other process can change what was checked.
   */
  write<T>(fn: () => T): T {
    if (this.#db.inTransaction) return fn();
    try {
      return this.#transaction.immediate(fn) as T;
    } catch (err) {
      throw translateSqliteError(err, this.file);
    }
  }

  /** Runs several reads on one consistent snapshot. */
  read<T>(fn: () => T): T {
    if (this.#db.inTransaction) return fn();
    try {
      return this.#transaction.deferred(fn) as T;
    } catch (err) {
      throw translateSqliteError(err, this.file);
    }
  }

  /** Changes how long a write waits for another process's lock (`time_out_set`). */
  setLockTimeout(ms: number): void {
    this.#db.pragma(`busy_timeout = ${Math.max(1, Math.trunc(ms))}`);
  }

  /** SQLite's own check of the file (`PRAGMA integrity_check` and `foreign_key_check`); [] when sound. */
  integrityProblems(): string[] {
    const integrity = (this.#db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const problems = integrity.filter((r) => r !== 'ok');
    const fk = this.#db.pragma('foreign_key_check') as { table: string; rowid: bigint; parent: string }[];
    for (const r of fk) problems.push(`${r.table} row ${r.rowid} refers to a missing ${r.parent} row`);
    return problems;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
