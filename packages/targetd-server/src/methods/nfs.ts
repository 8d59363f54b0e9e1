/**
 * NFS exports: `nfs_export_auth_list`, `nfs_export_list`, `nfs_export_add`, `nfs_export_remove`.
 *
 * targetd's model is one (host, path, options) line of exportfs per host; lsm's is one export per path with
 * lists of read-write, read-only and root hosts and one set of options. A targetd export therefore becomes a
 * host in the lsm export at that path (made at the file system's `full_path`), and the options of all hosts
 * of one path must agree; `nfs_export_add` says so instead of silently changing another host's options.
 * Adding or removing a host of a shared path replaces the lsm export; if the replacement fails, the previous
 * export is put back.
 *
 * Options are targetd's: the exports(5) flags it knows and `key=value` for mountpoint, mp, fsid, refer,
 * replicas, anonuid, anongid and sec. An unknown option is -32602 (targetd answers -32601, method not found).
 */
import { AnonUidGid, Capability, type NfsExport } from '@openlsm/core';
import { asTargetd, nameForMessage, TargetdCode, TargetdError } from '../errors.js';
import { INVALID_ARGUMENTS, nullable, optional, type Param, string } from '../params.js';
import type { BackendView } from '../view.js';
import { fullPath, offeredFileSystems } from './fs.js';
import { method, type MethodTable } from './method.js';
import { withMasking } from './masks.js';

const FLAGS = new Set([
  'secure', 'rw', 'ro', 'sync', 'async', 'no_wdelay', 'nohide', 'cross_mnt', 'no_subtree_check', 'insecure_locks',
  'root_squash', 'all_squash', 'wdelay', 'hide', 'insecure', 'no_root_squash', 'no_all_squash',
]);
const KEYS = new Set(['mountpoint', 'mp', 'fsid', 'refer', 'replicas', 'anonuid', 'anongid', 'sec']);
const EXCLUSIVE: [string, string, string][] = [
  ['rw', 'ro', 'Both RO & RW set'], ['insecure', 'secure', 'Both INSECURE & SECURE set'],
  ['sync', 'async', 'Both SYNC & ASYNC set'], ['hide', 'nohide', 'Both HIDE & NOHIDE set'],
  ['wdelay', 'no_wdelay', 'Both WDELAY & NO_WDELAY set'],
  ['root_squash', 'no_root_squash', 'Only one option of ROOT_SQUASH, NO_ROOT_SQUASH, can be specified'],
];
/** Host forms of exports(5): names, addresses, networks, @netgroups, wildcards. */
const HOST_RE = /^[A-Za-z0-9*?.:/@_[\]-]{1,255}$/;
const VALUE_RE = /^[A-Za-z0-9_.:/@+-]{1,1024}$/;

/** What one host's options ask of the export. */
interface HostOptions {
  write: boolean;
  rootSquash: boolean;
  anonUid: number;
  anonGid: number;
  sec: string | null;
  /** Options passed on as they are (`sync`, `fsid=1`, ...). */
  extra: string[];
}

function invalid(message: string): TargetdError {
  return new TargetdError(TargetdCode.INVALID_ARGUMENT, message);
}

/** `options`: a list of option strings, one string, or null (targetd accepts all three). */
const optionList: Param<string[]> = {
  required: false,
  fallback: [],
  parse: (v, name) => {
    if (v === null) return [];
    if (typeof v === 'string') return v === '' ? [] : [v];
    if (Array.isArray(v) && v.every((o) => typeof o === 'string')) return v as string[];
    throw invalid(`${INVALID_ARGUMENTS}: ${name} must be a list of export options`);
  },
};

export function parseHostOptions(options: readonly string[]): HostOptions {
  const flags = new Set<string>();
  const out: HostOptions = { write: false, rootSquash: true, anonUid: AnonUidGid.NA, anonGid: AnonUidGid.NA, sec: null, extra: [] };
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq < 0) {
      if (!FLAGS.has(option)) throw invalid(`option ${nameForMessage(option)} not valid`);
      flags.add(option);
      if (option !== 'rw' && option !== 'ro' && option !== 'root_squash' && option !== 'no_root_squash') out.extra.push(option);
      continue;
    }
    const key = option.slice(0, eq);
    const value = option.slice(eq + 1);
    if (!KEYS.has(key)) throw invalid(`option ${nameForMessage(key)} not valid`);
    if (!VALUE_RE.test(value)) throw invalid(`option ${key} has an invalid value ${nameForMessage(value)}`);
    if (key === 'anonuid' || key === 'anongid') {
      const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
      if (!(n <= 0xffffffff)) throw invalid(`option ${key} must be a number from 0 to 4294967295`);
      if (key === 'anonuid') out.anonUid = n;
      else out.anonGid = n;
    } else if (key === 'sec') out.sec = value;
    else out.extra.push(option);
  }
  for (const [a, b, message] of EXCLUSIVE) if (flags.has(a) && flags.has(b)) throw invalid(message);
  // exportfs exports read-only unless told rw.
  out.write = flags.has('rw');
  out.rootSquash = !flags.has('no_root_squash');
  return out;
}

function optionsOf(exp: NfsExport, host: string): string[] {
  const out = [exp.rw.includes(host) ? 'rw' : 'ro', exp.root.includes(host) ? 'no_root_squash' : 'root_squash'];
  if (exp.anonuid !== AnonUidGid.NA) out.push(`anonuid=${exp.anonuid}`);
  if (exp.anongid !== AnonUidGid.NA) out.push(`anongid=${exp.anongid}`);
  // An export made without an auth type has none (lsm's simulator stores an empty string).
  if (exp.auth !== '') out.push(`sec=${exp.auth}`);
  out.push(...exp.options.split(',').filter((o) => o !== ''));
  return out;
}

/** The lsm export asked for: `base` (the path's current export, if any) with `host` set to `wanted` or removed. */
interface ExportPlan {
  fsId: string;
  path: string;
  rw: string[];
  ro: string[];
  root: string[];
  anonUid: number;
  anonGid: number;
  auth: string | null;
  options: string;
}

function planFrom(exp: NfsExport): ExportPlan {
  return {
    fsId: exp.fs_id, path: exp.export_path, rw: [...exp.rw], ro: [...exp.ro], root: [...exp.root],
    anonUid: exp.anonuid, anonGid: exp.anongid, auth: exp.auth === '' ? null : exp.auth, options: exp.options,
  };
}

function withoutHost(plan: ExportPlan, host: string): ExportPlan {
  const drop = (l: string[]) => l.filter((h) => h !== host);
  return { ...plan, rw: drop(plan.rw), ro: drop(plan.ro), root: drop(plan.root) };
}

/** Merges `wanted` for `host` into `plan`; a setting that the path's other hosts have differently is refused. */
function withHost(plan: ExportPlan, host: string, wanted: HostOptions, shared: boolean): ExportPlan {
  const extra = wanted.extra.join(',');
  const shown = (v: unknown) => (v === null || v === '' ? '(none)' : String(v));
  const clash = (what: string, mine: unknown, theirs: unknown) => invalid(
    `${plan.path} is exported to other hosts with ${what} ${shown(theirs)}; all hosts of one path share it, and ${shown(mine)} was asked`);
  const next = withoutHost(plan, host);
  if (shared) {
    if (wanted.anonUid !== AnonUidGid.NA && wanted.anonUid !== plan.anonUid) throw clash('anonuid', wanted.anonUid, plan.anonUid);
    if (wanted.anonGid !== AnonUidGid.NA && wanted.anonGid !== plan.anonGid) throw clash('anongid', wanted.anonGid, plan.anonGid);
    if (wanted.sec !== null && wanted.sec !== plan.auth) throw clash('sec', wanted.sec, plan.auth);
    if (extra !== '' && extra !== plan.options) throw clash('options', extra, plan.options);
  } else {
    next.anonUid = wanted.anonUid;
    next.anonGid = wanted.anonGid;
    next.auth = wanted.sec;
    next.options = extra;
  }
  (wanted.write ? next.rw : next.ro).push(host);
  if (!wanted.rootSquash) next.root.push(host);
  return next;
}

function exportFs(view: BackendView, plan: ExportPlan): Promise<NfsExport> {
  return asTargetd('nfs_export', () => view.call((c, o) => c.exportFs({
    fs_id: plan.fsId, export_path: plan.path, root_list: plan.root, rw_list: plan.rw, ro_list: plan.ro,
    anon_uid: plan.anonUid, anon_gid: plan.anonGid, auth_type: plan.auth, options: plan.options === '' ? null : plan.options,
  }, o)));
}

async function removeExport(view: BackendView, exp: NfsExport): Promise<void> {
  await asTargetd('nfs_export', () => view.call((c, o) => c.exportRemove({ export: exp }, o)));
}

/** Replaces `current` by `plan` (or removes it when `plan` has no host), restoring `current` if that fails. */
async function replaceExport(view: BackendView, current: NfsExport, plan: ExportPlan): Promise<void> {
  await removeExport(view, current);
  if (plan.rw.length === 0 && plan.ro.length === 0) return;
  try {
    await exportFs(view, plan);
  } catch (err) {
    await exportFs(view, planFrom(current)).catch((e: Error) => {
      view.state.log.error('NFS export lost: cannot restore it after a failed change', { path: current.export_path, error: e.message });
    });
    throw err;
  }
}

/** The exports of the offered file systems. */
async function offeredExports(view: BackendView): Promise<NfsExport[]> {
  const fsIds = new Set((await offeredFileSystems(view)).map(({ fs }) => fs.id));
  if (fsIds.size === 0) return [];
  const all = await asTargetd('nfs_export', () => view.call((c, o) => c.exports({}, o)));
  return all.filter((e) => fsIds.has(e.fs_id));
}

function checkHost(host: string): string {
  const h = host === '<world>' ? '*' : host;
  if (!HOST_RE.test(h)) throw invalid(`Invalid NFS client ${nameForMessage(host)}: use a host name, an address, a network, @netgroup or a wildcard`);
  return h;
}

/** NFS changes share the masking lock: they are rare, and one path's export must not be replaced twice at once. */
export const nfsMethods: MethodTable = {
  nfs_export_auth_list: method({}, (view) => asTargetd('nfs_export', () => view.call((c, o) => c.exportAuth({}, o)))),

  nfs_export_list: method({}, async (view) => (await offeredExports(view)).flatMap((exp) => [...exp.rw, ...exp.ro].map((host) => ({
    host, path: exp.export_path, options: optionsOf(exp, host),
  })))),

  nfs_export_add: method({
    host: string, path: string, options: optionList, chown: optional(nullable(string), null), export_path: optional(nullable(string), null),
  }, async (view, args) => {
    if (args.export_path !== null) throw new TargetdError(TargetdCode.NFS_NO_SUPPORT, 'separate export path not supported at this time');
    if (args.chown !== null) throw new TargetdError(TargetdCode.NO_SUPPORT, 'chown is not supported: the server changes no file ownership');
    const host = checkHost(args.host);
    const wanted = parseHostOptions(args.options);
    if (!view.supports(Capability.EXPORT_CUSTOM_PATH)) throw new TargetdError(TargetdCode.NO_SUPPORT, 'The backend cannot export a file system at a chosen path');
    await withMasking(view, async () => {
      const current = (await offeredExports(view)).find((e) => e.export_path === args.path);
      if (current) {
        const others = [...current.rw, ...current.ro].some((h) => h !== host);
        await replaceExport(view, current, withHost(planFrom(current), host, wanted, others));
        return;
      }
      const fs = (await offeredFileSystems(view)).find(({ fs: f, pool }) => fullPath(pool, f.name) === args.path)?.fs;
      if (!fs) throw new TargetdError(TargetdCode.NOT_FOUND_FS, `No file system at ${nameForMessage(args.path)}: export a full_path from fs_list`);
      const empty: ExportPlan = { fsId: fs.id, path: args.path, rw: [], ro: [], root: [], anonUid: AnonUidGid.NA, anonGid: AnonUidGid.NA, auth: null, options: '' };
      await exportFs(view, withHost(empty, host, wanted, false));
    });
    return { host, path: args.path };
  }),

  nfs_export_remove: method({ host: string, path: string }, async (view, args) => {
    const host = args.host === '<world>' ? '*' : args.host;
    await withMasking(view, async () => {
      const current = (await offeredExports(view)).find((e) => e.export_path === args.path && (e.rw.includes(host) || e.ro.includes(host)));
      if (!current) throw new TargetdError(TargetdCode.NOT_FOUND_NFS_EXPORT, `NFS export to remove not found ${nameForMessage(`${host}:${args.path}`)}`);
      await replaceExport(view, current, withoutHost(planFrom(current), host));
    });
    return null;
  }),
};
