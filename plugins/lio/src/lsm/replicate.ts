/**
 * volume_replicate (COPY): a new image in a directory pool, copied from the source volume's image as a reflink
 * where the file system shares extents (btrfs, XFS: instant, no space) and otherwise chunk by chunk with holes
 * kept, then served by a new fileio object. The copy runs as a job, outside the lock (a large image takes
 * minutes); the object is made under the lock afterwards, and a copy that cannot become a volume is deleted.
 * The source may be in use meanwhile: the copy is crash-consistent, as a copy of a running disk is.
 */
import type { ImageDirectory } from '@openlsm/backing-store';
import { describeForMessage, ErrorNumber, LsmError, type Pool, ReplicationType, type Volume } from '@openlsm/core';
import { createFileio } from '../configfs/backstores.js';
import { validateFileioPath, validateVolumeName } from '../configfs/names.js';
import type { LioSession, View } from '../session.js';
import { requirePool } from './pools.js';
import { adopt, describeVolume, findVolume } from './volumes.js';

export interface ReplicatePlan {
  source: ImageDirectory;
  sourceImage: string;
  target: ImageDirectory;
  targetPool: string;
  name: string;
}

export function planReplicate(view: View, pool: Pool | null, repType: number, volume: Volume, name: string): ReplicatePlan {
  if (repType !== ReplicationType.COPY) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `LIO volumes can be replicated as full copies only (rep_type ${ReplicationType.COPY}, COPY)`);
  }
  validateVolumeName(name);
  if (view.scan().objects.some((o) => o.name === name)) throw new LsmError(ErrorNumber.NAME_CONFLICT, `Name ${describeForMessage(name)} is already used by another volume`);
  const { so, serial } = findVolume(view, volume);
  const record = view.state.volumes[serial];
  const sourcePool = record ? view.pools.get(record.pool) : undefined;
  if (so.plugin !== 'fileio' || !record?.image || sourcePool?.kind !== 'directory' || !sourcePool.images) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `Volume ${so.name} cannot be replicated: only image files of directory pools can be copied`);
  }
  const targetPool = pool ? requirePool(view.pools, pool.id) : sourcePool;
  if (targetPool.kind !== 'directory' || !targetPool.images) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `Pool ${targetPool.name} cannot receive a copy: copies go into directory pools`);
  }
  validateFileioPath(targetPool.images.imagePath(`${name}.img`));
  return { source: sourcePool.images, sourceImage: record.image, target: targetPool.images, targetPool: targetPool.name, name };
}

export async function runReplicate(session: LioSession, plan: ReplicatePlan, progress: (pct: number) => void, signal: AbortSignal): Promise<Volume> {
  const image = `${plan.name}.img`;
  const { image: copied } = await plan.source.copy(plan.sourceImage, image, { into: plan.target, onProgress: progress, signal });
  try {
    return await session.change(async (change) => {
      if (change.scan().objects.some((o) => o.name === plan.name)) {
        throw new LsmError(ErrorNumber.NAME_CONFLICT, `Name ${describeForMessage(plan.name)} was taken while the copy ran`);
      }
      const serial = globalThis.crypto.randomUUID();
      const so = createFileio(change.tree, { name: plan.name, file: copied.path, sizeBytes: copied.sizeBytes, wwn: serial }, change.scan().hbas);
      adopt(change, so, serial, { pool: plan.targetPool, image });
      return describeVolume(change, so);
    }, { signal });
  } catch (err) {
    await plan.target.remove(image).catch(() => undefined);
    throw err;
  }
}
