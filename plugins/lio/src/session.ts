/**
 * One plugin session's hold on LIO: the settings, the tree, the pools, the state file and the lock.
 *
 * Every call runs under the lock (reads too: a change halfway through would otherwise show a storage object
 * without its serial). A change runs `work` with a journal attached to the tree; then it saves the state file
 * and saveconfig.json (incrementally, see saveconfig/update.ts). If anything fails, work included, the journal
 * undoes every step and the state file is put back: the tree, saveconfig.json and the state are left as before.
 * Steps that cannot be undone (deleting an image file) run only after everything else is saved.
 */
import fs from 'node:fs';
import { ExclusiveLock, StateFile, writeFileAtomic } from '@openlsm/backing-store';
import { ErrorNumber, LsmError } from '@openlsm/core';
import type { Logger } from '@openlsm/log';
import { type LioConfig } from './config.js';
import { hbaDirs, scanStorageObjects, type StorageObjectRef } from './configfs/backstores.js';
import { Journal } from './configfs/journal.js';
import { ConfigfsTree } from './configfs/tree.js';
import { checkKernel, requireRoot } from './kernel.js';
import { openPools, type LioPool } from './lsm/pools.js';
import { formatSaveConfig, parseSaveConfig, type SaveConfig } from './saveconfig/format.js';
import { restoreSaveConfig } from './saveconfig/restore.js';
import { buildSaveConfig, Touched } from './saveconfig/update.js';
import { type LioState, openStateFile } from './state.js';

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface OpenOptions extends CallOptions {
  /** Restore saveconfig.json when the tree is empty (default true; `openlsm-lio restore` decides itself). */
  autoRestore?: boolean;
}

/** What a call sees: the tree, the settings, the pools and the state file's content. */
export class View {
  readonly session: LioSession;
  readonly state: LioState;
  #scan: { objects: StorageObjectRef[]; hbas: string[] } | undefined;

  constructor(session: LioSession, state: LioState) {
    this.session = session;
    this.state = state;
  }

  get tree(): ConfigfsTree {
    return this.session.tree;
  }

  get config(): LioConfig {
    return this.session.config;
  }

  get pools(): ReadonlyMap<string, LioPool> {
    return this.session.pools;
  }

  /** The storage objects and HBA directories, listed once per call and kept current by the call's own changes. */
  scan(): { objects: StorageObjectRef[]; hbas: string[] } {
    this.#scan ??= scanStorageObjects(this.tree, this.state.hbas);
    return this.#scan;
  }

  /** The HBA -> objects listing to remember (the state file's cache). */
  hbaListing(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const { objects, hbas } = this.scan();
    for (const hba of hbas) out[hba] = [];
    for (const so of objects) (out[so.hba] ??= []).push(so.name);
    return out;
  }
}

/** A call that changes the tree. */
export class Change extends View {
  readonly journal = new Journal();
  readonly touched = new Touched();
  readonly #afterCommit: { what: string; run: () => Promise<void> }[] = [];
  stateChanged = false;

  /** Runs `run` once the change is saved; a failure there is logged, the change stands. */
  afterCommit(what: string, run: () => Promise<void>): void {
    this.#afterCommit.push({ what, run });
  }

  async runAfterCommit(log: Logger): Promise<void> {
    for (const step of this.#afterCommit) {
      try {
        await step.run();
      } catch (err) {
        log.warn('a step after a saved change failed', { step: step.what, error: (err as Error).message });
      }
    }
  }
}

export class LioSession {
  readonly config: LioConfig;
  readonly tree: ConfigfsTree;
  readonly pools: ReadonlyMap<string, LioPool>;
  readonly log: Logger;
  readonly #state: StateFile<LioState>;
  readonly #lock: ExclusiveLock;
  /** saveconfig.json as this process last wrote or read it, by the file's identity (inode, size, mtime). */
  #saved: { key: string; config: SaveConfig } | undefined;

  private constructor(config: LioConfig, pools: ReadonlyMap<string, LioPool>, log: Logger) {
    this.config = config;
    this.tree = new ConfigfsTree(`${config.configfs}/target`);
    this.pools = pools;
    this.log = log;
    this.#state = openStateFile(config.stateFile);
    this.#lock = ExclusiveLock.open(config.lockFile);
  }

  /** Checks the kernel and the settings, opens the pools, and restores saveconfig.json into an empty tree. */
  static async open(config: LioConfig, log: Logger, options: OpenOptions = {}): Promise<LioSession> {
    requireRoot(config.configfs);
    checkKernel({ configfs: config.configfs });
    for (const file of [config.saveconfig, config.stateFile]) {
      if (!fs.existsSync(pathDir(file))) {
        throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `The directory of ${file} does not exist: create it (targetcli's package makes /etc/rtslib-fb-target or /etc/target)`);
      }
    }
    const session = new LioSession(config, await openPools(config.pools), log);
    if (options.autoRestore !== false) await session.restoreIfEmpty(options);
    return session;
  }

  /** The tree holds no HBA and no target: a boot without restore, or a fresh machine. One readdir each. */
  isTreeEmpty(): boolean {
    return hbaDirs(this.tree).length === 0 && this.tree.dirs('iscsi').every((d) => d === 'discovery_auth');
  }

  async restoreIfEmpty(options: CallOptions = {}): Promise<string[] | undefined> {
    if (!fs.existsSync(this.config.saveconfig) || !this.isTreeEmpty()) return undefined;
    return this.#lock.run(() => {
      if (!this.isTreeEmpty()) return undefined;
      const errors = this.restore(this.readSaveConfig() ?? { fabric_modules: [], storage_objects: [], targets: [] }, false);
      this.log.info('restored saveconfig.json into an empty target', { file: this.config.saveconfig, skipped: errors.length });
      return errors;
    }, lockOptions(options));
  }

  /**
   * `openlsm-lio restore`: saveconfig.json into the tree, under the lock. Undefined when there is no file
   * (nothing to restore, as for targetctl). Without `clearExisting`, objects already present are a NAME_CONFLICT.
   */
  async restoreFile(clearExisting: boolean, options: CallOptions = {}): Promise<string[] | undefined> {
    if (!fs.existsSync(this.config.saveconfig)) return undefined;
    const text = fs.readFileSync(this.config.saveconfig, 'utf8');
    const config = parseSaveConfig(text, this.config.saveconfig);
    return this.#lock.run(() => this.restore(config, clearExisting), lockOptions(options));
  }

  /** Restores `config` (not under the lock: callers hold it). Returns rtslib-style "skipped" messages. */
  restore(config: SaveConfig, clearExisting: boolean): string[] {
    this.#setDbroot();
    const errors = restoreSaveConfig(this.tree, config, { clearExisting });
    for (const e of errors) this.log.warn('restore skipped a setting', { detail: e });
    return errors;
  }

  /** rtslib points the kernel's dbroot (persistent reservations, ALUA metadata) at its directory; so do we. */
  #setDbroot(): void {
    const current = this.tree.readOptional('dbroot');
    if (current === undefined || current === this.config.dbroot || !fs.existsSync(this.config.dbroot)) return;
    try {
      this.tree.write('dbroot', `${this.config.dbroot}\n`);
    } catch {
      this.log.info('the kernel keeps its dbroot (target drivers are already registered)', { dbroot: current });
    }
  }

  #fileKey(): string | undefined {
    try {
      const st = fs.statSync(this.config.saveconfig);
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return undefined;
    }
  }

  /**
   * saveconfig.json as last saved, or undefined when missing or not readable as one. A long session (openlsmd,
   * the SDK) does not parse the file again while it is the one it wrote.
   */
  readSaveConfig(): SaveConfig | undefined {
    const key = this.#fileKey();
    if (key !== undefined && this.#saved?.key === key) return this.#saved.config;
    let text: string;
    try {
      text = fs.readFileSync(this.config.saveconfig, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('cannot read saveconfig.json', { file: this.config.saveconfig, error: (err as Error).message });
      return undefined;
    }
    try {
      const config = parseSaveConfig(text, this.config.saveconfig);
      if (key !== undefined) this.#saved = { key, config };
      return config;
    } catch (err) {
      this.log.warn('saveconfig.json is not valid; it will be written afresh from the tree', { error: (err as Error).message });
      return undefined;
    }
  }

  async saveAll(): Promise<void> {
    const config = await buildSaveConfig(this.tree, scanStorageObjects(this.tree).objects, undefined, 'all');
    await writeFileAtomic(this.config.saveconfig, formatSaveConfig(config), { mode: 0o600 });
  }

  async view<T>(work: (view: View) => T | Promise<T>, options: CallOptions = {}): Promise<T> {
    return this.#lock.run(async () => work(new View(this, await this.#state.read())), lockOptions(options));
  }

  async change<T>(work: (change: Change) => Promise<T>, options: CallOptions = {}): Promise<T> {
    return this.#lock.run(async () => {
      const before = await this.#state.read();
      const change = new Change(this, structuredClone(before));
      const previous = this.readSaveConfig();
      this.tree.attach(change.journal);
      let result: T;
      try {
        result = await work(change);
        const saved = await buildSaveConfig(this.tree, change.scan().objects, previous, change.touched);
        this.tree.attach(undefined);
        const listing = change.hbaListing();
        if (JSON.stringify(listing) !== JSON.stringify(before.hbas)) {
          change.state.hbas = listing;
          change.stateChanged = true;
        }
        if (change.stateChanged) {
          await this.#state.write(change.state);
          change.journal.undo('put the state file back', () => this.#state.write(before));
        }
        await writeFileAtomic(this.config.saveconfig, formatSaveConfig(saved), { mode: 0o600 });
        const key = this.#fileKey();
        this.#saved = key === undefined ? undefined : { key, config: saved };
      } catch (err) {
        this.#saved = undefined;
        this.tree.attach(undefined);
        const failed = await change.journal.rollback(this.log);
        if (failed.length > 0 && err instanceof LsmError) {
          throw new LsmError(err.code, `${err.message}; undoing it left ${failed.length} step(s) in place (${failed.join('; ')})`, err.data, { cause: err });
        }
        throw err;
      }
      await change.runAfterCommit(this.log);
      return result;
    }, lockOptions(options));
  }

  async close(): Promise<void> {
    await this.#lock.close();
  }
}

function pathDir(file: string): string {
  return file.slice(0, file.lastIndexOf('/')) || '/';
}

function lockOptions(options: CallOptions): { timeoutMs?: number; signal?: AbortSignal } {
  const out: { timeoutMs?: number; signal?: AbortSignal } = {};
  if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  if (options.signal !== undefined) out.signal = options.signal;
  return out;
}

