/**
 * Volumes: sparse image files in directory pools (created, resized, copied, deleted here) and configured block
 * devices (exported only). Names are unique across all pools, as lsm expects of a system. tgtd reads an LU's
 * size when the LU is added, so a masked volume is not resized (an initiator would keep the old size).
 */
import { type ImageDirectory, validateImageName } from '@openlsm/backing-store';
import {
  describeForMessage, ErrorNumber, LsmError, type Pool, Provisioning, ReplicationType, type Volume,
} from '@openlsm/core';
import type { JobRegistry } from '@openlsm/plugin';
import { BLOCK_SIZE, type Inventory, volumeObject, type VolumeEntry } from './inventory.js';
import { newScsiId, volumeId } from './naming.js';
import type { ChangeOptions, TgtStore } from './store.js';

function roundUp(sizeBytes: bigint): bigint {
  if (sizeBytes <= 0n) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid size ${sizeBytes}: must be more than 0 bytes`);
  return ((sizeBytes + BLOCK_SIZE - 1n) / BLOCK_SIZE) * BLOCK_SIZE;
}

async function checkNameFree(inventory: Inventory, name: string): Promise<void> {
  if (await inventory.nameTaken(name)) {
    throw new LsmError(ErrorNumber.NAME_CONFLICT, `Name '${name}' is already in use by other volume`);
  }
}

/** A volume tgtd serves through a target this plugin does not manage is in use all the same. */
async function checkNotExported(store: TgtStore, entry: VolumeEntry, options: ChangeOptions): Promise<void> {
  for (const t of await store.admin.targets(options)) {
    if (t.luns.some((l) => l.path === entry.path)) {
      throw new LsmError(ErrorNumber.IS_MASKED, `Volume ${entry.id} is exported by tgtd target ${describeForMessage(t.name)}`);
    }
  }
}

export async function createVolume(store: TgtStore, inventory: Inventory, pool: Pool, name: string, sizeBytes: bigint, provisioning: number, options: ChangeOptions): Promise<Volume> {
  if (provisioning === Provisioning.FULL) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, 'tgt pools hold sparse image files: only thin provisioning is available');
  }
  if (provisioning !== Provisioning.THIN && provisioning !== Provisioning.DEFAULT) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid provisioning ${provisioning}: use ${Provisioning.THIN} (thin) or ${Provisioning.DEFAULT} (default)`);
  }
  const dir = await inventory.directory(pool.id);
  const size = roundUp(sizeBytes);
  return store.change(async (tx) => {
    await checkNameFree(inventory, name);
    const image = await dir.create(name, size);
    tx.onFailure(() => dir.remove(name));
    const id = volumeId(pool.id, image.name);
    tx.state.volumes[id] = { scsiId: newScsiId() };
    return volumeObject({ id, pool: pool.id, name: image.name, path: image.path, sizeBytes: image.sizeBytes, kind: 'image' }, tx.state);
  }, options);
}

export async function deleteVolume(store: TgtStore, inventory: Inventory, volume: Volume, options: ChangeOptions): Promise<void> {
  await store.change(async (tx) => {
    const entry = await inventory.volume(volume.id);
    const dir = await inventory.directory(entry.pool);
    if (tx.state.masks.some((m) => m.volume === entry.id)) throw new LsmError(ErrorNumber.IS_MASKED, 'Volume is masked to access group');
    await checkNotExported(store, entry, options);
    delete tx.state.volumes[entry.id];
    await dir.remove(entry.name);
  }, options);
}

export async function resizeVolume(store: TgtStore, inventory: Inventory, volume: Volume, newSizeBytes: bigint, options: ChangeOptions): Promise<Volume> {
  const size = roundUp(newSizeBytes);
  return store.change(async (tx) => {
    const entry = await inventory.volume(volume.id);
    const dir = await inventory.directory(entry.pool);
    if (size === entry.sizeBytes) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Volume size is unchanged');
    if (tx.state.masks.some((m) => m.volume === entry.id)) {
      throw new LsmError(ErrorNumber.NO_SUPPORT_ONLINE_CHANGE, `Volume ${entry.id} is masked: tgtd reads a LUN's size only when the LUN is added, so unmask it, resize, and mask it again`);
    }
    await checkNotExported(store, entry, options);
    const image = await dir.resize(entry.name, size);
    return volumeObject({ ...entry, sizeBytes: image.sizeBytes }, tx.state);
  }, options);
}

/**
 * `volume_replicate` CLONE or COPY: an independent image (a reflink where the file system can share extents,
 * else a sparse copy), made as a job with progress. The copy runs outside the state lock, under a temporary
 * name that is linked into place only when complete, so other changes go on meanwhile. A source that
 * initiators are writing to is copied as it is at each moment: quiesce it first for a consistent copy.
 */
export async function replicateVolume(store: TgtStore, inventory: Inventory, jobs: JobRegistry, pool: Pool | null, repType: number, source: Volume, name: string, options: ChangeOptions): Promise<string> {
  if (repType !== ReplicationType.CLONE && repType !== ReplicationType.COPY) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `Replication type ${repType} is not supported: tgt pools offer ${ReplicationType.CLONE} (clone) and ${ReplicationType.COPY} (copy)`);
  }
  validateImageName(name);
  const src = await inventory.volume(source.id);
  if (src.kind !== 'image') throw new LsmError(ErrorNumber.NO_SUPPORT, `Volume ${src.id} is a configured block device: only image volumes can be replicated`);
  const from: ImageDirectory = await inventory.directory(src.pool);
  const targetPool = pool?.id ?? src.pool;
  const into = await inventory.directory(targetPool);
  await checkNameFree(inventory, name);
  return jobs.run(async (progress, signal) => {
    const { image } = await from.copy(src.name, name, { into, signal, onProgress: (pct) => progress(Math.min(99, pct)) });
    const id = volumeId(targetPool, image.name);
    return store.change(async (tx) => {
      tx.onFailure(() => into.remove(image.name));
      tx.state.volumes[id] = { scsiId: newScsiId() };
      return volumeObject({ id, pool: targetPool, name: image.name, path: image.path, sizeBytes: image.sizeBytes, kind: 'image' }, tx.state);
    }, { timeoutMs: options.timeoutMs ?? 30_000 });
  });
}
