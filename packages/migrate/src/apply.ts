/**
 * Making the plan real in LIO with the lio plugin's own pieces: one LioSession change (its lock, its journal, its
 * incremental saveconfig.json writer), in which lio's restore code builds the planned document, CHAP is enforced
 * per ACL, the TPGs are enabled, and the tree is read back and compared with the plan. Any refusal, skipped
 * setting or difference throws, and the session's journal (plus the removal of the storage objects the restore
 * made) leaves LIO, saveconfig.json and lio's state file as they were. Nothing already in LIO is touched.
 */
import { ErrorNumber, LsmError } from '@openlsm/core';
import {
  buildSaveConfig, type ConfigfsTree, infoValue, type LioSession, readBackingPath, removeStorageObject, type SaveConfig, scanStorageObjects, soKey,
  type StorageObjectDump, type StorageObjectRef,
} from '@openlsm/plugin-lio';
import type { LioInventory, Plan } from './plan.js';

/** What LIO holds now, to plan against: target names, storage objects and the files they serve. */
export function lioInventory(session: LioSession): Promise<LioInventory> {
  return session.view((view) => {
    const targets = new Set(view.tree.dirs('iscsi').filter((d) => d !== 'discovery_auth'));
    const { objects: refs } = scanStorageObjects(view.tree);
    const objects = new Set(refs.map(soKey));
    const devices = new Map<string, string>();
    for (const so of refs) {
      let dev = '';
      try {
        dev = readBackingPath(view.tree, so);
      } catch {
        // an object without its info file (a backend openlsm does not know) serves no file we plan to
      }
      if (dev !== '') devices.set(dev, `${so.plugin}/${so.name}`);
    }
    return { targets, objects, devices };
  });
}

/** What the migration sets on a storage object, read back: backing path, serial, and a file's size. */
function readObject(tree: ConfigfsTree, so: StorageObjectRef): StorageObjectDump {
  const serial = tree.read(`${so.path}/wwn/vpd_unit_serial`);
  const out: StorageObjectDump = { name: so.name, plugin: so.plugin, alua_tpgs: [], dev: readBackingPath(tree, so), wwn: serial.slice(serial.indexOf(':') + 1).trim() };
  if (so.plugin === 'fileio') out.size = Number(infoValue(tree.read(`${so.path}/info`), 'Size') ?? -1);
  return out;
}

/** The part of a saveconfig document the migration decides, in a stable order, to compare plan and tree. */
function projection(doc: SaveConfig, iqns: ReadonlySet<string>, keys: ReadonlySet<string>): unknown {
  const sorted = <T>(list: T[], key: (t: T) => string | number) => [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    storage_objects: sorted(doc.storage_objects.filter((so) => keys.has(soKey(so))), (so) => soKey(so))
      .map((so) => ({ key: soKey(so), dev: so.dev, wwn: so.wwn, size: so.plugin === 'fileio' ? so.size : undefined })),
    targets: sorted(doc.targets.filter((t) => iqns.has(t.wwn)), (t) => t.wwn).map((t) => ({
      wwn: t.wwn,
      tpgs: t.tpgs.map((tpg) => ({
        tag: tpg.tag,
        luns: sorted(tpg.luns, (l) => l.index).map((l) => [l.index, l.storage_object]),
        portals: sorted(tpg.portals, (p) => `${p.ip_address}:${p.port}`).map((p) => `${p.ip_address}:${p.port}`),
        node_acls: sorted(tpg.node_acls, (a) => a.node_wwn).map((a) => ({
          node: a.node_wwn,
          tag: a.tag ?? '',
          mapped: sorted(a.mapped_luns, (m) => m.index).map((m) => [m.index, m.tpg_lun, m.write_protect]),
          chap: [a.chap_userid ?? '', a.chap_password ?? '', a.chap_mutual_userid ?? '', a.chap_mutual_password ?? ''],
        })),
      })),
    })),
  };
}

/** The first target or object whose read-back differs from the plan (names only: CHAP secrets stay out of messages). */
function firstDifference(want: unknown, got: unknown): string {
  const w = want as { storage_objects: { key: string }[]; targets: { wwn: string }[] };
  const g = got as typeof w;
  for (const so of w.storage_objects) {
    const other = g.storage_objects.find((x) => x.key === so.key);
    if (JSON.stringify(other) !== JSON.stringify(so)) return `storage object ${so.key}`;
  }
  for (const t of w.targets) {
    const other = g.targets.find((x) => x.wwn === t.wwn);
    if (JSON.stringify(other) !== JSON.stringify(t)) return `target ${t.wwn}`;
  }
  return 'the list of targets and objects';
}

export interface ApplyOptions {
  /** Called inside the change once the tree is built, before it is checked (tests use it to break things). */
  afterRestore?: () => void;
}

export async function applyPlan(session: LioSession, plan: Plan, options: ApplyOptions = {}): Promise<void> {
  const iqns = new Set(plan.targets.map((t) => t.iqn));
  const keys = new Set(plan.saveconfig.storage_objects.map(soKey));
  await session.change(async (change) => {
    const tree = change.tree;
    for (const iqn of iqns) {
      if (tree.isDir(`iscsi/${iqn}`)) throw new LsmError(ErrorNumber.NAME_CONFLICT, `LIO already has a target ${iqn} (made while the migration was planned); nothing was changed`);
    }
    // lio's restore keeps a storage object's steps in a journal of its own; this runs last in the rollback,
    // after the LUNs that link to the objects are gone.
    change.journal.undo('remove the storage objects the migration made', () => {
      for (const so of scanStorageObjects(tree).objects) if (keys.has(soKey(so))) removeStorageObject(tree, so);
    });
    const skipped = session.restore(plan.saveconfig, false);
    if (skipped.length > 0) {
      throw new LsmError(ErrorNumber.PLUGIN_BUG, `LIO refused part of the migration (${skipped.join('; ')}); everything it made was removed again`);
    }
    for (const t of plan.targets) {
      const tpg = `iscsi/${t.iqn}/tpgt_1`;
      if (t.inUser !== null) {
        // tgtd asks every initiator of a target with an account to authenticate; LIO does per ACL where the
        // kernel has the attribute, else for the whole TPG (every ACL of it has the credentials).
        const perAcl = t.initiators.every((node) => tree.exists(`${tpg}/acls/${node}/attrib/authentication`));
        if (perAcl) for (const node of t.initiators) tree.write(`${tpg}/acls/${node}/attrib/authentication`, '1');
        else tree.write(`${tpg}/attrib/authentication`, '1');
      }
      tree.write(`${tpg}/enable`, '1');
      change.journal.undo(`disable ${tpg}`, () => tree.write(`${tpg}/enable`, '0'));
    }
    options.afterRestore?.();
    // The targets as lio's writer dumps them; the storage objects by what the migration set (a full dump of an
    // object reads some 85 attributes, and the session's save after this reads them anyway).
    const now = await buildSaveConfig(tree, [], session.readSaveConfig(), change.touched);
    now.storage_objects = change.scan().objects.filter((so) => keys.has(soKey(so))).map((so) => readObject(tree, so));
    const want = projection(plan.saveconfig, iqns, keys);
    const got = projection(now, iqns, keys);
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      throw new LsmError(ErrorNumber.PLUGIN_BUG, `LIO does not hold what the migration made: ${firstDifference(want, got)} reads back differently; everything it made was removed again`);
    }
    const disabled = now.targets.filter((t) => iqns.has(t.wwn) && t.tpgs.some((tpg) => !tpg.enable));
    if (disabled.length > 0) throw new LsmError(ErrorNumber.PLUGIN_BUG, `LIO did not enable ${disabled.map((t) => t.wwn).join(', ')}; everything the migration made was removed again`);
  });
}
