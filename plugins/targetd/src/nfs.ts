/**
 * NFS exports of targetd's file systems. targetd keeps one exports(5) entry per (host, path); lsm shows one
 * export per path and shared options, with its hosts sorted into rw, ro and root lists, and an id that is the
 * md5 of path and shared options (ids.ts), as libstoragemgmt's plugin does. Only exports of targetd's own file
 * systems are shown. Creating or removing an export is one targetd call per host; when one fails, the calls
 * already made are undone, so an export is never left half made.
 */
import {
  AnonUidGid, describeForMessage, ErrorNumber, type ExportFs, LsmError, type NfsExport,
} from '@openlsm/core';
import type { Params } from '@openlsm/plugin';
import type { TdNfsExport } from './api.js';
import { exportId, sharedExportOptions } from './ids.js';
import { nfsHost } from './names.js';
import type { CallOptions } from './rpc.js';
import type { Session } from './session.js';

/** targetd's fixed answer to `nfs_export_auth_list`. */
const AUTH_TYPES = ['sys', 'krb5', 'krb5i', 'krb5p'];

function optionValue(options: readonly string[], key: string): string | undefined {
  for (const o of options) {
    const eq = o.indexOf('=');
    if (eq !== -1 && o.slice(0, eq) === key) return o.slice(eq + 1);
  }
  return undefined;
}

function anonId(options: readonly string[], key: string): number {
  const v = optionValue(options, key);
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : AnonUidGid.NA;
}

export async function listExports(s: Session, c: CallOptions): Promise<NfsExport[]> {
  const [entries, fss] = await Promise.all([s.api.nfsExportList(c), s.api.fsList(c)]);
  const fsByPath = new Map(fss.map((f) => [f.fullPath, f.uuid]));
  const groups = new Map<string, TdNfsExport[]>();
  for (const e of entries) {
    if (!fsByPath.has(e.path)) continue;
    const key = `${e.path}\u0000${sharedExportOptions(e.options)}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as TdNfsExport;
    const has = (flag: string) => group.filter((e) => e.options.includes(flag)).map((e) => e.host);
    return {
      id: exportId(first.path, first.options), fs_id: fsByPath.get(first.path) as string, export_path: first.path,
      auth: optionValue(first.options, 'sec') ?? 'sys', root: has('no_root_squash'), rw: has('rw'), ro: has('ro'),
      anonuid: anonId(first.options, 'anonuid'), anongid: anonId(first.options, 'anongid'),
      options: sharedExportOptions(first.options), plugin_data: null,
    };
  });
}

/** Runs `steps` in order; when one fails, runs the undo of those done, newest first, and rethrows. */
async function allOrNothing(steps: { run: () => Promise<void>; undo: () => Promise<void> }[]): Promise<void> {
  const done: (() => Promise<void>)[] = [];
  try {
    for (const step of steps) {
      await step.run();
      done.push(step.undo);
    }
  } catch (err) {
    for (const undo of done.reverse()) await undo().catch(() => {});
    throw err;
  }
}

/** The step that makes `entry` what `options` says, undone by restoring what was there before. */
function putEntry(s: Session, host: string, path: string, options: string[], before: TdNfsExport | undefined, c: CallOptions) {
  return {
    run: () => s.api.nfsExportAdd(host, path, options, c),
    undo: () => (before ? s.api.nfsExportAdd(host, path, before.options, c) : s.api.nfsExportRemove(host, path, c)),
  };
}

export async function exportFs(s: Session, p: Params<typeof ExportFs>, c: CallOptions): Promise<NfsExport> {
  if (p.export_path !== null) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'targetd exports a file system at its own path: leave export_path out');
  if (p.options !== null && p.options !== '') throw new LsmError(ErrorNumber.NO_SUPPORT, 'targetd takes no free-form export options; use anon_uid, anon_gid and auth_type');
  const rw = p.rw_list.map(nfsHost);
  const ro = p.ro_list.map(nfsHost);
  const root = p.root_list.map(nfsHost);
  if (rw.length + ro.length === 0) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'An export needs at least one host in rw_list or ro_list');
  const both = rw.find((h) => ro.includes(h));
  if (both !== undefined) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Host ${describeForMessage(both)} is in both rw_list and ro_list`);
  const stray = root.find((h) => !rw.includes(h) && !ro.includes(h));
  if (stray !== undefined) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Root host ${describeForMessage(stray)} is in neither rw_list nor ro_list`);
  if (p.auth_type !== null && !AUTH_TYPES.includes(p.auth_type)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid auth_type ${describeForMessage(p.auth_type)}: targetd takes ${AUTH_TYPES.join(', ')}`);
  }
  for (const [what, id] of [['anon_uid', p.anon_uid], ['anon_gid', p.anon_gid]] as const) {
    if (id < AnonUidGid.NA) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `${what} must be an id, or -1 for none`);
  }
  const [fss, existing] = await Promise.all([s.api.fsList(c), s.api.nfsExportList(c)]);
  const fs = fss.find((f) => f.uuid === p.fs_id);
  if (!fs) throw new LsmError(ErrorNumber.NOT_FOUND_FS, `File system ${describeForMessage(p.fs_id)} not found on targetd`);
  const base = [
    ...(p.anon_uid !== AnonUidGid.NA ? [`anonuid=${p.anon_uid}`] : []),
    ...(p.anon_gid !== AnonUidGid.NA ? [`anongid=${p.anon_gid}`] : []),
    ...(p.auth_type !== null ? [`sec=${p.auth_type}`] : []),
  ];
  const before = (host: string) => existing.find((e) => e.host === host && e.path === fs.fullPath);
  const entry = (host: string, access: 'rw' | 'ro') => [...base, ...(root.includes(host) ? ['no_root_squash'] : []), access];
  await allOrNothing([
    ...rw.map((h) => putEntry(s, h, fs.fullPath, entry(h, 'rw'), before(h), c)),
    ...ro.map((h) => putEntry(s, h, fs.fullPath, entry(h, 'ro'), before(h), c)),
  ]);
  // exportfs may add its defaults to the options, so the new export is found by file system and host.
  const hosts = [...rw, ...ro];
  const made = (await listExports(s, c)).find((e) => e.fs_id === fs.uuid && [...e.rw, ...e.ro].some((h) => hosts.includes(h)));
  if (!made) throw new LsmError(ErrorNumber.PLUGIN_BUG, 'targetd accepted the export but does not list it');
  return made;
}

export async function removeExport(s: Session, exp: NfsExport, c: CallOptions): Promise<void> {
  const [current, entries] = await Promise.all([listExports(s, c).then((all) => all.find((e) => e.id === exp.id)), s.api.nfsExportList(c)]);
  if (!current) throw new LsmError(ErrorNumber.NOT_FOUND_NFS_EXPORT, `NFS export ${describeForMessage(exp.id)} not found on targetd`);
  const steps = [...current.rw, ...current.ro].map((host) => {
    const was = entries.find((e) => e.host === host && e.path === current.export_path) as TdNfsExport;
    return {
      run: () => s.api.nfsExportRemove(host, current.export_path, c),
      undo: () => s.api.nfsExportAdd(host, current.export_path, was.options, c),
    };
  });
  await allOrNothing(steps);
}
