/**
 * targetd's methods as typed calls: one function per JSON-RPC method, its keyword arguments spelled as targetd
 * names them, its answer checked and converted (sizes to bigint, snake_case to camelCase). The lsm side of the
 * plugin calls only this.
 */
import { ReplyReader } from './reply.js';
import { TargetdCallError, TargetdCode } from './rpc-errors.js';
import type { CallOptions, TargetdRpc } from './rpc.js';

/**
 * `thin`: an LVM thin pool, whose volumes are thin and may together promise more than the pool holds. targetd
 * names both a thin pool (`vg/thinlv`) and a ZFS dataset (`tank/ds`) with a `/`; only LVM gives its uuid as a JSON
 * string (ZFS's guid is a bare number), which tells them apart.
 */
export interface TdPool { name: string; size: bigint; freeSize: bigint; type: string; uuid: string | null; thin: boolean }
export interface TdVolume { name: string; size: bigint; uuid: string }
export interface TdExport { initiatorWwn: string; lun: number; volName: string; pool: string }
export interface TdAccessGroup { name: string; initIds: string[] }
export interface TdGroupMap { agName: string; hLunId: number; poolName: string; volName: string }
export interface TdFs { name: string; uuid: string; totalSpace: bigint; freeSpace: bigint; pool: string; fullPath: string }
export interface TdSnapshot { name: string; uuid: string; timestamp: number }
export interface TdNfsExport { host: string; path: string; options: string[] }

export class TargetdApi {
  readonly rpc: TargetdRpc;

  constructor(rpc: TargetdRpc) {
    this.rpc = rpc;
  }

  #reader(method: string): ReplyReader {
    return new ReplyReader(this.rpc.endpoint.label, method);
  }

  async #list<T>(method: string, params: Record<string, unknown> | null, c: CallOptions, convert: (r: ReplyReader, o: Record<string, unknown>) => T): Promise<T[]> {
    const r = this.#reader(method);
    return r.list(await this.rpc.call(method, params, c)).map((o) => convert(r, o));
  }

  async #void(method: string, params: Record<string, unknown>, c: CallOptions): Promise<void> {
    await this.rpc.call(method, params, c);
  }

  poolList(c: CallOptions): Promise<TdPool[]> {
    return this.#list('pool_list', null, c, (r, o) => ({
      name: r.str(o, 'name'), size: r.size(o, 'size'), freeSize: r.size(o, 'free_size'), type: r.str(o, 'type'), uuid: r.id(o, 'uuid'),
      thin: o.type === 'block' && typeof o.name === 'string' && o.name.includes('/') && typeof o.uuid === 'string',
    }));
  }

  volList(pool: string, c: CallOptions): Promise<TdVolume[]> {
    return this.#list('vol_list', { pool }, c, (r, o) => ({ name: r.str(o, 'name'), size: r.size(o, 'size'), uuid: r.str(o, 'uuid') }));
  }

  volCreate(pool: string, name: string, size: bigint, c: CallOptions): Promise<void> {
    return this.#void('vol_create', { pool, name, size }, c);
  }

  volDestroy(pool: string, name: string, c: CallOptions): Promise<void> {
    return this.#void('vol_destroy', { pool, name }, c);
  }

  volCopy(pool: string, volOrig: string, volNew: string, c: CallOptions): Promise<void> {
    return this.#void('vol_copy', { pool, vol_orig: volOrig, vol_new: volNew }, c);
  }

  volResize(pool: string, name: string, size: bigint, c: CallOptions): Promise<void> {
    return this.#void('vol_resize', { pool, name, size }, c);
  }

  exportList(c: CallOptions): Promise<TdExport[]> {
    return this.#list('export_list', null, c, (r, o) => ({
      initiatorWwn: r.str(o, 'initiator_wwn'), lun: r.int(o, 'lun'), volName: r.str(o, 'vol_name'), pool: r.str(o, 'pool'),
    }));
  }

  exportCreate(pool: string, vol: string, initiatorWwn: string, lun: number, c: CallOptions): Promise<void> {
    return this.#void('export_create', { pool, vol, initiator_wwn: initiatorWwn, lun }, c);
  }

  exportDestroy(pool: string, vol: string, initiatorWwn: string, c: CallOptions): Promise<void> {
    return this.#void('export_destroy', { pool, vol, initiator_wwn: initiatorWwn }, c);
  }

  initiatorSetAuth(initiatorWwn: string, inUser: string | null, inPass: string | null, outUser: string | null, outPass: string | null, c: CallOptions): Promise<void> {
    return this.#void('initiator_set_auth', { initiator_wwn: initiatorWwn, in_user: inUser, in_pass: inPass, out_user: outUser, out_pass: outPass }, c);
  }

  /** Initiators with an ACL; `standaloneOnly`: those in no access group (sent as a JSON boolean, see bug 10). */
  async initiatorList(standaloneOnly: boolean, c: CallOptions): Promise<string[]> {
    return this.#list('initiator_list', { standalone_only: standaloneOnly }, c, (r, o) => r.str(o, 'init_id'));
  }

  accessGroupList(c: CallOptions): Promise<TdAccessGroup[]> {
    return this.#list('access_group_list', null, c, (r, o) => ({ name: r.str(o, 'name'), initIds: r.strings(o.init_ids, 'an init_ids') }));
  }

  accessGroupCreate(agName: string, initId: string, c: CallOptions): Promise<void> {
    return this.#void('access_group_create', { ag_name: agName, init_id: initId, init_type: 'iscsi' }, c);
  }

  accessGroupDestroy(agName: string, c: CallOptions): Promise<void> {
    return this.#void('access_group_destroy', { ag_name: agName }, c);
  }

  accessGroupInitAdd(agName: string, initId: string, c: CallOptions): Promise<void> {
    return this.#void('access_group_init_add', { ag_name: agName, init_id: initId, init_type: 'iscsi' }, c);
  }

  accessGroupInitDel(agName: string, initId: string, c: CallOptions): Promise<void> {
    return this.#void('access_group_init_del', { ag_name: agName, init_id: initId, init_type: 'iscsi' }, c);
  }

  accessGroupMapList(c: CallOptions): Promise<TdGroupMap[]> {
    return this.#list('access_group_map_list', null, c, (r, o) => ({
      agName: r.str(o, 'ag_name'), hLunId: r.int(o, 'h_lun_id'), poolName: r.str(o, 'pool_name'), volName: r.str(o, 'vol_name'),
    }));
  }

  /** Always with an explicit `h_lun_id`: left out, targetd picks one that collides (targetd.md §10, bug 1). */
  accessGroupMapCreate(poolName: string, volName: string, agName: string, hLunId: number, c: CallOptions): Promise<void> {
    return this.#void('access_group_map_create', { pool_name: poolName, vol_name: volName, ag_name: agName, h_lun_id: hLunId }, c);
  }

  accessGroupMapDestroy(poolName: string, volName: string, agName: string, c: CallOptions): Promise<void> {
    return this.#void('access_group_map_destroy', { pool_name: poolName, vol_name: volName, ag_name: agName }, c);
  }

  fsList(c: CallOptions): Promise<TdFs[]> {
    return this.#list('fs_list', null, c, (r, o) => ({
      name: r.str(o, 'name'), uuid: r.str(o, 'uuid'), totalSpace: r.size(o, 'total_space'), freeSpace: r.size(o, 'free_space'),
      pool: r.str(o, 'pool'), fullPath: r.str(o, 'full_path'),
    }));
  }

  fsCreate(poolName: string, name: string, sizeBytes: bigint, c: CallOptions): Promise<void> {
    return this.#void('fs_create', { pool_name: poolName, name, size_bytes: sizeBytes }, c);
  }

  fsDestroy(uuid: string, c: CallOptions): Promise<void> {
    return this.#void('fs_destroy', { uuid }, c);
  }

  fsClone(fsUuid: string, destFsName: string, snapshotId: string | null, c: CallOptions): Promise<void> {
    return this.#void('fs_clone', { fs_uuid: fsUuid, dest_fs_name: destFsName, snapshot_id: snapshotId }, c);
  }

  ssList(fsUuid: string, c: CallOptions): Promise<TdSnapshot[]> {
    return this.#list('ss_list', { fs_uuid: fsUuid }, c, (r, o) => ({ name: r.str(o, 'name'), uuid: r.str(o, 'uuid'), timestamp: r.int(o, 'timestamp') }));
  }

  fsSnapshot(fsUuid: string, destSsName: string, c: CallOptions): Promise<void> {
    return this.#void('fs_snapshot', { fs_uuid: fsUuid, dest_ss_name: destSsName }, c);
  }

  fsSnapshotDelete(fsUuid: string, ssUuid: string, c: CallOptions): Promise<void> {
    return this.#void('fs_snapshot_delete', { fs_uuid: fsUuid, ss_uuid: ssUuid }, c);
  }

  async nfsExportAuthList(c: CallOptions): Promise<string[]> {
    return this.#reader('nfs_export_auth_list').strings(await this.rpc.call('nfs_export_auth_list', null, c));
  }

  nfsExportList(c: CallOptions): Promise<TdNfsExport[]> {
    return this.#list('nfs_export_list', null, c, (r, o) => ({ host: r.str(o, 'host'), path: r.str(o, 'path'), options: r.strings(o.options, 'an options') }));
  }

  nfsExportAdd(host: string, path: string, options: string[], c: CallOptions): Promise<void> {
    return this.#void('nfs_export_add', { host, path, export_path: null, options }, c);
  }

  nfsExportRemove(host: string, path: string, c: CallOptions): Promise<void> {
    return this.#void('nfs_export_remove', { host, path }, c);
  }

  /**
   * Whether targetd has `method`, asked without running it: a call without its arguments fails with -32602
   * (Python's TypeError) when the method exists and -32601 when it does not.
   */
  async hasMethod(method: string, c: CallOptions): Promise<boolean> {
    try {
      await this.rpc.call(method, null, c);
      return true;
    } catch (err) {
      if (!(err instanceof TargetdCallError)) throw err;
      if (err.targetdCode === TargetdCode.METHOD_NOT_FOUND) return false;
      if (err.targetdCode === TargetdCode.INVALID_ARGUMENT) return true;
      throw err;
    }
  }
}
