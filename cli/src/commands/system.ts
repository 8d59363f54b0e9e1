/**
 * Systems, pools, plugins and jobs: capabilities, plugin-info, system-read-cache-pct-update, pool-member-info,
 * job-status.
 */
import { capabilityEntries, type FileSystem, type FsSnapshot, JobStatus, jobItemClass, type Volume } from '@openlsm/core';
import { ArgError, ExitCode, ExitWith } from '../errors.js';
import { fileSystemView, snapshotView, systemView, volumeView } from '../output/columns.js';
import { poolMembersView } from '../output/columns-extra.js';
import { resolvePool, resolveSystem } from '../resolve.js';
import { type Handler, str } from './handler.js';

const capabilities: Handler = async (ctx, opts) => {
  const system = await resolveSystem(ctx, str(opts, 'sys'));
  const caps = await (await ctx.client()).capabilities({ system });
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const entries = capabilityEntries(caps);
  const ordered = [...entries.filter((e) => e.supported).sort(byName), ...entries.filter((e) => !e.supported).sort(byName)];
  if (ctx.out.json) {
    ctx.out.value('', Object.fromEntries(ordered.map((e) => [e.name, e.supported])));
    return;
  }
  ctx.out.pairs(ordered.map((e) => [e.name, e.supported ? 'SUPPORTED' : 'UNSUPPORTED'] as const));
};

const pluginInfo: Handler = async (ctx) => {
  const [description, version] = await (await ctx.client()).pluginInfo();
  const sep = ctx.globals.terse;
  ctx.out.value(sep !== undefined ? `${description}${sep}${version}` : `Description: ${description} Version: ${version}`, { description, version });
};

const readCachePct: Handler = async (ctx, opts) => {
  const id = str(opts, 'sys');
  const system = await resolveSystem(ctx, id);
  const readPct = opts.readPct as number;
  if (readPct < 0 || readPct > 100) throw new ArgError('--read-pct must be between 0 and 100');
  const client = await ctx.client();
  await client.systemReadCachePctUpdate({ system, read_pct: readPct });
  ctx.out.objects(systemView, (await client.systems()).filter((s) => s.id === id));
};

const poolMemberInfo: Handler = async (ctx, opts) => {
  const pool = await resolvePool(ctx, str(opts, 'pool'));
  const [raidType, memberType, memberIds] = await (await ctx.client()).poolMemberInfo({ pool });
  ctx.out.objects(poolMembersView, [{ pool_id: pool.id, raid_type: raidType, member_type: memberType, member_ids: memberIds }]);
};

/** Prints what a finished job made: a volume, a file system or a snapshot. */
export function printJobItem(ctx: Parameters<Handler>[0], item: Volume | FileSystem | FsSnapshot): void {
  switch (jobItemClass(item)) {
    case 'Volume': return ctx.out.objects(volumeView, [item as Volume]);
    case 'FileSystem': return ctx.out.objects(fileSystemView, [item as FileSystem]);
    case 'FsSnapshot': return ctx.out.objects(snapshotView, [item as FsSnapshot]);
  }
}

const jsonItem = (item: Volume | FileSystem | FsSnapshot | null): unknown => {
  if (item === null) return null;
  switch (jobItemClass(item)) {
    case 'Volume': return volumeView.json(item as Volume);
    default: return item;
  }
};

const jobStatus: Handler = async (ctx, opts) => {
  const jobId = str(opts, 'job');
  const client = await ctx.client();
  const [status, percent, item] = await client.jobStatus({ job_id: jobId });
  if (status === JobStatus.COMPLETE) {
    await client.jobFree({ job_id: jobId });
    if (ctx.out.json) ctx.out.value('', { job_id: jobId, status: 'COMPLETE', percent, item: jsonItem(item) });
    else if (item) printJobItem(ctx, item);
    return;
  }
  if (status === JobStatus.INPROGRESS) {
    ctx.out.value(String(percent), { job_id: jobId, status: 'INPROGRESS', percent, item: null });
    throw new ExitWith(ExitCode.JOB_STARTED);
  }
  throw new ArgError(`job-status job error code= ${status}`);
};

export const handlers: Record<string, Handler> = {
  capabilities,
  'plugin-info': pluginInfo,
  'system-read-cache-pct-update': readCachePct,
  'pool-member-info': poolMemberInfo,
  'job-status': jobStatus,
};
