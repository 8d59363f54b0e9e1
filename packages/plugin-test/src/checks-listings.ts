/**
 * What a plugin lists: systems, pools and, for each listing capability it claims, the objects and their search.
 * Nothing is created. The client has already checked every answer's shape against the RPC table (a malformed
 * one is PLUGIN_BUG); these checks are about meaning: ids unique, references that resolve, search that filters.
 */
import { capabilityName, type CapabilityName, CAPABILITY_COUNT, isValidVpd83 } from '@openlsm/client';
import { type Check, type CheckContext, ensure } from './check.js';

interface Listed {
  id: string;
  system_id?: string;
  pool_id?: string;
}

function uniqueIds(kind: string, objects: readonly Listed[]): void {
  const seen = new Set<string>();
  for (const o of objects) {
    ensure(o.id.length > 0, `a ${kind} has an empty id`);
    ensure(!seen.has(o.id), `two ${kind}s have the id ${JSON.stringify(o.id)}`);
    seen.add(o.id);
  }
}

function referencesResolve(ctx: CheckContext, kind: string, objects: readonly Listed[]): void {
  const systems = new Set(ctx.systems.map((s) => s.id));
  for (const o of objects) {
    if (o.system_id !== undefined) {
      ensure(systems.has(o.system_id), `${kind} ${o.id} names system ${JSON.stringify(o.system_id)}, which systems() does not list`);
    }
  }
}

type Search = (key: string, value: string) => Promise<Listed[]>;

/** Searching by each key returns exactly the listed objects with that value; an unknown id returns none. */
async function searchMatches(kind: string, plural: string, all: readonly Listed[], keys: readonly ('id' | 'system_id' | 'pool_id' | 'fs_id')[], search: Search): Promise<void> {
  for (const key of keys) {
    const values = [...new Set(all.map((o) => (o as unknown as Record<string, string>)[key]).filter((v) => v !== undefined))].slice(0, 3);
    for (const value of values) {
      const want = all.filter((o) => (o as unknown as Record<string, string>)[key] === value).map((o) => o.id).sort();
      const got = (await search(key, value)).map((o) => o.id).sort();
      ensure(JSON.stringify(got) === JSON.stringify(want),
        `${plural} with ${key} = ${JSON.stringify(value)}: got [${got.join(', ')}], the full listing has [${want.join(', ')}]`);
    }
  }
  const none = await search('id', 'olsmct_no_such_id');
  ensure(none.length === 0, `searching ${plural} by an unknown id returned ${none.length} objects`);
}

/** A listing check: the list, its ids, its references, and its search keys. */
function listing(
  id: string, capability: CapabilityName | null, kind: string, plural: string, keys: readonly ('id' | 'system_id' | 'pool_id' | 'fs_id')[],
  list: (ctx: CheckContext, key?: string, value?: string) => Promise<Listed[]>,
  extra?: (ctx: CheckContext, objects: Listed[]) => void,
): Check {
  return {
    id,
    title: `${id} lists ${plural} with unique ids and references that resolve; search by ${keys.join(', ')} filters`,
    needs: capability === null ? [] : [capability],
    async run(ctx) {
      const all = await list(ctx);
      uniqueIds(kind, all);
      referencesResolve(ctx, kind, all);
      extra?.(ctx, all);
      await searchMatches(kind, plural, all, keys, (key, value) => list(ctx, key, value));
    },
  };
}

const search = (key?: string, value?: string) => (key === undefined ? {} : { search_key: key, search_value: value ?? null });

export const listingChecks: Check[] = [
  {
    id: 'systems',
    title: 'systems lists at least one system, ids unique; capabilities claims only what lsm defines',
    needs: [],
    async run(ctx) {
      ensure(ctx.systems.length > 0, 'systems() is empty: a plugin serves at least one system');
      uniqueIds('system', ctx.systems);
      const unknown: number[] = [];
      for (let n = 0; n < CAPABILITY_COUNT; n++) if (ctx.caps.cap[n] === 1 && capabilityName(n) === undefined) unknown.push(n);
      ensure(unknown.length === 0, `capabilities claims numbers lsm does not define: ${unknown.join(', ')}`);
    },
  },
  listing('pools', null, 'pool', 'pools', ['id', 'system_id'],
    (ctx, key, value) => ctx.client.pools(search(key, value)),
    (ctx, pools) => {
      ensure(pools.length > 0, 'pools() is empty: a plugin serves at least one pool');
      for (const p of ctx.pools) ensure(p.free_space <= p.total_space && p.free_space >= 0n, `pool ${p.id} has ${p.free_space} bytes free of ${p.total_space}`);
    }),
  listing('volumes', 'VOLUMES', 'volume', 'volumes', ['id', 'system_id', 'pool_id'],
    (ctx, key, value) => ctx.client.volumes(search(key, value)),
    (ctx, volumes) => {
      const pools = new Set(ctx.pools.map((p) => p.id));
      for (const v of volumes as Awaited<ReturnType<CheckContext['client']['volumes']>>) {
        if (v.system_id !== ctx.system.id) continue;
        ensure(pools.has(v.pool_id), `volume ${v.id} names pool ${JSON.stringify(v.pool_id)}, which pools() does not list`);
        ensure(v.block_size > 0n, `volume ${v.id} has block size ${v.block_size}`);
        ensure(isValidVpd83(v.vpd83), `volume ${v.id} has vpd83 ${JSON.stringify(v.vpd83)}, not a SCSI NAA id`);
      }
    }),
  listing('disks', 'DISKS', 'disk', 'disks', ['id', 'system_id'], (ctx, key, value) => ctx.client.disks(search(key, value))),
  listing('target_ports', 'TARGET_PORTS', 'target port', 'target ports', ['id', 'system_id'], (ctx, key, value) => ctx.client.targetPorts(search(key, value))),
  listing('batteries', 'BATTERIES', 'battery', 'batteries', ['id', 'system_id'], (ctx, key, value) => ctx.client.batteries(search(key, value))),
  listing('access_groups', 'ACCESS_GROUPS', 'access group', 'access groups', ['id', 'system_id'], (ctx, key, value) => ctx.client.accessGroups(search(key, value))),
  listing('fs', 'FS', 'file system', 'file systems', ['id', 'system_id', 'pool_id'], (ctx, key, value) => ctx.client.fs(search(key, value))),
  listing('exports', 'EXPORTS', 'NFS export', 'NFS exports', ['id', 'fs_id'], (ctx, key, value) => ctx.client.exports(search(key, value))),
  {
    id: 'pool_member_info',
    title: 'pool_member_info answers for every pool of the system',
    needs: ['POOL_MEMBER_INFO'],
    async run(ctx) {
      for (const pool of ctx.pools) await ctx.client.poolMemberInfo({ pool });
    },
  },
  {
    id: 'export_auth',
    title: 'export_auth lists the NFS authentication types',
    needs: ['EXPORT_AUTH'],
    async run(ctx) {
      const types = await ctx.client.exportAuth();
      ensure(types.length > 0, 'export_auth answered an empty list');
    },
  },
  {
    id: 'system.fw_version',
    title: 'a system claiming SYS_FW_VERSION_GET reports a firmware version',
    needs: ['SYS_FW_VERSION_GET'],
    async run(ctx) {
      ensure(ctx.system.fw_version.length > 0, `system ${ctx.system.id} has an empty fw_version`);
    },
  },
  {
    id: 'system.read_cache_pct',
    title: 'a system claiming SYS_READ_CACHE_PCT_GET reports a percentage (0..100)',
    needs: ['SYS_READ_CACHE_PCT_GET'],
    async run(ctx) {
      const pct = ctx.system.read_cache_pct;
      ensure(pct >= 0 && pct <= 100, `system ${ctx.system.id} has read_cache_pct ${pct}`);
    },
  },
];
