/**
 * iSCSI fabric objects: the target (one per system, TPG 1 as targetd uses it), its portals, LUNs, node ACLs and
 * mapped LUNs, CHAP. Each function is one step of the kernel's create or teardown order (reference §6); the
 * journal attached to the tree undoes the mkdir and symlink steps of a change that fails, and callers record the
 * inverse of removals and writes.
 */
import { randomBytes } from 'node:crypto';
import { ErrorNumber, LsmError, describeForMessage } from '@openlsm/core';
import { type Portal, portalDir } from './names.js';
import { errnoOf, type ConfigfsTree } from './tree.js';

/** The mapped-LUN numbers rtslib 2.1 accepts (0..255), and the TPG LUN numbers (0..65535). */
export const MAPPED_LUN_MAX = 255;
export const TPG_LUN_MAX = 65535;

export const tpgPath = (iqn: string, tag: number) => `iscsi/${iqn}/tpgt_${tag}`;

/** A link name as rtslib makes them: the last 10 characters of a UUID4 (10 hex digits). */
export function newAlias(): string {
  return randomBytes(5).toString('hex');
}

export interface LunRef {
  index: number;
  /** `iscsi/<iqn>/tpgt_<t>/lun/lun_<n>`. */
  path: string;
  alias: string | undefined;
  /** The linked storage object (`core/<hba>/<name>`), undefined for a LUN without a link. */
  storageObject: string | undefined;
}

export interface MappedLunRef {
  index: number;
  path: string;
  alias: string | undefined;
  /** The TPG LUN the link resolves to (its path), undefined when broken or missing. */
  lun: string | undefined;
}

export interface AclRef {
  node: string;
  path: string;
  /** The group tag, '' when none. */
  tag: string;
}

function indexOf(dir: string): number | undefined {
  const m = /^lun_(\d{1,10})$/.exec(dir);
  return m ? Number(m[1]) : undefined;
}

function linkIn(tree: ConfigfsTree, dir: string): { alias: string | undefined; to: string | undefined } {
  const alias = tree.entries(dir).links[0];
  return { alias, to: alias === undefined ? undefined : tree.resolve(`${dir}/${alias}`) };
}

/** Makes `iscsi/` (the kernel loads iscsi_target_mod on this mkdir) when it is not there yet. */
export function ensureIscsiFabric(tree: ConfigfsTree): void {
  if (tree.isDir('iscsi')) return;
  try {
    tree.mkdir('iscsi');
  } catch (err) {
    if (errnoOf((err as LsmError).cause) === 'EINVAL') {
      throw new LsmError(ErrorNumber.NO_SUPPORT, 'The kernel could not load its iSCSI target (iscsi_target_mod): install it or load it with "modprobe iscsi_target_mod"');
    }
    throw err;
  }
}

export interface TpgSetup {
  iqn: string;
  tag: number;
  portals: readonly Portal[];
}

/**
 * Makes the target and its TPG as targetcli does when they are missing: target, tpgt_<tag>, authentication 0
 * (CHAP is then required per initiator, through the ACL's own attribute), the configured portals, enable.
 * Returns whether anything was made.
 */
export function ensureTpg(tree: ConfigfsTree, setup: TpgSetup): boolean {
  const tpg = tpgPath(setup.iqn, setup.tag);
  if (tree.isDir(tpg)) return false;
  ensureIscsiFabric(tree);
  if (!tree.isDir(`iscsi/${setup.iqn}`)) tree.mkdir(`iscsi/${setup.iqn}`);
  tree.mkdir(tpg);
  tree.write(`${tpg}/attrib/authentication`, '0');
  for (const portal of setup.portals) addPortal(tree, tpg, portal);
  tree.write(`${tpg}/enable`, '1');
  return true;
}

export function addPortal(tree: ConfigfsTree, tpg: string, portal: Portal): void {
  const dir = `${tpg}/np/${portalDir(portal)}`;
  try {
    tree.mkdir(dir);
  } catch (err) {
    const code = errnoOf((err as LsmError).cause);
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL') {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `The kernel cannot listen on portal ${portalDir(portal)}: ${code === 'EADDRINUSE'
        ? 'another portal on that port conflicts with it (a wildcard and a specific address cannot share a port)'
        : 'the address is not one of this machine\'s'}; fix "portals" in the lio configuration`, null, { cause: err });
    }
    throw err;
  }
}

/** The TPG's portals, as `ip:port` directory names. */
export function listPortals(tree: ConfigfsTree, tpg: string): string[] {
  return tree.dirs(`${tpg}/np`);
}

/** TPG LUN `index` with the object it links to. */
export function readLun(tree: ConfigfsTree, tpg: string, index: number): LunRef {
  const path = `${tpg}/lun/lun_${index}`;
  const { alias, to } = linkIn(tree, path);
  return { index, path, alias, storageObject: to };
}

/** Every TPG LUN with the object it links to. */
export function listLuns(tree: ConfigfsTree, tpg: string): LunRef[] {
  const out: LunRef[] = [];
  for (const dir of tree.dirs(`${tpg}/lun`)) {
    const index = indexOf(dir);
    if (index !== undefined) out.push(readLun(tree, tpg, index));
  }
  return out.sort((a, b) => a.index - b.index);
}

function lowestFree(used: Iterable<number>, max: number, what: string): number {
  const taken = new Set(used);
  for (let i = 0; i <= max; i++) if (!taken.has(i)) return i;
  throw new LsmError(ErrorNumber.NOT_ENOUGH_SPACE, `No free ${what} number is left (0-${max} are all in use)`);
}

/** Exports the storage object at `soPath` as a new TPG LUN (lowest free number), as rtslib's LUN() does. */
export function createLun(tree: ConfigfsTree, tpg: string, soPath: string, options: { index?: number; alias?: string } = {}): LunRef {
  const index = options.index ?? lowestFree(tree.dirs(`${tpg}/lun`).map(indexOf).filter((i): i is number => i !== undefined), TPG_LUN_MAX, 'LUN');
  const path = `${tpg}/lun/lun_${index}`;
  const alias = options.alias ?? newAlias();
  tree.mkdir(path);
  tree.symlink(soPath, `${path}/${alias}`);
  return { index, path, alias, storageObject: soPath };
}

export function removeLun(tree: ConfigfsTree, lun: LunRef): void {
  if (lun.alias !== undefined) tree.unlink(`${lun.path}/${lun.alias}`);
  tree.rmdir(lun.path);
}

/** The node ACLs of a TPG with their tags. */
export function listAcls(tree: ConfigfsTree, tpg: string): AclRef[] {
  return tree.dirs(`${tpg}/acls`).map((node) => {
    const path = `${tpg}/acls/${node}`;
    return { node, path, tag: tree.readOptional(`${path}/tag`) ?? '' };
  });
}

/** Mapped LUN `index` of an ACL with the TPG LUN its link resolves to. */
export function readMappedLun(tree: ConfigfsTree, aclPath: string, index: number): MappedLunRef {
  const path = `${aclPath}/lun_${index}`;
  const { alias, to } = linkIn(tree, path);
  return { index, path, alias, lun: to };
}

/** The mapped LUNs of an ACL with the TPG LUN each resolves to. */
export function listMappedLuns(tree: ConfigfsTree, aclPath: string): MappedLunRef[] {
  const out: MappedLunRef[] = [];
  for (const dir of tree.dirs(aclPath)) {
    const index = indexOf(dir);
    if (index !== undefined) out.push(readMappedLun(tree, aclPath, index));
  }
  return out.sort((a, b) => a.index - b.index);
}

export function createAcl(tree: ConfigfsTree, tpg: string, node: string, tag: string): AclRef {
  const path = `${tpg}/acls/${node}`;
  try {
    tree.mkdir(path);
  } catch (err) {
    if (errnoOf((err as LsmError).cause) === 'EEXIST') {
      throw new LsmError(ErrorNumber.EXISTS_INITIATOR, `Initiator ${describeForMessage(node)} already has an ACL in ${tpg}`);
    }
    throw err;
  }
  if (tag !== '') tree.write(`${path}/tag`, tag);
  return { node, path, tag };
}

/** Maps TPG LUN `lunPath` into the ACL as LUN `index` (what that initiator sees). */
export function createMappedLun(tree: ConfigfsTree, aclPath: string, index: number, lunPath: string, options: { alias?: string; writeProtect?: boolean } = {}): MappedLunRef {
  const path = `${aclPath}/lun_${index}`;
  const alias = options.alias ?? newAlias();
  tree.mkdir(path);
  tree.symlink(lunPath, `${path}/${alias}`);
  tree.write(`${path}/write_protect`, options.writeProtect ? '1' : '0');
  return { index, path, alias, lun: lunPath };
}

/** Removes a mapped LUN; on undo the journal makes it and its link again, then puts write_protect back. */
export function removeMappedLun(tree: ConfigfsTree, mapped: MappedLunRef): void {
  const wp = tree.readOptional(`${mapped.path}/write_protect`);
  if (wp !== undefined) tree.journal?.undo(`put ${mapped.path}/write_protect back`, () => tree.write(`${mapped.path}/write_protect`, wp));
  if (mapped.alias !== undefined) tree.unlink(`${mapped.path}/${mapped.alias}`);
  tree.rmdir(mapped.path);
}

/** The lowest mapped-LUN number free in every one of `acls`. */
export function freeMappedLun(mappedPerAcl: readonly (readonly { index: number }[])[]): number {
  return lowestFree(mappedPerAcl.flatMap((list) => list.map((m) => m.index)), MAPPED_LUN_MAX, 'mapped LUN');
}

export const CHAP_FILES = ['userid', 'password', 'userid_mutual', 'password_mutual'] as const;
export type ChapValues = Record<(typeof CHAP_FILES)[number], string>;

/** The CHAP settings in an auth/ directory; the kernel's "NULL" reads as ''. */
export function readChap(tree: ConfigfsTree, dir: string): ChapValues {
  const get = (f: string) => {
    const v = tree.readOptional(`${dir}/auth/${f}`) ?? '';
    return v === 'NULL' ? '' : v;
  };
  return { userid: get('userid'), password: get('password'), userid_mutual: get('userid_mutual'), password_mutual: get('password_mutual') };
}
