/**
 * Volume details and settings: RAID information, identification LEDs and the cache policies.
 */
import { PhysicalDiskCache, ReadCachePolicy, type Volume, WriteCachePolicy } from '@openlsm/core';
import type { Context } from '../context.js';
import { cacheInfoView, raidInfoView } from '../output/columns-extra.js';
import { resolveVolume } from '../resolve.js';
import { type Handler, str } from './handler.js';

const raidInfo: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  const [raidType, stripSize, diskCount, minIo, optIo] = await (await ctx.client()).volumeRaidInfo({ volume });
  ctx.out.objects(raidInfoView, [{
    volume_id: volume.id, raid_type: raidType, strip_size: stripSize, disk_count: diskCount, min_io_size: minIo, opt_io_size: optIo,
  }]);
};

const identLed = (on: boolean): Handler => async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  const client = await ctx.client();
  if (on) await client.volumeIdentLedOn({ volume });
  else await client.volumeIdentLedOff({ volume });
};

async function printCacheInfo(ctx: Context, volume: Volume): Promise<void> {
  const [wcp, wcs, rcp, rcs, pdc] = await (await ctx.client()).volumeCacheInfo({ volume });
  ctx.out.objects(cacheInfoView, [{
    volume_id: volume.id, write_cache_policy: wcp, write_cache_status: wcs, read_cache_policy: rcp, read_cache_status: rcs,
    physical_disk_cache: pdc,
  }]);
}

const cacheInfo: Handler = async (ctx, opts) => {
  await printCacheInfo(ctx, await resolveVolume(ctx, str(opts, 'vol')));
};

const physicalDiskCache: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  const pdc = str(opts, 'policy') === 'ENABLE' ? PhysicalDiskCache.ENABLED : PhysicalDiskCache.DISABLED;
  await (await ctx.client()).volumePhysicalDiskCacheUpdate({ volume, pdc });
  await printCacheInfo(ctx, volume);
};

const readCache: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  const rcp = str(opts, 'policy') === 'ENABLE' ? ReadCachePolicy.ENABLED : ReadCachePolicy.DISABLED;
  await (await ctx.client()).volumeReadCachePolicyUpdate({ volume, rcp });
  await printCacheInfo(ctx, volume);
};

const WRITE_POLICIES = { WB: WriteCachePolicy.WRITE_BACK, AUTO: WriteCachePolicy.AUTO, WT: WriteCachePolicy.WRITE_THROUGH } as const;

const writeCache: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  const wcp = WRITE_POLICIES[str(opts, 'policy') as keyof typeof WRITE_POLICIES];
  await (await ctx.client()).volumeWriteCachePolicyUpdate({ volume, wcp });
  await printCacheInfo(ctx, volume);
};

export const handlers: Record<string, Handler> = {
  'volume-raid-info': raidInfo,
  'volume-ident-led-on': identLed(true),
  'volume-ident-led-off': identLed(false),
  'volume-cache-info': cacheInfo,
  'volume-phy-disk-cache-update': physicalDiskCache,
  'volume-read-cache-policy-update': readCache,
  'volume-write-cache-policy-update': writeCache,
};
