/**
 * `list --type <TYPE>` with at most one filter, and the shortcuts (ls, lp, lv, ...) that expand to it.
 */
import type { Client } from '@openlsm/client';
import type { ListType } from '../args/commands-block.js';
import type { Context } from '../context.js';
import { ArgError } from '../errors.js';
import type { ObjectView } from '../output/columns.js';
import {
  accessGroupView, batteryView, diskView, exportView, fileSystemView, poolView, snapshotView, systemView,
  targetPortView, volumeView,
} from '../output/columns.js';
import { pluginView } from '../output/columns-extra.js';
import { diskPathsByVpd83 } from '../disk-paths.js';
import { resolveFs } from '../resolve.js';
import { type Handler, optStr } from './handler.js';

/** The filter options of `list`, with the lsm search key each one means. */
const FILTERS = [
  ['sys', 'system_id'], ['pool', 'pool_id'], ['vol', 'volume'], ['disk', 'disk'], ['ag', 'access_group'],
  ['fs', 'fs_id'], ['nfsExport', 'nfs_export'], ['tgt', 'target_port'],
] as const;
type FilterOption = (typeof FILTERS)[number][0];

type Search = { search_key?: string; search_value?: string };

/** For each type: the filters it accepts and the search key each becomes (`id` for the type's own id). */
const ACCEPTED: Partial<Record<ListType, Partial<Record<FilterOption, string>>>> = {
  VOLUMES: { vol: 'id', sys: 'system_id', pool: 'pool_id', ag: 'access_group' },
  POOLS: { pool: 'id', sys: 'system_id' },
  FS: { fs: 'id', sys: 'system_id', pool: 'pool_id' },
  SNAPSHOTS: { fs: 'fs' },
  EXPORTS: { nfsExport: 'id', fs: 'fs_id' },
  ACCESS_GROUPS: { ag: 'id', sys: 'system_id', vol: 'volume' },
  DISKS: { disk: 'id', sys: 'system_id' },
  TARGET_PORTS: { tgt: 'id', sys: 'system_id' },
  BATTERIES: { sys: 'system_id' },
};

function searchOf(key: string | undefined, value: string | undefined): Search {
  return key && value !== undefined ? { search_key: key, search_value: value } : {};
}

async function print<T>(ctx: Context, view: ObjectView<T>, items: T[]): Promise<void> {
  ctx.out.objects(view, items);
}

/**
 * Volumes and disks show the local block devices with the same VPD 0x83 (empty when none). The sysfs scan
 * is started before the plugin is asked, so the two overlap.
 */
async function withDiskPaths<T extends { vpd83: string }>(ctx: Context, listing: Promise<T[]>): Promise<T[]> {
  const paths = ctx.out.json ? undefined : diskPathsByVpd83();
  const items = await listing;
  if (paths && items.some((o) => o.vpd83)) ctx.out.diskPaths = await paths;
  return items;
}

async function listByType(ctx: Context, type: ListType, option: FilterOption | undefined, value: string | undefined): Promise<void> {
  const key = option ? ACCEPTED[type]?.[option] : undefined;
  if (type === 'PLUGINS') {
    const { listPlugins } = await import('@openlsm/client');
    const plugins = await listPlugins({ timeoutMs: ctx.globals.wait ?? 5_000 });
    ctx.out.objects(pluginView, plugins);
    return;
  }
  const c: Client = await ctx.client();
  switch (type) {
    case 'SYSTEMS': return print(ctx, systemView, await c.systems());
    case 'POOLS': return print(ctx, poolView, await c.pools(searchOf(key, value)));
    case 'VOLUMES': {
      const volumes = key === 'access_group'
        ? c.accessGroups({ search_key: 'id', search_value: value ?? '' }).then(async (groups) => {
          const group = groups.find((g) => g.id === value);
          return group ? c.volumesAccessibleByAccessGroup({ access_group: group }) : [];
        })
        : c.volumes(searchOf(key, value));
      return print(ctx, volumeView, await withDiskPaths(ctx, volumes));
    }
    case 'DISKS': return print(ctx, diskView, await withDiskPaths(ctx, c.disks(searchOf(key, value))));
    case 'ACCESS_GROUPS': {
      if (key === 'volume') {
        const [volume] = (await c.volumes({ search_key: 'id', search_value: value ?? '' })).filter((v) => v.id === value);
        return print(ctx, accessGroupView, volume ? await c.accessGroupsGrantedToVolume({ volume }) : []);
      }
      return print(ctx, accessGroupView, await c.accessGroups(searchOf(key, value)));
    }
    case 'FS': return print(ctx, fileSystemView, await c.fs(searchOf(key, value)));
    case 'SNAPSHOTS': {
      if (value === undefined) throw new ArgError('--fs <file system id> required');
      const fs = await resolveFs(ctx, value);
      return print(ctx, snapshotView, await c.fsSnapshots({ fs }));
    }
    case 'EXPORTS': return print(ctx, exportView, await c.exports(searchOf(key, value)));
    case 'TARGET_PORTS': return print(ctx, targetPortView, await c.targetPorts(searchOf(key, value)));
    case 'BATTERIES': return print(ctx, batteryView, await c.batteries(searchOf(key, value)));
    case 'NFS_CLIENT_AUTH': {
      const auth = await c.exportAuth();
      ctx.out.value(auth.join(ctx.globals.terse ?? ', '), auth);
      return;
    }
  }
}

const list: Handler = async (ctx, opts) => {
  const type = opts.type as ListType;
  const given = FILTERS.filter(([o]) => optStr(opts, o) !== undefined);
  if (given.length > 1) {
    throw new ArgError(`Search key specified more than once (${given.map(([, k]) => k).join(', ')})`);
  }
  const [option, lsmKey] = given[0] ?? [undefined, undefined];
  if (option !== undefined) {
    const accepted = ACCEPTED[type];
    if (!accepted) throw new ArgError(`${type} listing with search is not supported`);
    if (accepted[option] === undefined) throw new ArgError(`Search key '${lsmKey}' is not supported by ${type} listing`);
  }
  if (type === 'SNAPSHOTS' && option === undefined) throw new ArgError('--fs <file system id> required');
  await listByType(ctx, type, option, option ? optStr(opts, option) : undefined);
};

export const handlers: Record<string, Handler> = { list };
