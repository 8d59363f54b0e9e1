/**
 * Making the objects checks work on, the way lsm's own plugin test does: a pool that can hold the object with
 * the most free space, a fresh name, and an undo registered before anything else can fail. Every job a plugin
 * starts is waited for, freed, and then required to be gone (job_status of a freed job is NOT_FOUND_JOB).
 */
import {
  type AccessGroup, type Client, ErrorNumber, type FileSystem, FsCreate, InitiatorType, JobStatusGet,
  type Pool, PoolElementType, VolumeCreate, type Volume,
} from '@openlsm/client';
import { CheckSkipped, type CheckContext, ensure, expectError, formatBytes, OBJECT_SIZE } from './check.js';

/** The system's pool that can hold `elementType` objects, has room for two of them, and the most free space. */
export function pickPool(ctx: CheckContext, elementType: number, unsupported = 0): Pool {
  let best: Pool | undefined;
  for (const p of ctx.pools) {
    if ((p.element_type & elementType) === 0 || (p.unsupported_actions & unsupported) !== 0) continue;
    if (p.free_space < 2n * OBJECT_SIZE) continue;
    if (!best || p.free_space > best.free_space) best = p;
  }
  if (!best) {
    const what = elementType === PoolElementType.FS ? 'file systems' : 'volumes';
    throw new CheckSkipped(`no pool of system ${ctx.system.id} can hold ${what} and has ${formatBytes(2n * OBJECT_SIZE)} free`);
  }
  return best;
}

/** Resolves a job method's `[jobId, item]`: waits for the job, frees it, and checks that it is gone. */
export async function finishPair<T>(client: Client, answer: readonly [string | null, T | null], what: string): Promise<T> {
  const [jobId, item] = answer;
  if (jobId === null) {
    ensure(item !== null, `${what} answered [nil, nil]: exactly one of the pair must be set`);
    return item;
  }
  ensure(item === null, `${what} answered both a job and an object`);
  const result = (await client.waitJob(jobId)) as T | null;
  ensure(result !== null, `${what}: job ${jobId} completed without the new object`);
  await expectError(client.call(JobStatusGet, { job_id: jobId }), ErrorNumber.NOT_FOUND_JOB, `job_status of job ${jobId} after job_free`);
  return result;
}

/** Resolves an `id` job method's answer (`jobId` or nil) the same way. */
export async function finishId(client: Client, jobId: string | null): Promise<void> {
  if (jobId === null) return;
  await client.waitJob(jobId);
  await expectError(client.call(JobStatusGet, { job_id: jobId }), ErrorNumber.NOT_FOUND_JOB, `job_status of job ${jobId} after job_free`);
}

/** A new volume of OBJECT_SIZE, deleted after the check. */
export async function createVolume(ctx: CheckContext, unsupported = 0): Promise<{ volume: Volume; pool: Pool }> {
  const pool = pickPool(ctx, PoolElementType.VOLUME, unsupported);
  const name = ctx.name('v');
  const volume = await finishPair(ctx.client, await ctx.client.call(VolumeCreate, { pool, volume_name: name, size_bytes: OBJECT_SIZE }), `volume_create of ${name}`);
  keepVolume(ctx, volume);
  return { volume, pool };
}

/** Registers the deletion of a volume the check made. */
export function keepVolume(ctx: CheckContext, volume: Volume): void {
  ctx.cleanup.add(`volume ${volume.name} (${volume.id})`, () => ctx.client.volumeDelete({ volume }));
}

/** Registers the deletion of a file system the check made. */
export function keepFs(ctx: CheckContext, fs: FileSystem): void {
  ctx.cleanup.add(`file system ${fs.name} (${fs.id})`, () => ctx.client.fsDelete({ fs }));
}

/**
 * For a creation that should fail: when the plugin makes the object anyway, `keep` registers its removal like
 * that of any other object the check made (and the check then fails on the missing error).
 */
export async function keepIfMade<T>(ctx: CheckContext, answer: readonly [string | null, T | null], keep: (made: T) => void): Promise<void> {
  const made = await finishPair(ctx.client, answer, 'the creation').catch(() => null);
  if (made !== null) keep(made);
}

export function volumeBytes(v: Volume): bigint {
  return v.block_size * v.num_of_blocks;
}

/** The volume as volumes() lists it now, or undefined. */
export async function listedVolume(ctx: CheckContext, id: string): Promise<Volume | undefined> {
  return (await ctx.client.volumes({ search_key: 'id', search_value: id }))[0];
}

export async function listedAccessGroup(ctx: CheckContext, id: string): Promise<AccessGroup | undefined> {
  return (await ctx.client.accessGroups({ search_key: 'id', search_value: id }))[0];
}

/** A random initiator of the type: an iSCSI IQN or a WWPN (`50:01:...`). */
export function newInitiator(type: number): string {
  const hex = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0'));
  if (type === InitiatorType.WWPN) return ['50', ...hex.slice(1)].join(':');
  return `iqn.2026-01.org.openlsm:conformance.${hex.join('')}`;
}

/** A new access group with one initiator of `type`, deleted after the check. */
export async function createAccessGroup(ctx: CheckContext, type: number = InitiatorType.ISCSI_IQN): Promise<AccessGroup> {
  const name = ctx.name('ag');
  const initiator = newInitiator(type);
  const group = await ctx.client.accessGroupCreate({ name, init_id: initiator, init_type: type, system: ctx.system });
  ctx.cleanup.add(`access group ${group.name} (${group.id})`, () => ctx.client.accessGroupDelete({ access_group: group }));
  ensure(group.system_id === ctx.system.id, `access group ${group.id} was created on system ${group.system_id}, not ${ctx.system.id}`);
  ensure(group.init_ids.includes(initiator), `access group ${group.id} was created without its initiator ${initiator}`);
  return group;
}

/** A new file system of OBJECT_SIZE, deleted after the check. */
export async function createFs(ctx: CheckContext): Promise<{ fs: FileSystem; pool: Pool }> {
  const pool = pickPool(ctx, PoolElementType.FS);
  const name = ctx.name('fs');
  const fs = await finishPair(ctx.client, await ctx.client.call(FsCreate, { pool, name, size_bytes: OBJECT_SIZE }), `fs_create of ${name}`);
  keepFs(ctx, fs);
  return { fs, pool };
}
