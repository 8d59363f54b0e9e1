/**
 * The migration plan: tgtd's targets as LIO will hold them, as a targetcli saveconfig document, and every item
 * LIO cannot take faithfully, each refused with the target it belongs to and what to do about it. Pure but for
 * the `backing` callback (what a backing path is), so every rule is tested without tgtd or configfs.
 *
 * The mapping: one LIO iSCSI target per tgtd target (same name, lower-cased as LIO stores it), TPG 1, tgtd's
 * portals; each data LUN a TPG LUN of the same number, served by a fileio object (a file) or a block object (a
 * device), one object per backing path however many targets export it; each initiator-name rule an ACL mapping
 * every LUN at its tgtd number, so initiators see the LUNs where they saw them; the target's incoming account
 * the CHAP credentials of every ACL, its outgoing account the mutual ones. ACLs of one target share a tag, which
 * makes them one access group for lio:// and targetd.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describeForMessage, ErrorNumber } from '@openlsm/core';
import {
  isTagName, MAPPED_LUN_MAX, normalizeIscsiName, parsePortal, type Portal, portalDir, type SaveConfig, soKey,
  validateChapValue, validateFileioPath, validateVolumeName, type NodeAclDump,
} from '@openlsm/plugin-lio';
import { isInitiatorNameRule, type TgtdTarget } from '@openlsm/plugin-tgt';
import type { TgtSnapshot } from './tgt-source.js';

export type BackingKind = { kind: 'file'; sizeBytes: bigint } | { kind: 'block' } | { kind: 'missing' } | { kind: 'other'; what: string };

export interface LioInventory {
  /** Target names already in LIO. */
  targets: ReadonlySet<string>;
  /** saveconfig keys (`/backstores/<plugin>/<name>`) of the storage objects already in LIO. */
  objects: ReadonlySet<string>;
  /** Backing file or device -> the key of the LIO object already serving it. */
  devices: ReadonlyMap<string, string>;
}

export interface PlanOptions {
  /** Portals for every migrated target instead of tgtd's; [] for none. */
  portals?: readonly string[];
}

export interface PlannedLun {
  lun: number;
  path: string;
  /** `fileio/<name>` or `block/<name>`. */
  storageObject: string;
  readonly: boolean;
}

export interface PlannedTarget {
  tid: number;
  tgtName: string;
  iqn: string;
  tag: string;
  luns: PlannedLun[];
  initiators: string[];
  inUser: string | null;
  outUser: string | null;
}

export interface Refusal {
  /** The tgtd target (or `tgtd` for what concerns no one target). */
  target: string;
  reason: string;
  code: number;
}

export interface Plan {
  portals: string[];
  targets: PlannedTarget[];
  storageObjects: { plugin: 'fileio' | 'block'; name: string; dev: string; sizeBytes: bigint }[];
  refusals: Refusal[];
  /** What changes in passing (a name lower-cased, a portal dropped), for the admin to know. */
  notes: string[];
  /** The document to restore; holds CHAP secrets. */
  saveconfig: SaveConfig;
}

const TPG_TAG = 1;

function message(err: unknown): string {
  return (err as Error).message;
}

/**
 * tgtd listens on 0.0.0.0:P and [::]:P by default. In the kernel a [::] portal (dual-stack) and a 0.0.0.0 one
 * on the same port conflict (EADDRINUSE), so [::]:P alone stands for both, as targetcli's default does.
 */
function choosePortals(snapshot: TgtSnapshot, options: PlanOptions, refusals: Refusal[], notes: string[]): Portal[] {
  const given = options.portals ?? snapshot.portals.map((p) => p.address);
  const out: Portal[] = [];
  for (const text of given) {
    try {
      const portal = parsePortal(text);
      if (!out.some((p) => portalDir(p) === portalDir(portal))) out.push(portal);
    } catch (err) {
      refusals.push({ target: 'tgtd', reason: `portal ${describeForMessage(text)}: ${message(err)}`, code: ErrorNumber.INVALID_ARGUMENT });
    }
  }
  return out.filter((p) => {
    const dropped = p.ip === '0.0.0.0' && out.some((q) => q.ip === '[::]' && q.port === p.port);
    if (dropped) notes.push(`portal 0.0.0.0:${p.port} is covered by [::]:${p.port} (LIO refuses both on one port)`);
    return !dropped;
  });
}

function tagFor(snapshot: TgtSnapshot, target: TgtdTarget, iqn: string): string {
  const group = snapshot.groupNames.get(target.name);
  if (group !== undefined && isTagName(group)) return group;
  const tail = iqn.slice(iqn.lastIndexOf(':') + 1).replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 63);
  return isTagName(tail) ? tail : '';
}

interface Builder {
  snapshot: TgtSnapshot;
  lio: LioInventory;
  backing: (file: string) => BackingKind;
  refusals: Refusal[];
  notes: string[];
  /** Backing path -> planned object. */
  objects: Map<string, Plan['storageObjects'][number]>;
  usedNames: Set<string>;
}

function objectName(b: Builder, plugin: 'fileio' | 'block', file: string): string {
  let base: string;
  try {
    base = validateVolumeName(path.basename(file));
  } catch {
    base = 'tgt-lun';
  }
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const key = soKey({ plugin, name });
    if (!b.lio.objects.has(key) && !b.usedNames.has(key)) {
      b.usedNames.add(key);
      return name;
    }
  }
}

function planLuns(b: Builder, target: TgtdTarget, refuse: (reason: string) => void): PlannedLun[] {
  const luns: PlannedLun[] = [];
  for (const lun of target.luns) {
    if (lun.lun === 0 && lun.type === 'controller') continue;
    const what = `LUN ${lun.lun}`;
    if (lun.type !== 'disk') { refuse(`${what} is a ${lun.type || 'non-disk'} device; only disks are carried over to LIO`); continue; }
    if (lun.backingStoreType !== 'rdwr') { refuse(`${what} uses tgtd's "${lun.backingStoreType}" backing store; only rdwr (a file or block device) is carried over`); continue; }
    if (lun.lun > MAPPED_LUN_MAX) { refuse(`${what} is above ${MAPPED_LUN_MAX}, the highest LUN LIO's tools (rtslib) map`); continue; }
    if (lun.path === null) { refuse(`${what} has no backing store`); continue; }
    try {
      validateFileioPath(lun.path);
    } catch (err) {
      refuse(`${what}: ${message(err)}`);
      continue;
    }
    let planned = b.objects.get(lun.path);
    if (planned === undefined) {
      const existing = b.lio.devices.get(lun.path);
      if (existing !== undefined) { refuse(`${what}: ${lun.path} is already served by LIO's storage object ${existing}`); continue; }
      const kind = b.backing(lun.path);
      if (kind.kind === 'missing') { refuse(`${what}: its backing store ${lun.path} does not exist`); continue; }
      if (kind.kind === 'other') { refuse(`${what}: its backing store ${lun.path} is ${kind.what}, neither a file nor a block device`); continue; }
      if (kind.kind === 'file' && kind.sizeBytes === 0n) { refuse(`${what}: its backing file ${lun.path} is empty`); continue; }
      const plugin = kind.kind === 'file' ? 'fileio' : 'block';
      planned = { plugin, name: objectName(b, plugin, lun.path), dev: lun.path, sizeBytes: kind.kind === 'file' ? kind.sizeBytes : 0n };
      b.objects.set(lun.path, planned);
    }
    luns.push({ lun: lun.lun, path: lun.path, storageObject: `${planned.plugin}/${planned.name}`, readonly: lun.readonly });
  }
  return luns;
}

function planChap(b: Builder, target: TgtdTarget, refuse: (reason: string) => void): { inUser: string | null; outUser: string | null } {
  if (target.incomingAccounts.length > 1) {
    refuse(`${target.incomingAccounts.length} incoming CHAP accounts (${target.incomingAccounts.join(', ')}) are bound to it, and tgtd accepts any of them from every initiator; LIO keeps one CHAP user per initiator: bind one shared account (lsmcli iscsi-chap with the same --in-user for every initiator of the group, or tgtadm --op unbind --mode account)`);
  }
  const inUser = target.incomingAccounts.length === 1 ? target.incomingAccounts[0] as string : null;
  const outUser = target.outgoingAccount;
  if (outUser !== null && inUser === null) refuse(`outgoing account ${outUser} without an incoming one: LIO's mutual CHAP needs the initiator's credentials too`);
  for (const [user, direction] of [[inUser, 'incoming'], [outUser, 'outgoing']] as const) {
    if (user === null) continue;
    const problem = b.snapshot.uncertain.has(user)
      ? `the secret of ${direction} account ${user} is uncertain (a change of the tgt plugin was interrupted): run any "lsmcli -u tgt:// ..." command to replay it, then migrate`
      : b.snapshot.secrets.conflicting.has(user)
        ? `${direction} account ${user} has two different secrets in ${b.snapshot.secretFiles.join(' and ')}`
        : !b.snapshot.secrets.secrets.has(user)
          ? `the secret of ${direction} account ${user} is unknown: tgtd never reveals secrets, and it is in none of ${b.snapshot.secretFiles.join(', ') || '(no tgt state or targets.conf was read)'}; give --targets-conf with "${direction}user ${user} <secret>"`
          : undefined;
    if (problem !== undefined) { refuse(problem); continue; }
    try {
      validateChapValue(`${direction} CHAP user`, user);
      validateChapValue(`secret of ${direction} account ${user}`, b.snapshot.secrets.secrets.get(user) as string);
    } catch (err) {
      refuse(message(err));
    }
  }
  return { inUser, outUser };
}

function planTarget(b: Builder, target: TgtdTarget, seen: Map<string, string>): PlannedTarget | undefined {
  const before = b.refusals.length;
  const refuse = (reason: string, code: number = ErrorNumber.NO_SUPPORT) => b.refusals.push({ target: target.name, reason, code });
  let iqn = '';
  try {
    iqn = normalizeIscsiName(target.name, 'target name');
  } catch (err) {
    refuse(message(err), ErrorNumber.INVALID_ARGUMENT);
  }
  if (iqn !== '') {
    if (b.lio.targets.has(iqn)) refuse(`LIO already has a target ${iqn}; migrating would merge two configurations (remove it from LIO, or leave this target on tgtd)`, ErrorNumber.NAME_CONFLICT);
    const other = seen.get(iqn);
    if (other !== undefined) refuse(`its name is ${other}'s in LIO's lower case`, ErrorNumber.NAME_CONFLICT);
    seen.set(iqn, target.name);
    if (iqn !== target.name) b.notes.push(`target ${target.name} becomes ${iqn} (LIO stores names in lower case; initiators compare them without case)`);
  }
  if (target.driver !== '' && target.driver !== 'iscsi') refuse(`its driver is ${target.driver}; only iSCSI targets are carried over`);
  const addressRules = target.acls.filter((rule) => !isInitiatorNameRule(rule));
  if (addressRules.length > 0) {
    refuse(`it admits initiators by address (${addressRules.join(', ')}); LIO's ACLs are initiator names only: replace the address rule${addressRules.length > 1 ? 's' : ''} with the initiators' names (tgtadm --op bind --mode target --initiator-name ..., then --op unbind --initiator-address ...)`);
  }
  const initiators: string[] = [];
  for (const rule of target.acls.filter(isInitiatorNameRule)) {
    try {
      const node = normalizeIscsiName(rule, 'initiator');
      if (!initiators.includes(node)) initiators.push(node);
    } catch (err) {
      refuse(message(err), ErrorNumber.INVALID_ARGUMENT);
    }
  }
  const luns = planLuns(b, target, refuse);
  const { inUser, outUser } = planChap(b, target, refuse);
  if (b.refusals.length > before) return undefined;
  return { tid: target.tid, tgtName: target.name, iqn, tag: tagFor(b.snapshot, target, iqn), luns, initiators, inUser, outUser };
}

function aclDump(b: Builder, t: PlannedTarget, node: string): NodeAclDump {
  const acl: NodeAclDump = {
    node_wwn: node,
    mapped_luns: t.luns.map((l) => ({ alias: randomUUID().slice(-10), index: l.lun, tpg_lun: l.lun, write_protect: l.readonly })),
  };
  if (t.tag !== '') acl.tag = t.tag;
  if (t.inUser !== null) {
    acl.chap_userid = t.inUser;
    acl.chap_password = b.snapshot.secrets.secrets.get(t.inUser) as string;
  }
  if (t.outUser !== null) {
    acl.chap_mutual_userid = t.outUser;
    acl.chap_mutual_password = b.snapshot.secrets.secrets.get(t.outUser) as string;
  }
  return acl;
}

/** The saveconfig document of the plan. TPGs are saved disabled: apply.ts enables them once CHAP is enforced. */
function buildDocument(b: Builder, targets: PlannedTarget[], portals: Portal[]): SaveConfig {
  return {
    fabric_modules: [],
    storage_objects: [...b.objects.values()].map((so) => (so.plugin === 'fileio'
      ? { name: so.name, plugin: so.plugin, alua_tpgs: [], dev: so.dev, size: Number(so.sizeBytes), wwn: randomUUID(), write_back: false, aio: false }
      : { name: so.name, plugin: so.plugin, alua_tpgs: [], dev: so.dev, wwn: randomUUID(), readonly: false })),
    targets: targets.map((t) => ({
      wwn: t.iqn,
      fabric: 'iscsi',
      tpgs: [{
        tag: TPG_TAG,
        enable: false,
        attributes: { authentication: 0 },
        luns: t.luns.map((l) => ({ alias: randomUUID().slice(-10), alua_tg_pt_gp_name: null, index: l.lun, storage_object: `/backstores/${l.storageObject}` })),
        portals: portals.map((p) => ({ ip_address: p.ip, iser: false, offload: false, port: p.port })),
        node_acls: t.initiators.map((node) => aclDump(b, t, node)),
      }],
    })),
  };
}

export function planMigration(snapshot: TgtSnapshot, lio: LioInventory, backing: (file: string) => BackingKind, options: PlanOptions = {}): Plan {
  const b: Builder = { snapshot, lio, backing, refusals: [], notes: [], objects: new Map(), usedNames: new Set() };
  const portals = choosePortals(snapshot, options, b.refusals, b.notes);
  const seen = new Map<string, string>();
  const targets = snapshot.targets.map((t) => planTarget(b, t, seen)).filter((t): t is PlannedTarget => t !== undefined);
  return {
    portals: portals.map(portalDir),
    targets,
    storageObjects: [...b.objects.values()],
    refusals: b.refusals,
    notes: b.notes,
    saveconfig: buildDocument(b, targets, portals),
  };
}
