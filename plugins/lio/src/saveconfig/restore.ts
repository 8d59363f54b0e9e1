/**
 * Putting a saveconfig.json back into the kernel, in the order and with the rules of rtslib's
 * RTSRoot.restore() (reference §8.4), so that a file written by targetcli or by us restores to the same tree
 * either way: storage objects with their saved serials, then their attributes and non-default ALUA groups; the
 * fabric's discovery authentication; then per target and TPG: attributes, parameters, LUNs with their aliases,
 * portals, ACLs with attributes, mapped LUNs, tag and CHAP; the TPG is enabled last. A broken entry is skipped
 * with a message (rtslib's "..., skipped") and the rest goes on; an object that fails halfway is removed again.
 */
import { ErrorNumber, LsmError } from '@openlsm/core';
import {
  type BackstorePlugin, configureBlock, configureFileio, configureRamdisk, makeStorageObject, type StorageObjectRef,
  removeStorageObject, scanStorageObjects, soKey,
} from '../configfs/backstores.js';
import {
  CHAP_FILES, ensureIscsiFabric, listAcls, listLuns, listMappedLuns, listPortals, removeLun, removeMappedLun,
} from '../configfs/iscsi.js';
import { Journal } from '../configfs/journal.js';
import { errnoOf, type ConfigfsTree } from '../configfs/tree.js';
import type { ChapDump, NodeAclDump, SaveConfig, StorageObjectDump, TargetDump, TpgDump } from './format.js';

const CHAP_KEYS = { chap_userid: 'userid', chap_password: 'password', chap_mutual_userid: 'userid_mutual', chap_mutual_password: 'password_mutual' } as const;
const DISCOVERY_KEYS = {
  discovery_userid: 'userid', discovery_password: 'password', discovery_mutual_userid: 'userid_mutual', discovery_mutual_password: 'password_mutual',
} as const;

function why(err: unknown): string {
  const cause = (err as LsmError).cause ?? err;
  const code = errnoOf(cause);
  return code ? `[${code}] ${(err as Error).message}` : (err as Error).message;
}

/** Runs `step`; a failure becomes one "..., skipped" message instead of stopping the restore. */
function attempt(errors: string[], what: () => string, step: () => void): boolean {
  try {
    step();
    return true;
  } catch (err) {
    errors.push(`${what()}: ${why(err)}, skipped`);
    return false;
  }
}

/** Removes every target and storage object and clears discovery authentication (rtslib's clear_existing). */
export function clearTree(tree: ConfigfsTree): void {
  for (const iqn of tree.dirs('iscsi')) {
    if (iqn === 'discovery_auth') continue;
    for (const dir of tree.dirs(`iscsi/${iqn}`).filter((d) => d.startsWith('tpgt_'))) {
      const tpg = `iscsi/${iqn}/${dir}`;
      if (tree.readOptional(`${tpg}/enable`) === '1') tree.write(`${tpg}/enable`, '0');
      for (const acl of listAcls(tree, tpg)) {
        for (const m of listMappedLuns(tree, acl.path)) removeMappedLun(tree, m);
        tree.rmdir(acl.path);
      }
      for (const lun of listLuns(tree, tpg)) removeLun(tree, lun);
      for (const np of listPortals(tree, tpg)) {
        for (const f of ['iser', 'cxgbit']) if (tree.readOptional(`${tpg}/np/${np}/${f}`) === '1') tree.write(`${tpg}/np/${np}/${f}`, '0');
        tree.rmdir(`${tpg}/np/${np}`);
      }
      tree.rmdir(tpg);
    }
    tree.rmdir(`iscsi/${iqn}`);
  }
  if (tree.isDir('iscsi/discovery_auth')) {
    for (const f of [...CHAP_FILES].reverse()) tree.write(`iscsi/discovery_auth/${f}`, 'NULL');
    tree.write('iscsi/discovery_auth/enforce_discovery_auth', '0');
  }
  const { objects, hbas } = scanStorageObjects(tree);
  for (const so of objects) removeStorageObject(tree, so);
  for (const hba of hbas) if (tree.isDir(`core/${hba}`)) tree.rmdir(`core/${hba}`);
}

function setAttributes(tree: ConfigfsTree, dir: string, attributes: unknown, errors: string[], label: string): void {
  if (typeof attributes !== 'object' || attributes === null) return;
  for (const [name, value] of Object.entries(attributes as Record<string, unknown>)) {
    if (!tree.exists(`${dir}/attrib/${name}`)) {
      errors.push(`${label}Cannot find attribute: ${name}, skipped`);
      continue;
    }
    attempt(errors, () => `${label}Cannot set attribute ${name}`, () => tree.write(`${dir}/attrib/${name}`, String(value)));
  }
}

function setChap(tree: ConfigfsTree, dir: string, from: ChapDump, errors: string[], label: string): void {
  for (const [key, file] of Object.entries(CHAP_KEYS)) {
    const value = from[key as keyof ChapDump];
    if (value) attempt(errors, () => `Could not set ${label} attribute '${key}'`, () => tree.write(`${dir}/auth/${file}`, String(value).trim()));
  }
}

/** The type-specific writes of a storage object from its dump (its directory exists and is not configured). */
function configureFromDump(tree: ConfigfsTree, made: StorageObjectRef, so: StorageObjectDump): void {
  const wwn = typeof so.wwn === 'string' && so.wwn !== '' ? so.wwn : globalThis.crypto.randomUUID();
  if (so.plugin === 'fileio') {
    if (typeof so.dev !== 'string') throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'no dev');
    configureFileio(tree, made, { name: so.name, file: so.dev, sizeBytes: BigInt(so.size ?? 0), wwn, writeBack: so.write_back === true, aio: so.aio === true });
  } else if (so.plugin === 'block') {
    if (typeof so.dev !== 'string') throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'no dev');
    configureBlock(tree, made, { name: so.name, device: so.dev, wwn, readonly: so.readonly === true });
  } else if (so.plugin === 'ramdisk') {
    configureRamdisk(tree, made, { name: so.name, sizeBytes: BigInt(so.size ?? 0), wwn, nullio: so.nullio === true });
  } else {
    throw new LsmError(ErrorNumber.NO_SUPPORT, `openlsm does not restore ${String(so.plugin)} storage objects`);
  }
}

/** Attributes and non-default ALUA groups of a configured storage object (rtslib's set_attributes, ALUA setup). */
function settingsFromDump(tree: ConfigfsTree, made: StorageObjectRef, so: StorageObjectDump, errors: string[]): void {
  const label = `Storage Object ${so.plugin}/${so.name}: `;
  setAttributes(tree, made.path, so.attributes, errors, label);
  for (const group of Array.isArray(so.alua_tpgs) ? so.alua_tpgs : []) {
    if (group.name === 'default_tg_pt_gp' || typeof group.name !== 'string') continue;
    const dir = `${made.path}/alua/${group.name}`;
    if (!attempt(errors, () => `${label}Could not create alua tpg '${String(group.name)}'`, () => {
      tree.mkdir(dir);
      tree.write(`${dir}/tg_pt_gp_id`, String(group.tg_pt_gp_id));
    })) continue;
    for (const [param, value] of Object.entries(group)) {
      if (param === 'name' || param === 'tg_pt_gp_id') continue;
      attempt(errors, () => `Could not set attribute '${param}' for alua tpg '${String(group.name)}'`, () => tree.write(`${dir}/${param}`, String(value)));
    }
  }
}

/**
 * Configures the (re-made, empty) directory of a removed storage object from its dump: undoing a deletion.
 * Throws when anything could not be put back.
 */
export function applyStorageObject(tree: ConfigfsTree, made: StorageObjectRef, so: StorageObjectDump): void {
  configureFromDump(tree, made, so);
  const errors: string[] = [];
  settingsFromDump(tree, made, so, errors);
  if (errors.length > 0) throw new LsmError(ErrorNumber.PLUGIN_BUG, errors.join('; '));
}

function restoreStorageObject(tree: ConfigfsTree, so: StorageObjectDump, hbas: string[], errors: string[]): void {
  const journal = new Journal();
  const before = tree.journal;
  tree.attach(journal);
  let made: StorageObjectRef;
  if (so.plugin !== 'fileio' && so.plugin !== 'block' && so.plugin !== 'ramdisk') {
    errors.push(`Could not create StorageObject ${so.name}: openlsm does not restore ${String(so.plugin)} storage objects, skipped`);
    return;
  }
  try {
    made = makeStorageObject(tree, so.plugin as BackstorePlugin, so.name, hbas);
    configureFromDump(tree, made, so);
  } catch (err) {
    tree.attach(undefined);
    journal.rollbackSync();
    tree.attach(before);
    errors.push(`Could not create StorageObject ${so.name}: ${why(err)}, skipped`);
    return;
  }
  tree.attach(before);
  settingsFromDump(tree, made, so, errors);
}

function restoreAcl(tree: ConfigfsTree, tpg: string, acl: NodeAclDump, errors: string[]): void {
  const node = String(acl.node_wwn).toLowerCase();
  const path = `${tpg}/acls/${node}`;
  if (!tree.isDir(path) && !attempt(errors, () => `Error when creating NodeACL for ${node}`, () => tree.mkdir(path))) return;
  setAttributes(tree, path, acl.attributes, errors, '');
  for (const m of Array.isArray(acl.mapped_luns) ? acl.mapped_luns : []) {
    const lunDir = `${tpg}/lun/lun_${m.tpg_lun}`;
    if (!tree.isDir(lunDir)) {
      errors.push(`Could not find matching TPG LUN ${m.tpg_lun} for MappedLUN ${m.index}, skipped`);
      continue;
    }
    const dir = `${path}/lun_${m.index}`;
    attempt(errors, () => `Creating MappedLUN object ${m.index} failed`, () => {
      tree.mkdir(dir);
      tree.symlink(lunDir, `${dir}/${m.alias || globalThis.crypto.randomUUID().slice(-10)}`);
      tree.write(`${dir}/write_protect`, m.write_protect ? '1' : '0');
    });
  }
  if (acl.tag) attempt(errors, () => `Could not set nodeacl ${node} attribute 'tag'`, () => tree.write(`${path}/tag`, acl.tag as string));
  setChap(tree, path, acl, errors, `nodeacl ${node}`);
}

function restoreTpg(tree: ConfigfsTree, iqn: string, tpg: TpgDump, objects: ReadonlyMap<string, StorageObjectRef>, errors: string[]): void {
  const tag = Number(tpg.tag ?? 1);
  const path = `iscsi/${iqn}/tpgt_${tag}`;
  if (!tree.isDir(path) && !attempt(errors, () => `Could not create TPG ${tag}`, () => tree.mkdir(path))) return;
  setAttributes(tree, path, tpg.attributes, errors, '');
  for (const [name, value] of Object.entries(tpg.parameters ?? {})) {
    attempt(errors, () => `Cannot set parameter ${name}`, () => tree.write(`${path}/param/${name}`, `${value}\n`));
  }
  for (const lun of Array.isArray(tpg.luns) ? tpg.luns : []) {
    const so = typeof lun.storage_object === 'string' ? objects.get(lun.storage_object) : undefined;
    if (so === undefined) {
      errors.push(`Could not find matching StorageObject for LUN ${lun.index}, skipped`);
      continue;
    }
    const dir = `${path}/lun/lun_${lun.index}`;
    if (!attempt(errors, () => `Creating TPG ${tag} LUN index ${lun.index} failed`, () => {
      tree.mkdir(dir);
      tree.symlink(so.path, `${dir}/${lun.alias || globalThis.crypto.randomUUID().slice(-10)}`);
    })) continue;
    if (lun.alua_tg_pt_gp_name) {
      try {
        tree.write(`${dir}/alua_tg_pt_gp`, lun.alua_tg_pt_gp_name);
      } catch {
        // rtslib ignores this too: kernels without ALUA on the backstore refuse it
      }
    }
  }
  for (const p of Array.isArray(tpg.portals) ? tpg.portals : []) {
    const dir = `${path}/np/${p.ip_address}:${p.port}`;
    attempt(errors, () => `Creating NetworkPortal object ${p.ip_address}:${p.port} failed`, () => {
      tree.mkdir(dir);
      for (const [file, on] of [['iser', p.iser], ['cxgbit', p.offload]] as const) {
        if (tree.exists(`${dir}/${file}`)) tree.write(`${dir}/${file}`, on ? '1' : '0');
      }
    });
  }
  for (const acl of Array.isArray(tpg.node_acls) ? tpg.node_acls : []) restoreAcl(tree, path, acl, errors);
  const enable = tpg.enable !== false;
  const current = tree.readOptional(`${path}/enable`);
  if (current !== undefined && (current === '1') !== enable) {
    attempt(errors, () => `Cannot change enable state of TPG ${tag}`, () => tree.write(`${path}/enable`, enable ? '1' : '0'));
  }
  setChap(tree, path, tpg, errors, `tpg ${tag}`);
}

function restoreTarget(tree: ConfigfsTree, target: TargetDump, objects: ReadonlyMap<string, StorageObjectRef>, errors: string[]): void {
  if (target.fabric !== 'iscsi') {
    errors.push(`Unknown fabric '${String(target.fabric)}', skipped`);
    return;
  }
  const iqn = String(target.wwn).toLowerCase();
  ensureIscsiFabric(tree);
  if (!tree.isDir(`iscsi/${iqn}`) && !attempt(errors, () => 'Could not create Target object', () => tree.mkdir(`iscsi/${iqn}`))) return;
  for (const tpg of Array.isArray(target.tpgs) ? target.tpgs : []) restoreTpg(tree, iqn, tpg, objects, errors);
}

/** Writes an ACL's settings back after its directory was made again (undoing its removal). */
export function applyAclSettings(tree: ConfigfsTree, path: string, acl: NodeAclDump): void {
  const errors: string[] = [];
  setAttributes(tree, path, acl.attributes, errors, '');
  if (acl.tag) tree.write(`${path}/tag`, acl.tag);
  setChap(tree, path, acl, errors, `nodeacl ${acl.node_wwn}`);
  if (errors.length > 0) throw new LsmError(ErrorNumber.PLUGIN_BUG, errors.join('; '));
}

/**
 * Restores `config` into the tree and returns the messages of what was skipped. Without `clearExisting` an
 * object or target that already exists under the same name refuses the whole restore (NAME_CONFLICT), as rtslib
 * does; with it, the tree is cleared first.
 */
export function restoreSaveConfig(tree: ConfigfsTree, config: SaveConfig, options: { clearExisting?: boolean } = {}): string[] {
  if (options.clearExisting) clearTree(tree);
  else {
    const existing = new Set(scanStorageObjects(tree).objects.map((so) => soKey(so)));
    for (const so of config.storage_objects) {
      if (existing.has(soKey(so))) throw new LsmError(ErrorNumber.NAME_CONFLICT, `storageobject '${so.plugin}:${so.name}' exist not restoring`);
    }
    const targets = new Set(tree.dirs('iscsi'));
    for (const t of config.targets) {
      if (targets.has(String(t.wwn))) throw new LsmError(ErrorNumber.NAME_CONFLICT, `target with wwn ${t.wwn} exist, not restoring`);
    }
  }
  const errors: string[] = [];
  const hbas = scanStorageObjects(tree).hbas;
  config.storage_objects.forEach((so, index) => {
    if (typeof so.name !== 'string') errors.push(`'name' not defined in storage object ${index}, skipped`);
    else restoreStorageObject(tree, so, hbas, errors);
  });
  for (const fm of config.fabric_modules) {
    if (fm.name !== 'iscsi') continue;
    ensureIscsiFabric(tree);
    for (const [key, file] of Object.entries(DISCOVERY_KEYS)) {
      const value = fm[key as keyof typeof fm];
      if (typeof value === 'string' && value !== '') attempt(errors, () => `Could not set fabric iscsi attribute '${key}'`, () => tree.write(`iscsi/discovery_auth/${file}`, value));
    }
    if ('discovery_enable_auth' in fm) {
      attempt(errors, () => "Could not set fabric iscsi attribute 'discovery_enable_auth'", () => tree.write('iscsi/discovery_auth/enforce_discovery_auth', fm.discovery_enable_auth ? '1' : '0'));
    }
  }
  const objects = new Map(scanStorageObjects(tree).objects.map((so) => [soKey(so), so]));
  config.targets.forEach((t, index) => {
    if (t.wwn === undefined) errors.push(`'wwn' not defined in target ${index}, skipped`);
    else restoreTarget(tree, t, objects, errors);
  });
  return errors;
}
