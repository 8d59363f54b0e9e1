/**
 * Changes to the plugin's state and to tgtd as one step: under a cross-process lock, a change edits a copy of
 * the state; the tgtd configuration it calls for is applied; only then is the state written. If tgtd refuses
 * a part the change touched, tgtd is brought back to the old state and the old state stays. If the process
 * dies anywhere in between, the state on disk is the old one (plus the account journal), and the next
 * reconciliation, at the next session's start, makes tgtd match it again.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ExclusiveLock, StateFile } from '@openlsm/backing-store';
import { describeForMessage, ErrorNumber, LsmError } from '@openlsm/core';
import type { Logger } from '@openlsm/log';
import type { TgtConfig } from './config.js';
import { changedAccounts, changedTargets, desiredConfig } from './desired.js';
import { isOwnTarget } from './naming.js';
import { accountKey, reconcile, type ReconcileResult } from './reconcile.js';
import { cloneState, stateCodec, type TgtState } from './state.js';
import type { TgtdAdmin } from './tgtd/admin.js';
import { formatPortal, isWildcardHost, parsePortal } from './tgtd/payload.js';

export interface Transaction {
  /** The state to change in place. */
  readonly state: TgtState;
  /** Registers work to undo (a file created) if the change cannot be applied. */
  onFailure(undo: () => Promise<void> | void): void;
}

export interface ChangeOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** How long a rollback may take once the change itself failed (it runs even if the caller gave up). */
const ROLLBACK_TIMEOUT_MS = 15_000;

export class TgtStore {
  readonly config: TgtConfig;
  readonly admin: TgtdAdmin;
  readonly #file: StateFile<TgtState>;
  readonly #lock: ExclusiveLock;
  readonly #log: Logger;

  private constructor(config: TgtConfig, admin: TgtdAdmin, log: Logger, file: StateFile<TgtState>, lock: ExclusiveLock) {
    this.config = config;
    this.admin = admin;
    this.#log = log;
    this.#file = file;
    this.#lock = lock;
  }

  /** Opens the state in `config.stateDir` (created 0700 if missing). */
  static open(config: TgtConfig, admin: TgtdAdmin, log: Logger): TgtStore {
    mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
    const file = new StateFile(path.join(config.stateDir, 'state.json'), stateCodec);
    const lock = ExclusiveLock.open(path.join(config.stateDir, 'state.lock'));
    return new TgtStore(config, admin, log, file, lock);
  }

  /** The state as last written (atomic renames: never half a file). */
  read(): Promise<TgtState> {
    return this.#file.read();
  }

  /** Runs `fn` on a copy of the state and applies the result to tgtd and the state file (see the module doc). */
  change<R>(fn: (tx: Transaction) => Promise<R> | R, options: ChangeOptions = {}): Promise<R> {
    return this.#lock.run(async () => {
      const before = await this.#file.read();
      const after = cloneState(before);
      const undos: (() => Promise<void> | void)[] = [];
      try {
        const result = await fn({ state: after, onFailure: (undo) => undos.push(undo) });
        await this.#apply(before, after, options);
        return result;
      } catch (err) {
        for (const undo of undos.reverse()) {
          await Promise.resolve().then(undo).catch((e: unknown) => this.#log.error('Undoing a failed change failed', { error: String(e) }));
        }
        throw err;
      }
    }, options);
  }

  async #apply(before: TgtState, after: TgtState, options: ChangeOptions): Promise<void> {
    const old = desiredConfig(before, this.config);
    const next = desiredConfig(after, this.config);
    const accounts = changedAccounts(old, next);
    const targets = changedTargets(old, next);
    if (accounts.size === 0 && targets.size === 0) {
      if (JSON.stringify(before) !== JSON.stringify(after)) await this.#file.write(after);
      return;
    }
    const dirty = new Set([...before.dirtyAccounts, ...accounts]);
    // The journal: written before any secret changes on tgtd, so a crash cannot leave a secret nobody knows.
    if (accounts.size > 0) await this.#file.write({ ...before, dirtyAccounts: [...dirty] });
    const result = await reconcile(this.admin, next, { prefix: this.config.targetPrefix, dirty, ...options });
    const failure = [...targets].map((t) => result.failures.get(t)).concat([...accounts].map((u) => result.failures.get(accountKey(u))))
      .find((f): f is LsmError => f !== undefined);
    if (failure) {
      let left: Set<string> = dirty;
      try {
        left = (await reconcile(this.admin, old, { prefix: this.config.targetPrefix, dirty, timeoutMs: ROLLBACK_TIMEOUT_MS })).dirtyLeft;
      } catch (err) {
        this.#log.error('Rolling tgtd back after a failed change failed; the next session will retry', { error: String(err) });
      }
      await this.#file.write({ ...before, dirtyAccounts: [...left] });
      throw failure;
    }
    this.#warn(result, targets);
    await this.#file.write({ ...after, dirtyAccounts: [...result.dirtyLeft] });
  }

  #warn(result: ReconcileResult, except: ReadonlySet<string> = new Set()): void {
    for (const [what, err] of result.failures) {
      if (!except.has(what)) this.#log.warn(`tgtd could not be brought in line for ${what}`, { error: err.message });
    }
  }

  /**
   * Replays the state into tgtd (a tgtd that restarted has nothing) and makes sure the configured portals
   * exist. Problems with single targets are logged, not thrown: a session must still start to fix them.
   */
  replay(options: ChangeOptions = {}): Promise<ReconcileResult> {
    return this.#lock.run(async () => {
      await this.#ensurePortals(options);
      if (!existsSync(this.#file.path)) await this.#refuseToForget(options);
      const state = await this.#file.read();
      const dirty = new Set(state.dirtyAccounts);
      const result = await reconcile(this.admin, desiredConfig(state, this.config), { prefix: this.config.targetPrefix, dirty, ...options });
      this.#warn(result);
      if (result.dirtyLeft.size !== dirty.size) await this.#file.write({ ...state, dirtyAccounts: [...result.dirtyLeft] });
      return result;
    }, options);
  }

  /**
   * No state file, but tgtd serves targets under the prefix: the state was lost or points elsewhere. Replaying
   * the empty state would remove those targets and cut their hosts off, so the session is refused instead.
   */
  async #refuseToForget(options: ChangeOptions): Promise<void> {
    const own = (await this.admin.targets(options)).filter((t) => isOwnTarget(this.config.targetPrefix, t.name));
    if (own.length === 0) return;
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT,
      `The state file ${this.#file.path} is missing, but tgtd serves ${own.length} target(s) under ${this.config.targetPrefix} (${describeForMessage(own[0]?.name ?? '')}...): restore the state file, or delete those targets with tgtadm if they are to go`);
  }

  async #ensurePortals(options: ChangeOptions): Promise<void> {
    const present = await this.admin.portals(options);
    for (const p of present) {
      const host = parsePortalQuietly(p.address);
      if (host !== null && isWildcardHost(host)) {
        this.#log.warn(`tgtd listens on ${p.address}, every address of this machine: start it with --iscsi portal=<address>:<port>`);
      }
    }
    for (const portal of this.config.portals) {
      if (!present.some((p) => p.address === formatPortal(portal))) await this.admin.newPortal(portal, options);
    }
  }

  async close(): Promise<void> {
    await this.#lock.close();
  }
}

function parsePortalQuietly(address: string): string | null {
  try {
    return parsePortal(address).host;
  } catch {
    return null;
  }
}
