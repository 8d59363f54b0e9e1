/**
 * The tgtd configuration a state calls for: for every access group that has masked volumes, one target allowing
 * the group's initiator names only, with the group's volumes as LUNs and the CHAP accounts of its initiators
 * bound; and every CHAP account of the state. Pure: no I/O, so a change can be compared before it is applied
 * (which targets does this mask touch?).
 */
import path from 'node:path';
import type { TgtConfig } from './config.js';
import { scsiIdOf } from './inventory.js';
import { splitVolumeId, targetNameFor } from './naming.js';
import type { TgtState } from './state.js';

export interface DesiredLun {
  lun: number;
  path: string;
  scsiId: string;
}

export interface DesiredTarget {
  name: string;
  /** The initiator-name rules, in the group's order. */
  initiators: string[];
  luns: DesiredLun[];
  /** Incoming accounts (sorted, no repeats). */
  inUsers: string[];
  outUser: string | null;
}

export interface DesiredConfig {
  /** By target name. */
  targets: Map<string, DesiredTarget>;
  /** CHAP accounts: user name to secret. */
  accounts: Map<string, string>;
}

/** Where tgtd finds a volume's data, from the configuration alone; null when its pool is no longer configured. */
export function volumePath(config: TgtConfig, id: string): string | null {
  const { pool, name } = splitVolumeId(id);
  const p = config.pools.find((c) => c.name === pool);
  if (!p) return null;
  if (p.kind === 'directory') return path.join(p.directory, name);
  return p.devices.find((d) => path.basename(d) === name) ?? null;
}

export function desiredConfig(state: TgtState, config: TgtConfig): DesiredConfig {
  const targets = new Map<string, DesiredTarget>();
  for (const group of state.accessGroups) {
    const luns: DesiredLun[] = [];
    for (const mask of state.masks) {
      if (mask.accessGroup !== group.id) continue;
      const file = volumePath(config, mask.volume);
      if (file !== null) luns.push({ lun: mask.lun, path: file, scsiId: scsiIdOf(state, mask.volume) });
    }
    if (luns.length === 0) continue;
    luns.sort((a, b) => a.lun - b.lun);
    const chap = group.initiators.map((iqn) => state.chap[iqn]);
    const inUsers = [...new Set(chap.map((c) => c?.in?.user).filter((u): u is string => u !== undefined))].sort();
    // access-groups.ts keeps the outgoing accounts of a group's initiators equal.
    const outUser = chap.map((c) => c?.out?.user).find((u): u is string => u !== undefined) ?? null;
    const name = targetNameFor(config.targetPrefix, group);
    targets.set(name, { name, initiators: [...group.initiators], luns, inUsers, outUser });
  }
  const accounts = new Map<string, string>();
  for (const rec of Object.values(state.chap)) {
    if (rec.in) accounts.set(rec.in.user, rec.in.secret);
    if (rec.out) accounts.set(rec.out.user, rec.out.secret);
  }
  return { targets, accounts };
}

/** Names of the targets whose desired form differs between `a` and `b` (added, removed or changed). */
export function changedTargets(a: DesiredConfig, b: DesiredConfig): Set<string> {
  const out = new Set<string>();
  for (const [name, t] of a.targets) if (JSON.stringify(t) !== JSON.stringify(b.targets.get(name))) out.add(name);
  for (const name of b.targets.keys()) if (!a.targets.has(name)) out.add(name);
  return out;
}

/** Account names whose existence or secret differs between `a` and `b`. */
export function changedAccounts(a: DesiredConfig, b: DesiredConfig): Set<string> {
  const out = new Set<string>();
  for (const [user, secret] of a.accounts) if (b.accounts.get(user) !== secret) out.add(user);
  for (const user of b.accounts.keys()) if (!a.accounts.has(user)) out.add(user);
  return out;
}
