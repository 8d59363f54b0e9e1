/**
 * Volumes are LIO storage objects. In a directory pool a volume is a sparse image `<name>.img` served by a
 * fileio object named `<name>`; in a block pool it is one whole device served by a block object. The volume's
 * id is the object's unit serial (a fresh UUID at creation, kept by saveconfig.json across reboots), so ids are
 * the same in every process and after every restore.
 */
import { randomUUID } from 'node:crypto';
import { blockDeviceInfo, type ImageDirectory } from '@openlsm/backing-store';
import {
  describeForMessage, ErrorNumber, LsmError, Provisioning, type Volume, VolumeAdminState,
} from '@openlsm/core';
import { EXTERNAL_POOL } from '../config.js';
import {
  createBlock, createFileio, infoValue, readBackingPath, readUnitSerial, removeStorageObject, setFileioSize,
  type StorageObjectRef,
} from '../configfs/backstores.js';
import { validateFileioPath, validateVolumeName } from '../configfs/names.js';
import { dumpStorageObject } from '../saveconfig/dump.js';
import { applyStorageObject } from '../saveconfig/restore.js';
import type { Change, View } from '../session.js';
import { SYSTEM_ID, vpd83FromSerial } from './ids.js';
import { type BlockPool, type DirectoryPool, poolOfBacking, requirePool } from './pools.js';

const BLOCK = 512n;

export interface FoundVolume {
  so: StorageObjectRef;
  serial: string;
}

/** The volume id of an object: its unit serial, or `<plugin>:<name>` for one that has none. */
export function volumeId(so: StorageObjectRef, serial: string): string {
  return serial !== '' ? serial : `${so.plugin}:${so.name}`;
}

async function sizeOf(view: View, so: StorageObjectRef, info: string, backing: string): Promise<bigint> {
  if (so.plugin === 'fileio') {
    const size = infoValue(info, 'Size');
    if (size !== undefined && size !== '0') return BigInt(size);
  }
  if (so.plugin === 'ramdisk') {
    const [pages = '0', pageSize = '0'] = (infoValue(info, 'PAGES/PAGE_SIZE') ?? '0*0').split('*');
    return BigInt(pages) * BigInt(pageSize);
  }
  if (backing.startsWith('/')) {
    try {
      return (await blockDeviceInfo(backing)).sizeBytes;
    } catch {
      view.session.log.debug('cannot size a storage object\'s device', { so: so.path, backing });
    }
  }
  return 0n;
}

/**
 * The file or device the kernel serves, from `info` (fileio's "File: ...  Size:", iblock's "UDEV PATH: ...
 * readonly:"), so that listing reads two files per volume; udev_path when info does not say.
 */
function servedPath(view: View, so: StorageObjectRef, info: string): string {
  const m = so.plugin === 'fileio' ? /File: (\S.*?) {2}Size: /.exec(info) : so.plugin === 'block' ? /UDEV PATH: (\S.*?) {2}readonly: /.exec(info) : null;
  return m ? (m[1] as string) : readBackingPath(view.tree, so, info);
}

/** The lsm Volume for a storage object. */
export async function describeVolume(view: View, so: StorageObjectRef): Promise<Volume> {
  const serial = readUnitSerial(view.tree, so);
  const info = view.tree.read(`${so.path}/info`);
  const backing = servedPath(view, so, info);
  const blockSize = BigInt(infoValue(info, 'SectorSize') ?? '512') || BLOCK;
  const size = await sizeOf(view, so, info, backing);
  return {
    id: volumeId(so, serial), name: so.name, vpd83: serial !== '' ? vpd83FromSerial(serial) : '',
    block_size: blockSize, num_of_blocks: size / blockSize, admin_state: VolumeAdminState.ENABLED,
    system_id: SYSTEM_ID, pool_id: poolOfBacking(view.pools, so.plugin, backing), plugin_data: so.path,
  };
}

export async function listVolumes(view: View): Promise<Volume[]> {
  const out: Volume[] = [];
  for (const so of view.scan().objects) out.push(await describeVolume(view, so));
  return out;
}

function matches(view: View, path: string | null | undefined, id: string): StorageObjectRef | undefined {
  if (!path) return undefined;
  const so = view.scan().objects.find((o) => o.path === path);
  return so && volumeId(so, readUnitSerial(view.tree, so)) === id ? so : undefined;
}

/** The storage object of `volume`: by its plugin_data, the state file's hint, else by reading every serial. */
export function findVolume(view: View, volume: Volume): FoundVolume {
  const so = matches(view, volume.plugin_data, volume.id)
    ?? matches(view, view.state.volumes[volume.id]?.so, volume.id)
    ?? view.scan().objects.find((o) => volumeId(o, readUnitSerial(view.tree, o)) === volume.id);
  if (!so) throw new LsmError(ErrorNumber.NOT_FOUND_VOLUME, `Volume ${describeForMessage(volume.id)} not found`);
  return { so, serial: readUnitSerial(view.tree, so) };
}

function checkNameFree(view: View, name: string): void {
  if (view.scan().objects.some((o) => o.name === name)) {
    throw new LsmError(ErrorNumber.NAME_CONFLICT, `Name ${describeForMessage(name)} is already used by another volume`);
  }
}

function roundUp(size: bigint): bigint {
  if (size <= 0n) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid size ${size}: must be at least 1 byte`);
  return ((size + BLOCK - 1n) / BLOCK) * BLOCK;
}

function images(pool: DirectoryPool): ImageDirectory {
  if (!pool.images) throw new LsmError(ErrorNumber.POOL_NOT_READY, `Pool ${pool.name} cannot be used: ${pool.error ?? 'unusable'}`);
  return pool.images;
}

function freeDevice(change: View, pool: BlockPool, size: bigint): string {
  const used = new Set(Object.values(change.state.volumes).map((v) => v.device));
  for (const so of change.scan().objects) if (so.plugin === 'block') used.add(readBackingPath(change.tree, so));
  const candidates = pool.devices.filter((d) => d.info && !used.has(d.path) && d.info.sizeBytes >= size)
    .sort((a, b) => Number((a.info as { sizeBytes: bigint }).sizeBytes - (b.info as { sizeBytes: bigint }).sizeBytes));
  const pick = candidates[0];
  if (!pick) throw new LsmError(ErrorNumber.NOT_ENOUGH_SPACE, `Pool ${pool.name} has no free device of at least ${size} bytes`);
  return pick.path;
}

/** Records the new object in the call's scan and the state file, and marks it for saving. */
export function adopt(change: Change, so: StorageObjectRef, serial: string, record: { pool: string; image?: string; device?: string }): void {
  change.scan().objects.push(so);
  change.state.volumes[serial] = { ...record, so: so.path };
  change.stateChanged = true;
  change.touched.storageObject(so);
}

export async function createVolume(change: Change, poolId: string, name: string, sizeBytes: bigint, provisioning: number): Promise<Volume> {
  validateVolumeName(name);
  const pool = requirePool(change.pools, poolId);
  checkNameFree(change, name);
  const serial = randomUUID();
  if (pool.kind === 'directory') {
    if (provisioning === Provisioning.FULL) throw new LsmError(ErrorNumber.NO_SUPPORT, `Pool ${pool.name} makes sparse (thin) images only`);
    const dir = images(pool);
    const image = `${name}.img`;
    const file = validateFileioPath(dir.imagePath(image));
    const created = await dir.create(image, roundUp(sizeBytes));
    change.journal.undo(`delete image ${file}`, () => dir.remove(image));
    const so = createFileio(change.tree, { name, file, sizeBytes: created.sizeBytes, wwn: serial }, change.scan().hbas);
    adopt(change, so, serial, { pool: pool.name, image });
    return describeVolume(change, so);
  }
  if (provisioning === Provisioning.THIN) throw new LsmError(ErrorNumber.NO_SUPPORT, `Pool ${pool.name} serves whole devices, which are not thin`);
  const device = freeDevice(change, pool, sizeBytes);
  const so = createBlock(change.tree, { name, device, wwn: serial }, change.scan().hbas);
  adopt(change, so, serial, { pool: pool.name, device });
  return describeVolume(change, so);
}

/** LUNs in any target's TPGs that export `so`: a volume exported anywhere is not deleted. */
export function exportsOf(view: View, so: StorageObjectRef): string[] {
  const info = view.tree.read(`${so.path}/info`);
  if (!/Status: ACTIVATED/.test(info.split(/\s+/).join(' '))) return [];
  const out: string[] = [];
  for (const iqn of view.tree.dirs('iscsi')) {
    for (const tpg of view.tree.dirs(`iscsi/${iqn}`).filter((d) => d.startsWith('tpgt_'))) {
      for (const lun of view.tree.dirs(`iscsi/${iqn}/${tpg}/lun`)) {
        const dir = `iscsi/${iqn}/${tpg}/lun/${lun}`;
        if (view.tree.entries(dir).links.some((l) => view.tree.resolve(`${dir}/${l}`) === so.path)) out.push(`${iqn} ${tpg} ${lun}`);
      }
    }
  }
  return out;
}

export async function deleteVolume(change: Change, volume: Volume): Promise<void> {
  const { so, serial } = findVolume(change, volume);
  const exported = exportsOf(change, so);
  if (exported.length > 0) {
    throw new LsmError(ErrorNumber.IS_MASKED, `Volume ${so.name} is exported (${exported.slice(0, 3).join(', ')}): unmask it first`);
  }
  const record = change.state.volumes[serial];
  const backing = readBackingPath(change.tree, so);
  const owned = record?.image !== undefined && poolOfBacking(change.pools, so.plugin, backing) === record.pool;
  // Should a later step fail, the journal makes the directories again and this configures the object as it was.
  const saved = await dumpStorageObject(change.tree, so);
  change.journal.undo(`configure ${so.path} again`, () => {
    if (change.tree.readOptional(`${so.path}/enable`) !== '0') return; // never removed: nothing to put back
    applyStorageObject(change.tree, so, saved);
  });
  removeStorageObject(change.tree, so);
  change.scan().objects.splice(change.scan().objects.indexOf(so), 1);
  if (change.tree.isDir(`core/${so.hba}`) === false) change.scan().hbas.splice(change.scan().hbas.indexOf(so.hba), 1);
  delete change.state.volumes[serial];
  change.stateChanged = true;
  change.touched.storageObject(so);
  if (owned && record?.image) {
    const pool = change.pools.get(record.pool);
    const image = record.image;
    if (pool?.kind === 'directory' && pool.images) {
      const dir = pool.images;
      change.afterCommit(`delete image ${image}`, () => dir.remove(image));
    }
  }
}

export async function resizeVolume(change: Change, volume: Volume, newSize: bigint): Promise<Volume> {
  const { so, serial } = findVolume(change, volume);
  const record = change.state.volumes[serial];
  const pool = record ? change.pools.get(record.pool) : undefined;
  if (so.plugin !== 'fileio' || !record?.image || pool?.kind !== 'directory' || pool.name === EXTERNAL_POOL) {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `Volume ${so.name} cannot be resized: only image files of directory pools can`);
  }
  const size = roundUp(newSize);
  const current = await images(pool).stat(record.image);
  if (!current) throw new LsmError(ErrorNumber.NOT_FOUND_VOLUME, `The image of volume ${so.name} is missing from ${pool.name}`);
  if (size === current.sizeBytes) throw new LsmError(ErrorNumber.NO_STATE_CHANGE, 'Volume size is unchanged');
  if (size < current.sizeBytes) throw new LsmError(ErrorNumber.NO_SUPPORT, `Volume ${so.name} cannot shrink: that would cut data off its end`);
  const image = record.image;
  const dir = images(pool);
  await dir.resize(image, size);
  change.journal.undo(`shrink image ${image} back`, async () => { await dir.resize(image, current.sizeBytes); });
  setFileioSize(change.tree, so, size);
  change.journal.undo(`set ${so.path} back to ${current.sizeBytes} bytes`, () => setFileioSize(change.tree, so, current.sizeBytes));
  change.touched.storageObject(so);
  return describeVolume(change, so);
}
