/**
 * Volumes: create (`vol_create`), delete (`vol_destroy`), grow (`vol_resize`), copy (`vol_copy`, as a job).
 * Sizes are rounded up to 512 bytes as lsm's plugin does (LVM then rounds to its extents); the answer is the
 * volume as targetd lists it afterwards.
 */
import {
  describeForMessage, ErrorNumber, LsmError, type Pool, Provisioning, ReplicationType, type Volume,
} from '@openlsm/core';
import { type CopyJobs } from './copy-jobs.js';
import { allMasks, findVolume, volumesOfPool } from './inventory.js';
import { BLOCK_SIZE } from './model.js';
import { checkName } from './names.js';
import { TargetdCallError, TargetdCode } from './rpc-errors.js';
import type { CallOptions } from './rpc.js';
import type { Session } from './session.js';

function roundToBlocks(size: bigint): bigint {
  if (size <= 0n) return BLOCK_SIZE;
  return ((size + BLOCK_SIZE - 1n) / BLOCK_SIZE) * BLOCK_SIZE;
}

/** The volume named `name` in `pool` right after targetd made it. */
async function created(s: Session, pool: string, name: string, c: CallOptions): Promise<Volume> {
  const volume = (await volumesOfPool(s.api, pool, c)).find((v) => v.name === name);
  if (!volume) throw new LsmError(ErrorNumber.PLUGIN_BUG, `targetd accepted volume ${describeForMessage(name)} but does not list it in pool ${describeForMessage(pool)}`);
  return volume;
}

function requireBlockPool(pool: Pool): void {
  if (pool.id.startsWith('/')) throw new LsmError(ErrorNumber.NO_SUPPORT, `Pool ${describeForMessage(pool.id)} holds file systems, not volumes`);
}

export async function createVolume(s: Session, pool: Pool, name: string, size: bigint, provisioning: number, c: CallOptions): Promise<[null, Volume]> {
  checkName('volume', name);
  if (provisioning !== Provisioning.DEFAULT) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'targetd cannot choose thin or full provisioning: a thin pool makes thin volumes; use the default provisioning');
  }
  requireBlockPool(pool);
  await s.api.volCreate(pool.id, name, roundToBlocks(size), c);
  return [null, await created(s, pool.id, name, c)];
}

export async function deleteVolume(s: Session, volume: Volume, c: CallOptions): Promise<void> {
  const current = await findVolume(s.api, volume, c);
  try {
    await s.api.volDestroy(current.pool_id, current.name, c);
  } catch (err) {
    // -303 is both "exported" and "a storage command failed": the masks tell which.
    if (!(err instanceof TargetdCallError) || err.targetdCode !== TargetdCode.VOLUME_MASKED) throw err;
    const groups = (await allMasks(s, c)).filter((m) => m.pool === current.pool_id && m.volume === current.name).map((m) => m.groupId);
    if (groups.length > 0) throw new LsmError(ErrorNumber.IS_MASKED, `Volume ${describeForMessage(current.id)} is masked to access group(s) ${groups.join(', ')}: unmask it first`);
    throw err;
  }
}

export async function resizeVolume(s: Session, volume: Volume, newSize: bigint, c: CallOptions): Promise<[null, Volume]> {
  const current = await findVolume(s.api, volume, c);
  const size = roundToBlocks(newSize);
  const now = current.num_of_blocks * BLOCK_SIZE;
  if (size === now) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'The volume already has this size');
  if (size < now) throw new LsmError(ErrorNumber.NO_SUPPORT, 'targetd can only grow volumes, not shrink them');
  if (!(await s.canResize(c))) throw new LsmError(ErrorNumber.NO_SUPPORT, 'This targetd has no vol_resize (it needs targetd 0.10 or later)');
  await s.api.volResize(current.pool_id, current.name, size, c);
  return [null, await created(s, current.pool_id, current.name, c)];
}

/**
 * Starts a copy of `source` named `name` in the source's pool (targetd copies within a pool only) and returns
 * the job id; the job's item is the new volume.
 */
export async function replicateVolume(s: Session, jobs: CopyJobs, pool: Pool | null, repType: number, source: Volume, name: string, c: CallOptions): Promise<[string, null]> {
  if (repType !== ReplicationType.COPY) throw new LsmError(ErrorNumber.NO_SUPPORT, 'targetd makes full copies only (replication type COPY)');
  checkName('volume', name);
  const current = await findVolume(s.api, source, c);
  if (pool !== null && pool.id !== current.pool_id) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `targetd copies a volume only within its own pool (${describeForMessage(current.pool_id)})`);
  }
  if ((await volumesOfPool(s.api, current.pool_id, c)).some((v) => v.name === name)) {
    throw new LsmError(ErrorNumber.NAME_CONFLICT, `A volume named ${describeForMessage(name)} already exists in pool ${describeForMessage(current.pool_id)}`);
  }
  const target = { pool: current.pool_id, name };
  // The copy outlives this call: it gets its own deadline, not the call's signal.
  const jobCall: CallOptions = { signal: new AbortController().signal, timeoutMs: c.timeoutMs };
  const id = jobs.start(target, async () => {
    await s.api.volCopy(target.pool, current.name, name, jobCall);
    return created(s, target.pool, name, jobCall);
  });
  return [id, null];
}
