/**
 * Reading the tree into saveconfig.json's entries exactly as rtslib's dump() does (root.py, tcm.py, target.py,
 * alua.py of rtslib-fb 2.1.75): the same keys, the same values for the same tree, including rtslib's rules
 * (attributes saved only when readable and writable, integers where the text parses as one, CHAP and tags only
 * when set, storage objects that were never enabled left out because rtslib cannot read their serial).
 */
import { blockDeviceInfo } from '@openlsm/backing-store';
import fs from 'node:fs';
import {
  type BackstorePlugin, infoValue, parseHbaName, readBackingPath, readUnitSerial, soKey, type StorageObjectRef,
} from '../configfs/backstores.js';
import { type AclRef, CHAP_FILES, listMappedLuns, type LunRef, type MappedLunRef, readChap, readMappedLun } from '../configfs/iscsi.js';
import type { ConfigfsTree } from '../configfs/tree.js';
import {
  type AttrMap, attrValue, type ChapDump, type FabricModuleDump, type LunDump, type MappedLunDump, type NodeAclDump,
  type PortalDump, type StorageObjectDump,
} from './format.js';

const S_IRUSR = 0o400;
const S_IWUSR = 0o200;

const ALUA_RW = [
  'alua_access_state', 'alua_access_status', 'alua_write_metadata', 'alua_access_type', 'preferred',
  'nonop_delay_msecs', 'trans_delay_msecs', 'implicit_trans_secs', 'alua_support_offline', 'alua_support_standby',
  'alua_support_transitioning', 'alua_support_active_nonoptimized', 'alua_support_unavailable',
  'alua_support_active_optimized',
] as const;
const ALUA_TYPES = ['None', 'Implicit', 'Explicit', 'Implicit and Explicit'];
const ALUA_STATUSES = ['None', 'Altered by Explicit STPG', 'Altered by Implicit ALUA'];

/** Files of `dir` that are both readable and writable by their owner, sorted (rtslib's _list_files). */
export function readWritableFiles(tree: ConfigfsTree, dir: string): string[] {
  return tree.entries(dir).files.filter((f) => {
    const mode = tree.mode(`${dir}/${f}`);
    return (mode & S_IRUSR) !== 0 && (mode & S_IWUSR) !== 0;
  }).sort();
}

/** `attrib/` as rtslib saves it; undefined when there is nothing to save (rtslib then leaves the key out). */
export function dumpAttributes(tree: ConfigfsTree, dir: string): AttrMap | undefined {
  const names = readWritableFiles(tree, `${dir}/attrib`);
  if (names.length === 0) return undefined;
  return Object.fromEntries(names.map((n) => [n, attrValue(tree.read(`${dir}/attrib/${n}`))]));
}

/** `param/` as rtslib saves it (strings). */
export function dumpParameters(tree: ConfigfsTree, dir: string): Record<string, string> | undefined {
  const names = readWritableFiles(tree, `${dir}/param`);
  if (names.length === 0) return undefined;
  return Object.fromEntries(names.map((n) => [n, tree.read(`${dir}/param/${n}`)]));
}

const bool = (text: string | undefined) => text !== undefined && text !== '' && Number(text) !== 0;

function aluaSupported(tree: ConfigfsTree, so: StorageObjectRef): boolean {
  // Passthrough backends can crash older kernels when their ALUA files are touched; rtslib asks alua_support.
  if (so.plugin !== 'pscsi' && so.plugin !== 'user') return true;
  return tree.readOptional(`${so.path}/attrib/alua_support`) === '1';
}

function dumpAluaTpgs(tree: ConfigfsTree, so: StorageObjectRef): Record<string, number | string>[] {
  if (!aluaSupported(tree, so)) return [];
  return tree.dirs(`${so.path}/alua`).sort().map((name) => {
    const dir = `${so.path}/alua/${name}`;
    const entry: Record<string, number | string> = { name, tg_pt_gp_id: Number(tree.read(`${dir}/tg_pt_gp_id`)) };
    for (const p of ALUA_RW) {
      const text = tree.read(`${dir}/${p}`);
      entry[p] = p === 'alua_access_type' ? ALUA_TYPES.indexOf(text) : p === 'alua_access_status' ? ALUA_STATUSES.indexOf(text) : Number(text);
    }
    return entry;
  });
}

/** Whether the object was enabled (configured); rtslib cannot dump one that was not. */
export function isConfigured(tree: ConfigfsTree, so: StorageObjectRef): boolean {
  const enable = tree.readOptional(`${so.path}/enable`);
  return enable === undefined || bool(enable);
}

async function blockBytes(device: string, sectorSize: number): Promise<number> {
  const info = await blockDeviceInfo(device);
  return Number(info.sizeBytes / BigInt(info.blockSize)) * sectorSize;
}

function isBlockDevice(file: string): boolean {
  try {
    return fs.statSync(file).isBlockDevice();
  } catch {
    return false;
  }
}

/** One `storage_objects` entry (the object must be configured). */
export async function dumpStorageObject(tree: ConfigfsTree, so: StorageObjectRef): Promise<StorageObjectDump> {
  const out: StorageObjectDump = { name: so.name, plugin: so.plugin, alua_tpgs: dumpAluaTpgs(tree, so) };
  const attributes = dumpAttributes(tree, so.path);
  if (attributes) out.attributes = attributes;
  const info = tree.read(`${so.path}/info`);
  const writeBack = () => bool(tree.readOptional(`${so.path}/attrib/emulate_write_cache`));
  switch (so.plugin) {
    case 'fileio': {
      out.write_back = writeBack();
      out.wwn = readUnitSerial(tree, so);
      out.dev = readBackingPath(tree, so, info);
      out.size = isBlockDevice(out.dev)
        ? await blockBytes(infoValue(info, 'File') ?? out.dev, Number(infoValue(info, 'SectorSize') ?? 512))
        : Number(infoValue(info, 'Size') ?? 0);
      out.aio = bool(infoValue(info, 'Async'));
      break;
    }
    case 'block':
      out.write_back = writeBack();
      out.readonly = bool(infoValue(info, 'readonly'));
      out.wwn = readUnitSerial(tree, so);
      out.dev = readBackingPath(tree, so, info);
      break;
    case 'ramdisk': {
      out.wwn = readUnitSerial(tree, so);
      const [pages = '0', pageSize = '0'] = (infoValue(info, 'PAGES/PAGE_SIZE') ?? '0*0').split('*');
      out.size = Number(pages) * Number(pageSize);
      if (bool(infoValue(info, 'nullio'))) out.nullio = true;
      break;
    }
    case 'pscsi':
      out.dev = readBackingPath(tree, so, info);
      break;
    case 'user': {
      out.wwn = readUnitSerial(tree, so);
      out.size = Number(infoValue(info, 'Size') ?? 0);
      const config = infoValue(info, 'Config');
      out.config = config === undefined || config === 'NULL' ? null : config;
      out.hw_max_sectors = Number(infoValue(info, 'HwMaxSectors') ?? 0);
      const control: string[] = [];
      const area = infoValue(info, 'MaxDataAreaMB');
      if (area !== undefined && area !== 'NULL') control.push(`max_data_area_mb=${area}`);
      const hwBlock = tree.readOptional(`${so.path}/attrib/hw_block_size`);
      if (hwBlock !== undefined && hwBlock !== 'NULL') control.push(`hw_block_size=${hwBlock}`);
      const pages = infoValue(info, 'DataPagesPerBlk');
      if (pages !== undefined && pages !== 'NULL') control.push(`data_pages_per_blk=${pages}`);
      out.control = control.join(',');
      break;
    }
  }
  return out;
}

/** The storage object a LUN link leads to, as saveconfig names it; undefined for a broken link. */
export function storageObjectKeyOf(soPath: string | undefined): string | undefined {
  const m = soPath === undefined ? null : /^core\/([^/]+)\/([^/]+)$/.exec(soPath);
  const hba = m ? parseHbaName(m[1] as string) : undefined;
  return m && hba ? soKey({ plugin: hba.plugin, name: m[2] as string }) : undefined;
}

export function dumpLun(tree: ConfigfsTree, lun: LunRef): LunDump | undefined {
  const key = storageObjectKeyOf(lun.storageObject);
  if (key === undefined || lun.alias === undefined || lun.storageObject === undefined) return undefined;
  const plugin = key.split('/')[2] as BackstorePlugin;
  let group: string | null = null;
  if (aluaSupported(tree, { plugin, path: lun.storageObject } as StorageObjectRef)) {
    const text = tree.readOptional(`${lun.path}/alua_tg_pt_gp`);
    const first = text?.split('\n')[0];
    if (first) group = first.split(':')[1]?.trim() ?? null;
  }
  return { alias: lun.alias, alua_tg_pt_gp_name: group, index: lun.index, storage_object: key };
}

export function dumpPortal(tree: ConfigfsTree, tpg: string, dir: string): PortalDump {
  const cut = dir.lastIndexOf(':');
  const flag = (f: string) => bool(tree.readOptional(`${tpg}/np/${dir}/${f}`));
  return { ip_address: dir.slice(0, cut), iser: flag('iser'), offload: flag('cxgbit'), port: Number(dir.slice(cut + 1)) };
}

const CHAP_KEYS: Record<(typeof CHAP_FILES)[number], keyof ChapDump> = {
  userid: 'chap_userid', password: 'chap_password', userid_mutual: 'chap_mutual_userid', password_mutual: 'chap_mutual_password',
};

export function dumpChap(tree: ConfigfsTree, dir: string, into: ChapDump): void {
  const values = readChap(tree, dir);
  for (const f of CHAP_FILES) if (values[f] !== '') into[CHAP_KEYS[f]] = values[f];
}

function mappedLunEntry(tree: ConfigfsTree, m: MappedLunRef, lunIndex: (lunPath: string) => number | undefined): MappedLunDump | undefined {
  const tpgLun = m.lun === undefined ? undefined : lunIndex(m.lun);
  if (tpgLun === undefined || m.alias === undefined) return undefined;
  return { alias: m.alias, index: m.index, tpg_lun: tpgLun, write_protect: bool(tree.readOptional(`${m.path}/write_protect`)) };
}

/** Mapped LUN `index` of an ACL; undefined when it has no valid link (rtslib cannot dump it either). */
export function dumpMappedLun(tree: ConfigfsTree, aclPath: string, index: number, lunIndex: (lunPath: string) => number | undefined): MappedLunDump | undefined {
  return mappedLunEntry(tree, readMappedLun(tree, aclPath, index), lunIndex);
}

/** A node ACL with its mapped LUNs; `lunIndex` gives the TPG LUN number of a LUN path. */
export function dumpAcl(tree: ConfigfsTree, acl: AclRef, lunIndex: (lunPath: string) => number | undefined): NodeAclDump {
  const out: NodeAclDump = { node_wwn: acl.node, mapped_luns: [] };
  const attributes = dumpAttributes(tree, acl.path);
  if (attributes) out.attributes = attributes;
  for (const m of listMappedLuns(tree, acl.path)) {
    const entry = mappedLunEntry(tree, m, lunIndex);
    if (entry) out.mapped_luns.push(entry);
  }
  if (acl.tag !== '') out.tag = acl.tag;
  dumpChap(tree, acl.path, out);
  return out;
}

/** `fabric_modules`: only a fabric that enforces discovery authentication is listed (rtslib's dump()). */
export function dumpFabricModules(tree: ConfigfsTree): FabricModuleDump[] {
  const dir = 'iscsi/discovery_auth';
  if (!bool(tree.readOptional(`${dir}/enforce_discovery_auth`))) return [];
  const out: FabricModuleDump = { name: 'iscsi', discovery_enable_auth: true };
  const keys = { userid: 'discovery_userid', password: 'discovery_password', userid_mutual: 'discovery_mutual_userid', password_mutual: 'discovery_mutual_password' } as const;
  for (const f of CHAP_FILES) {
    const v = tree.readOptional(`${dir}/${f}`);
    if (v !== undefined && v !== '' && v !== 'NULL') out[keys[f]] = v;
  }
  return [out];
}
