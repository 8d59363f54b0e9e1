/**
 * Volume life cycle: create (plain and RAID), delete, resize, replicate, replicate ranges, dependants,
 * enable and disable.
 */
import {
  type BlockRange, ErrorNumber, LsmError, Provisioning, RaidType, ReplicationType, sizeBytes, type Volume,
  VolumeChildDependencyRm, VolumeCreate, VolumeDelete, VolumeReplicate, VolumeReplicateRange, VolumeResize,
} from '@openlsm/core';
import type { Context } from '../context.js';
import { ArgError } from '../errors.js';
import { runMaybeJob } from '../jobs.js';
import { volumeView } from '../output/columns.js';
import { raidCreateCapView } from '../output/columns-extra.js';
import { confirm } from '../prompt.js';
import { resolveDisk, resolvePool, resolveSystem, resolveVolume } from '../resolve.js';
import { type Handler, optStr, str, strList } from './handler.js';

/** Asks before a destructive operation unless -f; false when the user declined. */
export async function confirmed(ctx: Context, kind: 'will' | 'may'): Promise<boolean> {
  return ctx.force || confirm(kind);
}

function printVolume(ctx: Context, volume: unknown): void {
  if (volume) ctx.out.objects(volumeView, [volume as Volume]);
}

const create: Handler = async (ctx, opts) => {
  const pool = await resolvePool(ctx, str(opts, 'pool'));
  const provisioning = Provisioning[(optStr(opts, 'provisioning') ?? 'DEFAULT') as keyof typeof Provisioning];
  const volume = await runMaybeJob(ctx, VolumeCreate, { pool, volume_name: str(opts, 'name'), size_bytes: opts.size as bigint, provisioning });
  printVolume(ctx, volume);
};

const raidCreate: Handler = async (ctx, opts) => {
  const ids = strList(opts, 'disk');
  const disks = await Promise.all(ids.map((id) => resolveDisk(ctx, id)));
  const stripSize = opts.stripSize as bigint | undefined;
  if (stripSize !== undefined && stripSize > 2n ** 31n) throw new ArgError('--strip-size is too large');
  const volume = await (await ctx.client()).volumeRaidCreate({
    name: str(opts, 'name'),
    raid_type: RaidType[str(opts, 'raidType') as keyof typeof RaidType],
    disks,
    strip_size: stripSize === undefined ? 0 : Number(stripSize),
  });
  printVolume(ctx, volume);
};

const raidCreateCap: Handler = async (ctx, opts) => {
  const system = await resolveSystem(ctx, str(opts, 'sys'));
  const [raidTypes, stripSizes] = await (await ctx.client()).volumeRaidCreateCapGet({ system });
  ctx.out.objects(raidCreateCapView, [{ system_id: system.id, raid_types: raidTypes, strip_sizes: stripSizes }]);
};

const remove: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  if (!(await confirmed(ctx, 'will'))) return;
  await runMaybeJob(ctx, VolumeDelete, { volume });
};

const resize: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  const size = opts.size as bigint;
  if (size === sizeBytes(volume)) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Specified size same as current');
  if (!(await confirmed(ctx, 'may'))) return;
  printVolume(ctx, await runMaybeJob(ctx, VolumeResize, { volume, new_size_bytes: size }));
};

const replicate: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  const poolId = optStr(opts, 'pool');
  const pool = poolId === undefined ? null : await resolvePool(ctx, poolId);
  const repType = ReplicationType[str(opts, 'repType') as keyof typeof ReplicationType];
  printVolume(ctx, await runMaybeJob(ctx, VolumeReplicate, { pool, rep_type: repType, volume_src: volume, name: str(opts, 'name') }));
};

/** Pairs --src-start, --dst-start and --count into block ranges; lsmcli requires equal counts. */
export function blockRanges(src: readonly bigint[], dst: readonly bigint[], count: readonly bigint[], sameVolume: boolean): BlockRange[] {
  if (src.length !== dst.length || src.length !== count.length) {
    throw new ArgError('Differing numbers of --src-start, --dst-start, and --count arguments');
  }
  const ranges = src.map((s, i) => ({ src_block: s, dest_block: dst[i] as bigint, block_count: count[i] as bigint }));
  for (const r of ranges) if (r.block_count === 0n) throw new ArgError('--count must be greater than 0');
  if (sameVolume) {
    // Copying within one volume: a destination range must not overlap any source range.
    for (const a of ranges) {
      for (const b of ranges) {
        if (a.src_block < b.dest_block + b.block_count && b.dest_block < a.src_block + a.block_count) {
          throw new ArgError('Overlapping source and destination ranges on the same volume');
        }
      }
    }
  }
  return ranges;
}

const replicateRange: Handler = async (ctx, opts) => {
  const srcId = str(opts, 'srcVol');
  const dstId = str(opts, 'dstVol');
  const ranges = blockRanges(opts.srcStart as bigint[], opts.dstStart as bigint[], opts.count as bigint[], srcId === dstId);
  const [src, dst] = await Promise.all([resolveVolume(ctx, srcId), resolveVolume(ctx, dstId)]);
  if (!(await confirmed(ctx, 'will'))) return;
  const repType = ReplicationType[str(opts, 'repType') as keyof typeof ReplicationType];
  await runMaybeJob(ctx, VolumeReplicateRange, { rep_type: repType, volume_src: src, volume_dest: dst, ranges });
};

const rangeBlockSize: Handler = async (ctx, opts) => {
  const system = await resolveSystem(ctx, str(opts, 'sys'));
  const size = await (await ctx.client()).volumeReplicateRangeBlockSize({ system });
  ctx.out.value(size.toString(), size);
};

const dependants: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  const has = await (await ctx.client()).volumeChildDependency({ volume });
  ctx.out.value(has ? 'True' : 'False', has);
};

const dependantsRm: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  await runMaybeJob(ctx, VolumeChildDependencyRm, { volume });
};

const enable: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  await (await ctx.client()).volumeEnable({ volume });
};

const disable: Handler = async (ctx, opts) => {
  const volume = await resolveVolume(ctx, str(opts, 'vol'));
  await (await ctx.client()).volumeDisable({ volume });
};

export const handlers: Record<string, Handler> = {
  'volume-create': create,
  'volume-raid-create': raidCreate,
  'volume-raid-create-cap': raidCreateCap,
  'volume-delete': remove,
  'volume-resize': resize,
  'volume-replicate': replicate,
  'volume-replicate-range': replicateRange,
  'volume-replicate-range-block-size': rangeBlockSize,
  'volume-dependants': dependants,
  'volume-dependants-rm': dependantsRm,
  'volume-enable': enable,
  'volume-disable': disable,
};
