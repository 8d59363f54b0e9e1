/**
 * NFS exports of file systems. Export paths and host names are stored as data (the simulator exports nothing),
 * but are checked as a real NFS server would: an absolute path, hosts without blanks or control characters,
 * no host both read-write and read-only, unique paths (NAME_CONFLICT).
 */
import { randomBytes } from 'node:crypto';
import { AnonUidGid, ErrorNumber, LsmError, type NfsExport, describeForMessage } from '@openlsm/core';
import type { SimContext } from './context.js';
import { formatId, Ids, notFound, requireId, sqlId } from './ids.js';
import { loadFs } from './fs.js';
import { searchCondition } from './search.js';
import type { SimStore } from './store.js';
import { checkName } from './validate.js';

/** The authentication types exports may use. */
export const EXPORT_AUTH_TYPES = ['standard'];

const PATH_MAX = 4096;

function checkPath(p: string): string {
  checkName('export path', p, PATH_MAX);
  if (!p.startsWith('/')) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid export path ${describeForMessage(p)}: it must be absolute`);
  if (p.split('/').some((part) => part === '..' || part === '.')) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid export path ${describeForMessage(p)}: '.' and '..' are not allowed`);
  }
  return p;
}

function checkHosts(what: string, hosts: string[]): string[] {
  for (const h of hosts) {
    checkName(`${what} host`, h);
    if (/\s/.test(h)) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ${what} host ${describeForMessage(h)}: blanks are not allowed`);
  }
  return hosts;
}

function checkAnon(what: string, v: number): number {
  if (v !== AnonUidGid.NA && (v < 0 || v > 0xffffffff)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ${what} ${v}: use -1 (not applicable) or 0..4294967295`);
  }
  return v;
}

export function listExports(store: SimStore, key: string | null, value: string | null): NfsExport[] {
  const cond = searchCondition(key, value, 'exps', Ids.export, { fs_id: { column: 'fs_id', kind: Ids.fs } });
  if (cond === 'none') return [];
  return store.read(() => {
    const rows = store.all<Record<string, unknown>>(
      `SELECT exps.id AS rowid, ${sqlId(Ids.export, 'exps.id')} AS id, ${sqlId(Ids.fs, 'exps.fs_id')} AS fs_id,
        export_path, auth, anonuid, anongid, options FROM exps${cond.sql} ORDER BY exps.id`, ...cond.params,
    );
    return rows.map((r) => {
      const hosts: Record<'root' | 'rw' | 'ro', string[]> = { root: [], rw: [], ro: [] };
      for (const h of store.rows('SELECT access, host FROM exp_hosts WHERE exp_id = ? ORDER BY access, position', r.rowid)) {
        hosts[h[0] as 'root' | 'rw' | 'ro'].push(h[1] as string);
      }
      return {
        id: r.id as string,
        fs_id: r.fs_id as string,
        export_path: r.export_path as string,
        auth: r.auth as string,
        root: hosts.root,
        rw: hosts.rw,
        ro: hosts.ro,
        anonuid: Number(r.anonuid),
        anongid: Number(r.anongid),
        options: r.options as string,
        plugin_data: null,
      };
    });
  });
}

export interface ExportRequest {
  fsId: string;
  exportPath: string | null;
  root: string[];
  rw: string[];
  ro: string[];
  anonUid: number;
  anonGid: number;
  authType: string | null;
  options: string | null;
}

export function exportFs(sim: SimContext, req: ExportRequest): NfsExport {
  if (req.exportPath !== null) checkPath(req.exportPath);
  checkHosts('root', req.root);
  checkHosts('rw', req.rw);
  checkHosts('ro', req.ro);
  const both = req.rw.find((h) => req.ro.includes(h));
  if (both !== undefined) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Host ${describeForMessage(both)} is in both rw_list and ro_list`);
  if (req.rw.length === 0 && req.ro.length === 0) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'An export needs at least one host in rw_list or ro_list');
  }
  checkAnon('anon_uid', req.anonUid);
  checkAnon('anon_gid', req.anonGid);
  // An export made without an auth type has none, as in lsm's simulator (which stores an empty string).
  const auth = req.authType ?? '';
  if (auth !== '' && !EXPORT_AUTH_TYPES.includes(auth)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid auth_type ${describeForMessage(auth)}: use one of ${EXPORT_AUTH_TYPES.join(', ')}`);
  }
  const options = req.options ?? '';
  if (options !== '') checkName('options', options, PATH_MAX);
  const { store } = sim;
  return store.write(() => {
    const fs = loadFs(store, req.fsId);
    let exportPath = req.exportPath;
    if (exportPath === null) {
      do exportPath = `/nfs_exp_${randomBytes(4).toString('hex')}`;
      while (store.value('SELECT 1 FROM exps WHERE export_path = ?', exportPath) !== undefined);
    } else if (store.value('SELECT 1 FROM exps WHERE export_path = ?', exportPath) !== undefined) {
      throw new LsmError(ErrorNumber.NAME_CONFLICT, `Export path ${describeForMessage(exportPath)} is already in use`);
    }
    const id = store.run(
      'INSERT INTO exps (fs_id, export_path, auth, anonuid, anongid, options) VALUES (?, ?, ?, ?, ?, ?)',
      fs.rowid, exportPath, auth, req.anonUid, req.anonGid, options,
    ).lastInsertRowid;
    for (const [access, hosts] of [['root', req.root], ['rw', req.rw], ['ro', req.ro]] as const) {
      hosts.forEach((h, i) => store.run('INSERT INTO exp_hosts (exp_id, access, position, host) VALUES (?, ?, ?, ?)', id, access, i, h));
    }
    const created = listExports(store, 'id', formatId(Ids.export, id))[0];
    if (!created) throw new LsmError(ErrorNumber.PLUGIN_BUG, 'A new export vanished inside its own transaction');
    return created;
  });
}

export function removeExport(sim: SimContext, exp: NfsExport): void {
  const { store } = sim;
  const rowid = requireId(Ids.export, exp.id);
  store.write(() => {
    if (store.run('DELETE FROM exps WHERE id = ?', rowid).changes === 0) throw notFound(Ids.export, exp.id);
  });
}
