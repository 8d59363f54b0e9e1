/**
 * The configuration to save after a change: the whole tree, as targetcli saves it, but without reading all of
 * it again. A full dump reads some 85 attribute files per storage object, so re-reading 1,000 volumes after
 * each change would make every change slow. Instead the previous saveconfig.json is the base: objects the change
 * touched are dumped afresh, the tree's structure (which objects, LUNs, ACLs and mapped LUNs exist) is listed
 * and reconciled with the base (new ones dumped, vanished ones dropped), and everything else is reused as it
 * was saved. What this cannot see is an attribute changed behind our back by another tool without saving;
 * targetcli saves on exit, and a full dump (`touched = 'all'`) is always available.
 */
import { type StorageObjectRef, soKey } from '../configfs/backstores.js';
import { listPortals, readLun } from '../configfs/iscsi.js';
import type { ConfigfsTree } from '../configfs/tree.js';
import {
  dumpAcl, dumpAttributes, dumpChap, dumpFabricModules, dumpLun, dumpMappedLun, dumpParameters, dumpPortal,
  dumpStorageObject, isConfigured,
} from './dump.js';
import type { LunDump, MappedLunDump, NodeAclDump, SaveConfig, StorageObjectDump, TargetDump, TpgDump } from './format.js';

/** What a change touched, so that exactly that is read again. */
export class Touched {
  readonly storageObjects = new Set<string>();
  readonly tpgs = new Set<string>();
  readonly luns = new Set<string>();
  readonly acls = new Set<string>();
  readonly mappedLuns = new Set<string>();

  storageObject(so: { plugin: string; name: string }): void {
    this.storageObjects.add(soKey(so));
  }

  tpg(iqn: string, tag: number): void {
    this.tpgs.add(`${iqn}#${tag}`);
  }

  lun(iqn: string, tag: number, index: number): void {
    this.luns.add(`${iqn}#${tag}#${index}`);
  }

  /** The ACL itself: its attributes, tag or CHAP, or the ACL made or removed. */
  acl(iqn: string, tag: number, node: string): void {
    this.acls.add(`${iqn}#${tag}#${node}`);
  }

  /** One mapped LUN of an ACL, made or removed. */
  mappedLun(iqn: string, tag: number, node: string, index: number): void {
    this.mappedLuns.add(`${iqn}#${tag}#${node}#${index}`);
  }
}

const byString = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

function lunNumber(dir: string): number | undefined {
  const m = /^lun_(\d{1,10})$/.exec(dir);
  return m ? Number(m[1]) : undefined;
}

/**
 * The saveconfig document for the tree now. `previous` (the last saved document) is reused where the tree did
 * not change; `touched: 'all'` or no `previous` dumps everything.
 */
export async function buildSaveConfig(
  tree: ConfigfsTree, objects: readonly StorageObjectRef[], previous: SaveConfig | undefined, touched: Touched | 'all',
): Promise<SaveConfig> {
  const all = touched === 'all' || previous === undefined;
  const t = touched === 'all' ? new Touched() : touched;
  const prevObjects = new Map((previous?.storage_objects ?? []).map((so) => [soKey(so), so]));
  const storageObjects: StorageObjectDump[] = [];
  for (const so of objects) {
    const key = soKey(so);
    const prev = prevObjects.get(key);
    if (!all && prev !== undefined && !t.storageObjects.has(key)) storageObjects.push(prev);
    else if (isConfigured(tree, so)) storageObjects.push(await dumpStorageObject(tree, so));
  }
  storageObjects.sort(byString((so) => `${so.plugin}/${so.name}`));

  const targets: TargetDump[] = [];
  for (const iqn of tree.dirs('iscsi')) {
    if (iqn === 'discovery_auth') continue;
    const prevTarget = all ? undefined : previous?.targets.find((x) => x.wwn === iqn && x.fabric === 'iscsi');
    const target: TargetDump = { wwn: iqn, fabric: 'iscsi', tpgs: [] };
    const parameters = prevTarget ? prevTarget.parameters : dumpParameters(tree, `iscsi/${iqn}`);
    if (parameters) target.parameters = parameters;
    for (const dir of tree.dirs(`iscsi/${iqn}`)) {
      const m = /^tpgt_(\d+)$/.exec(dir);
      if (!m) continue;
      const tag = Number(m[1]);
      target.tpgs.push(dumpTpg(tree, iqn, tag, prevTarget?.tpgs.find((x) => x.tag === tag), t));
    }
    target.tpgs.sort((a, b) => a.tag - b.tag);
    targets.push(target);
  }
  targets.sort(byString((x) => x.wwn));
  return { fabric_modules: dumpFabricModules(tree), storage_objects: storageObjects, targets };
}

function dumpTpg(tree: ConfigfsTree, iqn: string, tag: number, prev: TpgDump | undefined, t: Touched): TpgDump {
  const path = `iscsi/${iqn}/tpgt_${tag}`;
  let out: TpgDump;
  if (prev !== undefined && !t.tpgs.has(`${iqn}#${tag}`)) {
    const { luns: _l, portals: _p, node_acls: _a, ...header } = prev;
    out = { ...header, luns: [], portals: [], node_acls: [] };
  } else {
    out = { tag, enable: tree.readOptional(`${path}/enable`) !== '0', luns: [], portals: [], node_acls: [] };
    const attributes = dumpAttributes(tree, path);
    if (attributes) out.attributes = attributes;
    const parameters = dumpParameters(tree, path);
    if (parameters) out.parameters = parameters;
    dumpChap(tree, path, out);
  }
  out.portals = listPortals(tree, path).map((dir) => dumpPortal(tree, path, dir)).sort(byString((p) => `${p.ip_address}:${p.port}`));

  const prevLuns = new Map((prev?.luns ?? []).map((l) => [l.index, l]));
  for (const dir of tree.dirs(`${path}/lun`)) {
    const index = lunNumber(dir);
    if (index === undefined) continue;
    const reuse = prevLuns.get(index);
    if (reuse !== undefined && !t.luns.has(`${iqn}#${tag}#${index}`)) {
      out.luns.push(reuse);
      continue;
    }
    const dumped: LunDump | undefined = dumpLun(tree, readLun(tree, path, index));
    if (dumped) out.luns.push(dumped);
  }
  out.luns.sort((a, b) => a.index - b.index);

  const lunIndex = (lunPath: string) => (lunPath.startsWith(`${path}/lun/`) ? lunNumber(lunPath.slice(path.length + 5)) : undefined);
  const prevAcls = new Map((prev?.node_acls ?? []).map((a) => [a.node_wwn, a]));
  for (const node of tree.dirs(`${path}/acls`)) {
    const aclPath = `${path}/acls/${node}`;
    const reuse: NodeAclDump | undefined = prevAcls.get(node);
    const key = `${iqn}#${tag}#${node}`;
    if (reuse === undefined || t.acls.has(key)) {
      const dumped = dumpAcl(tree, { node, path: aclPath, tag: tree.readOptional(`${aclPath}/tag`) ?? '' }, lunIndex);
      dumped.mapped_luns.sort((a, b) => a.index - b.index);
      out.node_acls.push(dumped);
      continue;
    }
    // The ACL as saved, with its mapped LUNs reconciled one by one: only new or touched ones are read.
    const savedLuns = new Map(reuse.mapped_luns.map((m) => [m.index, m]));
    const mapped: MappedLunDump[] = [];
    for (const index of tree.dirs(aclPath).map(lunNumber).filter((n): n is number => n !== undefined)) {
      const kept = savedLuns.get(index);
      if (kept !== undefined && !t.mappedLuns.has(`${key}#${index}`)) mapped.push(kept);
      else {
        const fresh = dumpMappedLun(tree, aclPath, index, lunIndex);
        if (fresh) mapped.push(fresh);
      }
    }
    out.node_acls.push({ ...reuse, mapped_luns: mapped.sort((a, b) => a.index - b.index) });
  }
  out.node_acls.sort(byString((a) => a.node_wwn));
  return out;
}
