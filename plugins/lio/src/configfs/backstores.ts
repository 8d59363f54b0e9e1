/**
 * Storage objects (backstores): `core/<prefix>_<N>/<name>`, one HBA directory per object as rtslib makes them.
 *
 * Creation follows rtslib's sequence exactly (lio-configfs reference §3.2-3.3), so a tree we build is the tree
 * targetcli would build for the same object: HBA, object, the backend's control writes and udev_path, enable,
 * then the T10 unit serial (our volume id). Reading back follows rtslib too: the object's `info` file is searched
 * for `Key: value` pairs, the serial is the text after the first `:` of wwn/vpd_unit_serial.
 */
import { ErrorNumber, LsmError } from '@openlsm/core';
import { configfsError, errnoOf, type ConfigfsTree } from './tree.js';

export type BackstorePlugin = 'fileio' | 'block' | 'ramdisk' | 'pscsi' | 'user';

/** saveconfig's plugin name -> the HBA directory prefix in configfs. */
export const HBA_PREFIX: Record<BackstorePlugin, string> = {
  fileio: 'fileio', block: 'iblock', ramdisk: 'rd_mcp', pscsi: 'pscsi', user: 'user',
};
const PLUGIN_OF_PREFIX: Record<string, BackstorePlugin> = {
  fileio: 'fileio', iblock: 'block', rd_mcp: 'ramdisk', pscsi: 'pscsi', user: 'user',
};
/** rtslib's range of HBA indexes. */
const HBA_INDEX_LIMIT = 1048576;

export interface StorageObjectRef {
  plugin: BackstorePlugin;
  name: string;
  /** The HBA directory, e.g. `fileio_3`. */
  hba: string;
  hbaIndex: number;
  /** `core/<hba>/<name>`. */
  path: string;
}

/** saveconfig's key of a storage object, `/backstores/<plugin>/<name>` (also what a LUN dump names). */
export function soKey(so: { plugin: string; name: string }): string {
  return `/backstores/${so.plugin}/${so.name}`;
}

/** Splits an HBA directory name at its last `_`, as rtslib does; undefined for anything else. */
export function parseHbaName(dir: string): { plugin: BackstorePlugin; index: number } | undefined {
  const cut = dir.lastIndexOf('_');
  if (cut <= 0) return undefined;
  const plugin = PLUGIN_OF_PREFIX[dir.slice(0, cut)];
  const digits = dir.slice(cut + 1);
  if (plugin === undefined || !/^\d{1,7}$/.test(digits)) return undefined;
  return { plugin, index: Number(digits) };
}

/** The HBA directories under core/ (one readdir). */
export function hbaDirs(tree: ConfigfsTree): string[] {
  return tree.dirs('core').filter((d) => parseHbaName(d) !== undefined);
}

/**
 * Every storage object in the tree, and the HBA directories (with or without objects). `known` gives the
 * objects of HBA directories already listed (a cache); the others are read.
 */
export function scanStorageObjects(tree: ConfigfsTree, known: Readonly<Record<string, readonly string[]>> = {}): { objects: StorageObjectRef[]; hbas: string[] } {
  const objects: StorageObjectRef[] = [];
  const hbas = hbaDirs(tree);
  for (const hba of hbas) {
    const parsed = parseHbaName(hba) as { plugin: BackstorePlugin; index: number };
    for (const name of known[hba] ?? tree.dirs(`core/${hba}`)) {
      objects.push({ plugin: parsed.plugin, name, hba, hbaIndex: parsed.index, path: `core/${hba}/${name}` });
    }
  }
  return { objects, hbas };
}

/**
 * The value of `key` in an info-style text, found as rtslib's _parse_info does: whitespace collapsed, the last
 * `<key>: <value>` wins, the value ends at a space or colon.
 */
export function infoValue(info: string, key: string): string | undefined {
  const flat = info.split(/\s+/).join(' ');
  const marker = `${key}: `;
  const at = flat.lastIndexOf(marker);
  if (at < 0) return undefined;
  const m = /^[^: ]+/.exec(flat.slice(at + marker.length));
  return m ? m[0] : undefined;
}

/** The T10 unit serial, as rtslib reads it (text after the first `:`). */
export function readUnitSerial(tree: ConfigfsTree, so: StorageObjectRef): string {
  const text = tree.read(`${so.path}/wwn/vpd_unit_serial`);
  const colon = text.indexOf(':');
  return colon < 0 ? '' : text.slice(colon + 1).trim();
}

/** The object's backing file or device: udev_path, or for fileio the `File` in info when udev_path is empty. */
export function readBackingPath(tree: ConfigfsTree, so: StorageObjectRef, info?: string): string {
  const udev = tree.readOptional(`${so.path}/udev_path`) ?? '';
  if (udev !== '' || so.plugin !== 'fileio') return udev;
  return infoValue(info ?? tree.read(`${so.path}/info`), 'File') ?? '';
}

/** The lowest HBA index no `core/*_*` directory uses (rtslib's choice), at or above `from`. */
export function freeHbaIndex(hbas: readonly string[], from = 0): number {
  const used = new Set(hbas.map((h) => parseHbaName(h)?.index));
  for (let i = from; i < HBA_INDEX_LIMIT; i++) if (!used.has(i)) return i;
  throw new LsmError(ErrorNumber.NOT_ENOUGH_SPACE, 'LIO has no free backstore index left (1048576 HBAs in use)');
}

/** Makes `core/<prefix>_<N>` at the lowest free N; another tool racing for the same N just moves us on. */
function makeHba(tree: ConfigfsTree, plugin: BackstorePlugin, hbas: string[]): { hba: string; index: number } {
  let index = freeHbaIndex(hbas);
  for (;;) {
    const hba = `${HBA_PREFIX[plugin]}_${index}`;
    try {
      tree.mkdir(`core/${hba}`);
      hbas.push(hba);
      return { hba, index };
    } catch (err) {
      if (errnoOf((err as LsmError).cause) !== 'EEXIST') throw err;
      hbas.push(hba);
      index = freeHbaIndex(hbas, index + 1);
    }
  }
}

export interface FileioSpec {
  name: string;
  file: string;
  sizeBytes: bigint;
  wwn: string;
  writeBack?: boolean;
  aio?: boolean;
}

export interface BlockSpec {
  name: string;
  device: string;
  wwn: string;
  readonly?: boolean;
}

export interface RamdiskSpec {
  name: string;
  sizeBytes: bigint;
  wwn: string;
  nullio?: boolean;
}

/** The HBA and object directories of a new storage object, not yet configured. */
export function makeStorageObject(tree: ConfigfsTree, plugin: BackstorePlugin, name: string, hbas: string[]): StorageObjectRef {
  const { hba, index } = makeHba(tree, plugin, hbas);
  const path = `core/${hba}/${name}`;
  tree.mkdir(path);
  return { plugin, name, hba, hbaIndex: index, path };
}

function finish(tree: ConfigfsTree, so: StorageObjectRef, wwn: string): StorageObjectRef {
  tree.write(`${so.path}/enable`, '1\n');
  tree.write(`${so.path}/wwn/vpd_unit_serial`, `${wwn}\n`);
  return so;
}

/** rtslib's FileIOStorageObject._configure, for a file (`fd_dev_size` given) or a block device (size 0n). */
export function createFileio(tree: ConfigfsTree, spec: FileioSpec, hbas: string[]): StorageObjectRef {
  return configureFileio(tree, makeStorageObject(tree, 'fileio', spec.name, hbas), spec);
}

export function configureFileio(tree: ConfigfsTree, so: StorageObjectRef, spec: FileioSpec): StorageObjectRef {
  tree.write(`${so.path}/control`, spec.sizeBytes > 0n ? `fd_dev_name=${spec.file},fd_dev_size=${spec.sizeBytes}` : `fd_dev_name=${spec.file}`);
  if (spec.writeBack) {
    tree.write(`${so.path}/attrib/emulate_write_cache`, '1');
    tree.write(`${so.path}/control`, 'fd_buffered_io=1');
  }
  if (spec.aio) tree.write(`${so.path}/control`, 'fd_async_io=1');
  tree.write(`${so.path}/udev_path`, spec.file);
  return finish(tree, so, spec.wwn);
}

/** rtslib's BlockStorageObject._configure. */
export function createBlock(tree: ConfigfsTree, spec: BlockSpec, hbas: string[]): StorageObjectRef {
  return configureBlock(tree, makeStorageObject(tree, 'block', spec.name, hbas), spec);
}

export function configureBlock(tree: ConfigfsTree, so: StorageObjectRef, spec: BlockSpec): StorageObjectRef {
  tree.write(`${so.path}/udev_path`, spec.device);
  tree.write(`${so.path}/control`, `udev_path=${spec.device}`);
  tree.write(`${so.path}/control`, `readonly=${spec.readonly ? 1 : 0}`);
  return finish(tree, so, spec.wwn);
}

/** rtslib's RDMCPStorageObject._configure (only restores make these). */
export function configureRamdisk(tree: ConfigfsTree, so: StorageObjectRef, spec: RamdiskSpec): StorageObjectRef {
  // Python's round(): halves go to the even neighbour.
  const q = spec.sizeBytes / 4096n;
  const r2 = (spec.sizeBytes % 4096n) * 2n;
  const pages = r2 > 4096n || (r2 === 4096n && q % 2n === 1n) ? q + 1n : q;
  tree.write(`${so.path}/control`, `rd_pages=${pages > 0n ? pages : 1n}`);
  if (spec.nullio) tree.write(`${so.path}/control`, 'rd_nullio=1');
  return finish(tree, so, spec.wwn);
}

/**
 * Removes the object and its HBA directory (when nothing else lives in it). The journal makes the directories
 * again on undo; the caller records the object's configuration first (saveconfig/restore.ts applyStorageObject).
 */
export function removeStorageObject(tree: ConfigfsTree, so: StorageObjectRef): void {
  tree.rmdir(so.path);
  if (tree.dirs(`core/${so.hba}`).length === 0) tree.rmdir(`core/${so.hba}`);
}

/** A new length for a file-backed fileio object: the kernel reads fd_dev_size again on the next capacity query. */
export function setFileioSize(tree: ConfigfsTree, so: StorageObjectRef, sizeBytes: bigint): void {
  try {
    tree.write(`${so.path}/control`, `fd_dev_size=${sizeBytes}`);
  } catch (err) {
    throw configfsError('to resize', so.path, (err as LsmError).cause ?? err);
  }
}
