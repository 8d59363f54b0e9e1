/**
 * The backend as targetd clients see it: the offered pools under their targetd names, volumes found by
 * (pool, name), and access groups split into targetd's two kinds.
 *
 * targetd has standalone initiators (a NodeACL without a group tag, made by `export_create`) and access groups
 * (NodeACLs sharing a tag). lsm has only access groups, so a standalone initiator is an lsm access group named
 * exactly as its single initiator (`iqn.1994-05.com.example:host1`); every other group with iSCSI initiators is
 * a targetd access group. targetd group names cannot contain `.`, and an iSCSI name always does, so the two
 * kinds cannot be confused. Groups with WWPNs are not shown: targetd is iSCSI only.
 */
import type { Client, InvokeOptions } from '@openlsm/client';
import {
  type AccessGroup, type Capabilities, Capability, ErrorNumber, InitiatorType, isSupported,
  LsmError, normalizeInitiator, type Pool, PoolElementType, type System, type Volume,
} from '@openlsm/core';
import type { Logger } from '@openlsm/log';
import type { Backend } from './backend.js';
import type { PoolSpec, ServerConfig } from './config.js';
import { asTargetd, nameForMessage, TargetdCode, TargetdError } from './errors.js';
import type { KeyedMutex } from './keyed-mutex.js';
import type { LunRegistry } from './lun-registry.js';

export type PoolKind = 'block' | 'fs';

/** A pool offered to targetd clients. */
export interface Offered {
  /** The name targetd clients use. */
  name: string;
  kind: PoolKind;
  /** The backend pool's id. */
  poolId: string;
}

/** What every call shares: set up once at start. */
export interface ServerState {
  config: ServerConfig;
  backend: Backend;
  luns: LunRegistry;
  locks: KeyedMutex;
  log: Logger;
  system: System;
  capabilities: Capabilities;
  offered: readonly Offered[];
}

/** The lock of everything that changes masks, access groups or LUN numbers. */
export const MASKING = 'masking';

function startError(message: string): LsmError {
  return new LsmError(ErrorNumber.INVALID_ARGUMENT, message);
}

/** Matches `specs` to backend pools (by id, else by a unique name); undefined block specs: every volume pool. */
export function resolveOffered(pools: readonly Pool[], blockSpecs: readonly PoolSpec[] | undefined, fsSpecs: readonly PoolSpec[]): Offered[] {
  const known = pools.map((p) => `${p.id} (${p.name})`).join(', ') || 'none';
  const find = (spec: PoolSpec, key: string, kind: PoolKind): Offered => {
    const byId = pools.find((p) => p.id === spec.pool);
    const byName = pools.filter((p) => p.name === spec.pool);
    if (!byId && byName.length > 1) throw startError(`${key}: ${JSON.stringify(spec.pool)} names ${byName.length} backend pools; use a pool id (pools: ${known})`);
    const pool = byId ?? byName[0];
    if (!pool) throw startError(`${key}: the backend has no pool ${JSON.stringify(spec.pool)} (pools: ${known})`);
    const element = kind === 'block' ? PoolElementType.VOLUME : PoolElementType.FS;
    if ((pool.element_type & element) === 0) {
      throw startError(`${key}: backend pool ${pool.id} (${pool.name}) cannot hold ${kind === 'block' ? 'volumes' : 'file systems'}`);
    }
    return { name: spec.name, kind, poolId: pool.id };
  };
  let block: Offered[];
  if (blockSpecs) {
    block = blockSpecs.map((s) => find(s, 'block_pools', 'block'));
  } else {
    block = pools.filter((p) => (p.element_type & PoolElementType.VOLUME) !== 0)
      .map((p) => ({ name: p.name, kind: 'block' as const, poolId: p.id }));
    const names = block.map((o) => o.name);
    const clash = names.find((n, i) => names.indexOf(n) !== i || n.startsWith('/'));
    if (clash !== undefined) throw startError(`block_pools is not set and backend pool name ${JSON.stringify(clash)} cannot be offered as is: list the pools in block_pools with {name, pool}`);
  }
  const all = [...block, ...fsSpecs.map((s) => find(s, 'fs_pools', 'fs'))];
  const name = all.map((o) => o.name).find((n, i, a) => a.indexOf(n) !== i);
  if (name !== undefined) throw startError(`block_pools and fs_pools both offer a pool named ${JSON.stringify(name)}`);
  return all;
}

/** The standalone initiators and access groups of the backend, in targetd's terms. */
export interface GroupIndex {
  /** targetd access groups by name. */
  named: Map<string, AccessGroup>;
  /** Standalone initiators (normalised iSCSI name) -> their one-initiator group. */
  standalone: Map<string, AccessGroup>;
  /** Any initiator (normalised) -> the group holding it. */
  owner: Map<string, AccessGroup>;
}

export function isStandalone(group: AccessGroup): boolean {
  return group.init_ids.length === 1 && group.name === group.init_ids[0];
}

export function indexGroups(groups: readonly AccessGroup[]): GroupIndex {
  const index: GroupIndex = { named: new Map(), standalone: new Map(), owner: new Map() };
  for (const g of groups) {
    if (g.init_type !== InitiatorType.ISCSI_IQN) continue;
    if (isStandalone(g)) index.standalone.set(g.init_ids[0] as string, g);
    else index.named.set(g.name, g);
    for (const id of g.init_ids) index.owner.set(id, g);
  }
  return index;
}

/** An iSCSI initiator name from a client, normalised as the backend stores it (lower case); -32602 if invalid. */
export function iscsiName(value: string): string {
  try {
    return normalizeInitiator(value, InitiatorType.ISCSI_IQN).id;
  } catch (err) {
    throw new TargetdError(TargetdCode.INVALID_ARGUMENT, (err as Error).message);
  }
}

/** One call's access to the backend: every backend call carries the call's deadline. */
export class BackendView {
  readonly state: ServerState;
  readonly #options: InvokeOptions;

  constructor(state: ServerState, signal: AbortSignal) {
    this.state = state;
    this.#options = { signal };
  }

  /** Runs SDK calls on the least busy backend session, with this call's deadline. */
  call<T>(fn: (client: Client, options: InvokeOptions) => Promise<T>): Promise<T> {
    return this.state.backend.use((client) => fn(client, this.#options));
  }

  supports(capability: number): boolean {
    return isSupported(this.state.capabilities, capability);
  }

  /** The offered pools with their backend state, in configuration order. */
  async pools(): Promise<{ offered: Offered; pool: Pool }[]> {
    const pools = await asTargetd('volume', () => this.call((c, o) => c.pools({}, o)));
    const byId = new Map(pools.map((p) => [p.id, p]));
    return this.state.offered.flatMap((offered) => {
      const pool = byId.get(offered.poolId);
      return pool ? [{ offered, pool }] : [];
    });
  }

  /** The backend pool behind targetd pool `name` of `kind`; -110 "Invalid pool (name)" if there is none. */
  async pool(name: string, kind: PoolKind): Promise<Pool> {
    const offered = this.state.offered.find((o) => o.name === name && o.kind === kind);
    const invalid = () => new TargetdError(TargetdCode.INVALID_POOL, `Invalid pool (${nameForMessage(name)})`);
    if (!offered) throw invalid();
    const [pool] = await asTargetd('volume', () => this.call((c, o) => c.pools({ search_key: 'id', search_value: offered.poolId }, o)));
    if (!pool) throw invalid();
    return pool;
  }

  /** The targetd name of backend pool `poolId` (block pools), if it is offered. */
  poolName(poolId: string): string | undefined {
    return this.state.offered.find((o) => o.poolId === poolId && o.kind === 'block')?.name;
  }

  volumes(pool: Pool): Promise<Volume[]> {
    return asTargetd('volume', () => this.call((c, o) => c.volumes({ search_key: 'pool_id', search_value: pool.id }, o)));
  }

  /** The volume named `name` in `pool`, or undefined. */
  async findVolume(pool: Pool, name: string): Promise<Volume | undefined> {
    const matches = (await this.volumes(pool)).filter((v) => v.name === name);
    if (matches.length > 1) {
      throw new TargetdError(TargetdCode.GENERIC, `The backend holds ${matches.length} volumes named ${nameForMessage(name)} in pool ${pool.id}: rename all but one on the backend`);
    }
    return matches[0];
  }

  /** The volume named `name` in `pool`; -103 if there is none. */
  async volume(pool: Pool, poolName: string, name: string): Promise<Volume> {
    const volume = await this.findVolume(pool, name);
    if (!volume) throw new TargetdError(TargetdCode.NOT_FOUND_VOLUME, `Volume ${nameForMessage(name)} not found in pool ${nameForMessage(poolName)}`);
    return volume;
  }

  async groups(): Promise<GroupIndex> {
    if (!this.supports(Capability.ACCESS_GROUPS)) return indexGroups([]);
    return indexGroups(await asTargetd('access_group', () => this.call((c, o) => c.accessGroups({}, o))));
  }

  /** Every volume masked to `group` (offered pools or not: all of them hold LUN numbers on the target). */
  maskedTo(group: AccessGroup): Promise<Volume[]> {
    return asTargetd('access_group', () => this.call((c, o) => c.volumesAccessibleByAccessGroup({ access_group: group }, o)));
  }
}
