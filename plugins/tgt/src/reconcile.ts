/**
 * Makes tgtd hold what a DesiredConfig says, from tgtd's own listing: create what is missing, change what
 * differs, remove this plugin's targets that are no longer wanted. The same code replays the state into a tgtd
 * that restarted empty, applies each change, and rolls a failed change back.
 *
 * Only targets under the plugin's prefix are touched; other targets on the same tgtd are left alone (their tids
 * are avoided). A target is offline (tgtd refuses logins to it) while it is built or its CHAP accounts change,
 * and the initiator rule and the accounts are in place before any LUN is added, so a LUN is never reachable
 * without them. An address rule found on one of the plugin's targets is removed: tgtd ORs address and name
 * rules, so it would admit every initiator name.
 *
 * Failures are collected per target (and per account), not thrown: one broken volume must not keep every
 * other target from being replayed. Only a failure to read tgtd's listing is thrown.
 */
import { existsSync } from 'node:fs';
import { ErrorNumber, LsmError } from '@openlsm/core';
import type { DesiredConfig, DesiredTarget } from './desired.js';
import { isOwnTarget } from './naming.js';
import type { RequestOptions } from './tgtd/client.js';
import type { TgtdAdmin } from './tgtd/admin.js';
import { isTgtdError, TgtadmErr } from './tgtd/errors.js';
import { isInitiatorNameRule, type TgtdTarget } from './tgtd/show.js';

export interface ReconcileResult {
  /** By target name, or `account <user>` for an account. */
  failures: Map<string, LsmError>;
  /** The dirty accounts still not known to hold their recorded secret (recreation failed). */
  dirtyLeft: Set<string>;
  /** How many changes were sent to tgtd. */
  operations: number;
}

export function accountKey(user: string): string {
  return `account ${user}`;
}

function lowestFreeTid(used: Set<number>): number {
  let tid = 1;
  while (used.has(tid)) tid++;
  return tid;
}

class Reconciler {
  readonly #admin: TgtdAdmin;
  readonly #options: RequestOptions;
  /** Targets taken offline because an account bound to them is being recreated. */
  readonly #offline = new Set<number>();
  readonly result: ReconcileResult = { failures: new Map(), dirtyLeft: new Set(), operations: 0 };

  constructor(admin: TgtdAdmin, options: RequestOptions) {
    this.#admin = admin;
    this.#options = options;
  }

  async #op(fn: (admin: TgtdAdmin, options: RequestOptions) => Promise<void>): Promise<void> {
    this.result.operations++;
    await fn(this.#admin, this.#options);
  }

  /**
   * Recreates dirty accounts (their secret on tgtd is unknown) and creates missing ones. While an account is
   * deleted and created again, the targets it is bound to are offline: a target without its incoming account
   * would let the allowed initiator in without CHAP.
   */
  async accounts(desired: DesiredConfig, present: Set<string>, dirty: ReadonlySet<string>, targets: TgtdTarget[]): Promise<void> {
    for (const user of dirty) {
      try {
        if (present.has(user)) {
          for (const t of targets) {
            if (!t.incomingAccounts.includes(user) && t.outgoingAccount !== user) continue;
            if (t.state === 'ready' && !this.#offline.has(t.tid)) await this.#op((a, o) => a.setTargetState(t.tid, 'offline', o));
            this.#offline.add(t.tid);
          }
          await this.#op((a, o) => a.deleteAccount(user, o)).catch((err: unknown) => {
            if (!isTgtdError(err, TgtadmErr.NO_USER)) throw err;
          });
          present.delete(user);
          // tgtd unbinds a deleted account from every target; keep the listing in step.
          for (const t of targets) {
            t.incomingAccounts = t.incomingAccounts.filter((u) => u !== user);
            if (t.outgoingAccount === user) t.outgoingAccount = null;
          }
        }
        const secret = desired.accounts.get(user);
        if (secret !== undefined) {
          await this.#op((a, o) => a.newAccount(user, secret, o));
          present.add(user);
        }
      } catch (err) {
        this.result.failures.set(accountKey(user), err as LsmError);
        this.result.dirtyLeft.add(user);
      }
    }
    for (const [user, secret] of desired.accounts) {
      if (present.has(user) || dirty.has(user)) continue;
      try {
        await this.#op((a, o) => a.newAccount(user, secret, o));
        present.add(user);
      } catch (err) {
        this.result.failures.set(accountKey(user), err as LsmError);
      }
    }
  }

  async removeTarget(t: TgtdTarget): Promise<void> {
    try {
      await this.#op((a, o) => a.deleteTarget(t.tid, true, o));
    } catch (err) {
      if (!isTgtdError(err, TgtadmErr.NO_TARGET)) this.result.failures.set(t.name, err as LsmError);
    }
  }

  /**
   * Brings one target to its desired form. A new target, and one whose CHAP accounts change, is kept offline
   * until it is complete, and stays offline if a step fails: no access is better than access without the
   * credentials the state asks for.
   */
  async target(want: DesiredTarget, have: TgtdTarget | undefined, usedTids: Set<number>): Promise<void> {
    try {
      const incoming = have?.incomingAccounts ?? [];
      const outgoing = have?.outgoingAccount ?? null;
      const chapChanges = incoming.length !== want.inUsers.length || incoming.some((u) => !want.inUsers.includes(u)) || outgoing !== want.outUser;
      let tid: number;
      let offline: boolean;
      if (have) {
        tid = have.tid;
        offline = have.state !== 'ready' || this.#offline.has(tid);
        if (chapChanges && !offline) {
          await this.#op((a, o) => a.setTargetState(tid, 'offline', o));
          offline = true;
        }
      } else {
        tid = lowestFreeTid(usedTids);
        await this.#op((a, o) => a.newTarget(tid, want.name, o));
        usedTids.add(tid);
        await this.#op((a, o) => a.setTargetState(tid, 'offline', o));
        offline = true;
      }
      for (const rule of have?.acls ?? []) {
        if (want.initiators.includes(rule)) continue;
        if (isInitiatorNameRule(rule)) await this.#op((a, o) => a.unbindInitiatorName(tid, rule, o));
        else await this.#op((a, o) => a.unbindInitiatorAddress(tid, rule, o));
      }
      for (const iqn of want.initiators) if (!have?.acls.includes(iqn)) await this.#op((a, o) => a.bindInitiatorName(tid, iqn, o));
      for (const user of want.inUsers) if (!incoming.includes(user)) await this.#op((a, o) => a.bindAccount(tid, user, false, o));
      for (const user of incoming) if (!want.inUsers.includes(user)) await this.#op((a, o) => a.unbindAccount(tid, user, false, o));
      if (outgoing !== null && outgoing !== want.outUser) await this.#op((a, o) => a.unbindAccount(tid, outgoing, true, o));
      if (want.outUser !== null && outgoing !== want.outUser) {
        const user = want.outUser;
        await this.#op((a, o) => a.bindAccount(tid, user, true, o));
      }
      const luns = new Map((have?.luns ?? []).filter((l) => l.lun !== 0).map((l) => [l.lun, l]));
      const wanted = new Map(want.luns.map((l) => [l.lun, l]));
      for (const [lun, lu] of luns) {
        if (wanted.get(lun)?.path !== lu.path) await this.#op((a, o) => a.deleteLun(tid, lun, o));
      }
      for (const lu of want.luns) {
        const current = luns.get(lu.lun);
        if (current?.path !== lu.path) await this.#op((a, o) => a.newLun(tid, lu.lun, { path: lu.path }, o)).catch((err: unknown) => {
          throw existsSync(lu.path) ? err : new LsmError(ErrorNumber.NOT_FOUND_VOLUME,
            `LUN ${lu.lun} of target ${want.name} cannot be served: its volume's data ${lu.path} is gone (deleted outside openlsm?); unmask that volume`);
        });
        if (current?.path !== lu.path || current.scsiId !== lu.scsiId) {
          await this.#op((a, o) => a.setLunIdentity(tid, lu.lun, lu.scsiId, lu.scsiId, o));
        }
      }
      // An initiator taken out of the group keeps its open session unless tgtd is told to close it.
      for (const nexus of have?.nexuses ?? []) {
        if (want.initiators.includes(nexus.initiator) || !/^\d+$/.test(nexus.id)) continue;
        for (const cid of nexus.connections) await this.#op((a, o) => a.closeConnection(tid, BigInt(nexus.id), cid, o));
      }
      if (offline) await this.#op((a, o) => a.setTargetState(tid, 'ready', o));
    } catch (err) {
      this.result.failures.set(want.name, err as LsmError);
    }
  }
}

export interface ReconcileOptions extends RequestOptions {
  /** The plugin's target name prefix: only targets under it are changed or removed. */
  prefix: string;
  /** Accounts whose secret on tgtd is unknown and must be recreated. */
  dirty: ReadonlySet<string>;
}

export async function reconcile(admin: TgtdAdmin, desired: DesiredConfig, options: ReconcileOptions): Promise<ReconcileResult> {
  const { prefix, dirty, ...request } = options;
  const targets = await admin.targets(request);
  const present = new Set(await admin.accounts(request));
  const r = new Reconciler(admin, request);
  await r.accounts(desired, present, dirty, targets);
  const usedTids = new Set(targets.map((t) => t.tid));
  for (const t of targets) {
    if (isOwnTarget(prefix, t.name) && !desired.targets.has(t.name)) {
      await r.removeTarget(t);
      if (!r.result.failures.has(t.name)) usedTids.delete(t.tid);
    }
  }
  const byName = new Map(targets.map((t) => [t.name, t]));
  for (const want of desired.targets.values()) await r.target(want, byName.get(want.name), usedTids);
  // Accounts this plugin created and no longer wants: a dirty name that is not desired was deleted above.
  return r.result;
}
