/**
 * The `targetd://` plugin: a Linux storage appliance driven through targetd's JSON-RPC API. This class holds
 * the session and hands each lsm call to the module that maps it onto targetd (see docs/plugins/targetd.md for
 * the whole mapping); the runner has already checked params, flags and search keys.
 */
import { createRequire } from 'node:module';
import {
  type AccessGroup, type AccessGroupCreate, type AccessGroupDelete, type AccessGroupInitiatorAdd,
  type AccessGroupInitiatorDelete, type AccessGroups, type AccessGroupsGrantedToVolume, type Capabilities,
  type CapabilitiesGet, describeForMessage, ErrorNumber, type ExportFs, type ExportRemove, type Exports,
  type FileSystem, type Fs, type FsClone, type FsCreate, type FsDelete, type FsSnapshot, type FsSnapshotCreate,
  type FsSnapshotDelete, type FsSnapshots, type IscsiChapAuth, type JobFree, type JobStatusGet, LsmError,
  type NfsExport, parseUri, type PluginRegister, type Pool, type Pools, type System, type Volume,
  type VolumeCreate, type VolumeDelete, type VolumeMask, type VolumeReplicate, type VolumeResize, type Volumes,
  type VolumesAccessibleByAccessGroup, type VolumeUnmask,
} from '@openlsm/core';
import { type CallContext, type Params, type Plugin, searchFilter } from '@openlsm/plugin';
import type { Dispatcher } from 'undici';
import {
  addInitiator, createAccessGroup, deleteAccessGroup, deleteInitiator, setChap,
} from './access-groups.js';
import { TargetdApi } from './api.js';
import { targetdCapabilities } from './capabilities.js';
import { CopyJobs } from './copy-jobs.js';
import { endpointFromUri } from './endpoint.js';
import { cloneFs, createFs, createSnapshot, deleteFs, deleteSnapshot, listFs, listSnapshots } from './fs.js';
import { SYSTEM_ID } from './ids.js';
import { allAccessGroups, allVolumes, volumesOfPool } from './inventory.js';
import { accessGroupsGrantedTo, maskVolume, unmaskVolume, volumesAccessibleBy } from './masking.js';
import { systemFor, toPool } from './model.js';
import { exportFs, listExports, removeExport } from './nfs.js';
import { TargetdCallError, TargetdCode } from './rpc-errors.js';
import { TargetdRpc } from './rpc.js';
import { callOptions, newSession, type Session } from './session.js';
import { createVolume, deleteVolume, replicateVolume, resizeVolume } from './volumes.js';

const packageJson = createRequire(import.meta.url)('../package.json') as { version: string };

/** How long ending a session waits for copies still running (openlsm's client gives plugin_unregister 5 s). */
const UNREGISTER_WAIT_MS = 4000;

export interface TargetdPluginOptions {
  /** Sockets per session (default 4). */
  connections?: number;
  /** Replaces the HTTP pool (an undici MockAgent in unit tests). */
  dispatcher?: Dispatcher;
}

export class TargetdPlugin implements Plugin {
  readonly description = 'Linux LIO target support';
  readonly version: string = packageJson.version;
  readonly #options: TargetdPluginOptions;
  readonly #jobs = new CopyJobs();
  #session: Session | undefined;
  #rpc: TargetdRpc | undefined;

  constructor(options: TargetdPluginOptions = {}) {
    this.#options = options;
  }

  get #s(): Session {
    if (!this.#session) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'No targetd session: call plugin_register first');
    return this.#session;
  }

  async pluginRegister(p: Params<typeof PluginRegister>, ctx: CallContext): Promise<void> {
    const endpoint = endpointFromUri(parseUri(p.uri));
    if (p.password === null || p.password === '') {
      throw new LsmError(ErrorNumber.PLUGIN_AUTH_FAILED, `targetd needs the password of user ${describeForMessage(endpoint.user)}: give it with lsmcli -P or LSMCLI_PASSWORD`);
    }
    // targetd splits "user:password" at every ':' and answers 400; its configuration cannot hold one anyway.
    if (endpoint.user.includes(':') || p.password.includes(':')) {
      throw new LsmError(ErrorNumber.PLUGIN_AUTH_FAILED, 'targetd user names and passwords cannot contain ":"');
    }
    const log = ctx.log.child({ targetd: endpoint.label });
    if (!endpoint.verify) {
      log.warn('TLS certificate verification is OFF for this session (no_ssl_verify=yes): anyone on the path can read and change what is sent, including the password', { endpoint: endpoint.label });
    }
    const rpc = new TargetdRpc({ endpoint, password: p.password, timeoutMs: ctx.timeoutMs, log, ...this.#options });
    const api = new TargetdApi(rpc);
    const c = callOptions(ctx);
    try {
      // One call, as libstoragemgmt's plugin makes: it proves the password and tells whether groups exist.
      this.#session = newSession(api, systemFor(endpoint.host), await this.#hasAccessGroups(api, c));
      this.#rpc = rpc;
    } catch (err) {
      await rpc.close();
      throw err;
    }
    log.info('targetd session registered', { endpoint: endpoint.label, tls: endpoint.ssl, accessGroups: this.#session.accessGroups });
  }

  /** libstoragemgmt's probe: targetd before 0.7.1 answers `access_group_list` with "method not found". */
  async #hasAccessGroups(api: TargetdApi, c: ReturnType<typeof callOptions>): Promise<boolean> {
    try {
      await api.accessGroupList(c);
      return true;
    } catch (err) {
      if (err instanceof TargetdCallError && err.targetdCode === TargetdCode.METHOD_NOT_FOUND) return false;
      throw err;
    }
  }

  async pluginUnregister(): Promise<void> {
    await this.#jobs.settle(UNREGISTER_WAIT_MS);
    await this.#rpc?.close();
    this.#session = undefined;
    this.#rpc = undefined;
  }

  async capabilities(p: Params<typeof CapabilitiesGet>, ctx: CallContext): Promise<Capabilities> {
    if (p.system.id !== SYSTEM_ID) throw new LsmError(ErrorNumber.NOT_FOUND_SYSTEM, `System ${describeForMessage(p.system.id)} not found`);
    return targetdCapabilities(await this.#s.features(callOptions(ctx)));
  }

  systems(): System[] {
    return [this.#s.system];
  }

  async pools(p: Params<typeof Pools>, ctx: CallContext): Promise<Pool[]> {
    const s = this.#s;
    const c = callOptions(ctx);
    const [list, resize] = await Promise.all([s.api.poolList(c), s.canResize(c)]);
    const pools = list.map((pool) => toPool(pool, resize));
    return searchFilter(pools, p.search_key, p.search_value);
  }

  async volumes(p: Params<typeof Volumes>, ctx: CallContext): Promise<Volume[]> {
    const { api } = this.#s;
    const c = callOptions(ctx);
    // A pool's volumes are one call; any other search needs them all.
    if (p.search_key === 'pool_id') return volumesOfPool(api, p.search_value as string, c);
    return searchFilter(await allVolumes(api, c), p.search_key, p.search_value);
  }

  volumeCreate(p: Params<typeof VolumeCreate>, ctx: CallContext): Promise<[null, Volume]> {
    return createVolume(this.#s, p.pool, p.volume_name, p.size_bytes, p.provisioning, callOptions(ctx));
  }

  async volumeDelete(p: Params<typeof VolumeDelete>, ctx: CallContext): Promise<null> {
    await deleteVolume(this.#s, p.volume, callOptions(ctx));
    return null;
  }

  volumeResize(p: Params<typeof VolumeResize>, ctx: CallContext): Promise<[null, Volume]> {
    return resizeVolume(this.#s, p.volume, p.new_size_bytes, callOptions(ctx));
  }

  volumeReplicate(p: Params<typeof VolumeReplicate>, ctx: CallContext): Promise<[string, null]> {
    return replicateVolume(this.#s, this.#jobs, p.pool, p.rep_type, p.volume_src, p.name, callOptions(ctx));
  }

  jobStatus(p: Params<typeof JobStatusGet>, ctx: CallContext): Promise<[number, number, Volume | null]> {
    const { api } = this.#s;
    return this.#jobs.status(p.job_id, async (t) => (await volumesOfPool(api, t.pool, callOptions(ctx))).find((v) => v.name === t.name));
  }

  jobFree(p: Params<typeof JobFree>): void {
    this.#jobs.free(p.job_id);
  }

  async accessGroups(p: Params<typeof AccessGroups>, ctx: CallContext): Promise<AccessGroup[]> {
    return searchFilter(await allAccessGroups(this.#s, callOptions(ctx)), p.search_key, p.search_value);
  }

  accessGroupCreate(p: Params<typeof AccessGroupCreate>, ctx: CallContext): Promise<AccessGroup> {
    return createAccessGroup(this.#s, p.name, p.init_id, p.init_type, p.system, callOptions(ctx));
  }

  accessGroupDelete(p: Params<typeof AccessGroupDelete>, ctx: CallContext): Promise<void> {
    return deleteAccessGroup(this.#s, p.access_group, callOptions(ctx));
  }

  accessGroupInitiatorAdd(p: Params<typeof AccessGroupInitiatorAdd>, ctx: CallContext): Promise<AccessGroup> {
    return addInitiator(this.#s, p.access_group, p.init_id, p.init_type, callOptions(ctx));
  }

  accessGroupInitiatorDelete(p: Params<typeof AccessGroupInitiatorDelete>, ctx: CallContext): Promise<AccessGroup> {
    return deleteInitiator(this.#s, p.access_group, p.init_id, p.init_type, callOptions(ctx));
  }

  volumeMask(p: Params<typeof VolumeMask>, ctx: CallContext): Promise<void> {
    return maskVolume(this.#s, p.access_group, p.volume, callOptions(ctx));
  }

  volumeUnmask(p: Params<typeof VolumeUnmask>, ctx: CallContext): Promise<void> {
    return unmaskVolume(this.#s, p.access_group, p.volume, callOptions(ctx));
  }

  volumesAccessibleByAccessGroup(p: Params<typeof VolumesAccessibleByAccessGroup>, ctx: CallContext): Promise<Volume[]> {
    return volumesAccessibleBy(this.#s, p.access_group, callOptions(ctx));
  }

  accessGroupsGrantedToVolume(p: Params<typeof AccessGroupsGrantedToVolume>, ctx: CallContext): Promise<AccessGroup[]> {
    return accessGroupsGrantedTo(this.#s, p.volume, callOptions(ctx));
  }

  iscsiChapAuth(p: Params<typeof IscsiChapAuth>, ctx: CallContext): Promise<void> {
    return setChap(this.#s, p.init_id, p.in_user, p.in_password, p.out_user, p.out_password, callOptions(ctx));
  }

  async fs(p: Params<typeof Fs>, ctx: CallContext): Promise<FileSystem[]> {
    return searchFilter(await listFs(this.#s, callOptions(ctx)), p.search_key, p.search_value);
  }

  fsCreate(p: Params<typeof FsCreate>, ctx: CallContext): Promise<[null, FileSystem]> {
    return createFs(this.#s, p.pool, p.name, p.size_bytes, callOptions(ctx));
  }

  async fsDelete(p: Params<typeof FsDelete>, ctx: CallContext): Promise<null> {
    await deleteFs(this.#s, p.fs, callOptions(ctx));
    return null;
  }

  fsClone(p: Params<typeof FsClone>, ctx: CallContext): Promise<[null, FileSystem]> {
    return cloneFs(this.#s, p.src_fs, p.dest_fs_name, p.snapshot, callOptions(ctx));
  }

  fsSnapshots(p: Params<typeof FsSnapshots>, ctx: CallContext): Promise<FsSnapshot[]> {
    return listSnapshots(this.#s, p.fs, callOptions(ctx));
  }

  fsSnapshotCreate(p: Params<typeof FsSnapshotCreate>, ctx: CallContext): Promise<[null, FsSnapshot]> {
    return createSnapshot(this.#s, p.fs, p.snapshot_name, callOptions(ctx));
  }

  async fsSnapshotDelete(p: Params<typeof FsSnapshotDelete>, ctx: CallContext): Promise<null> {
    await deleteSnapshot(this.#s, p.fs, p.snapshot, callOptions(ctx));
    return null;
  }

  exportAuth(_p: unknown, ctx: CallContext): Promise<string[]> {
    return this.#s.api.nfsExportAuthList(callOptions(ctx));
  }

  async exports(p: Params<typeof Exports>, ctx: CallContext): Promise<NfsExport[]> {
    return searchFilter(await listExports(this.#s, callOptions(ctx)), p.search_key, p.search_value);
  }

  exportFs(p: Params<typeof ExportFs>, ctx: CallContext): Promise<NfsExport> {
    return exportFs(this.#s, p, callOptions(ctx));
  }

  exportRemove(p: Params<typeof ExportRemove>, ctx: CallContext): Promise<void> {
    return removeExport(this.#s, p.export, callOptions(ctx));
  }
}
