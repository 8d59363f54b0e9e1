/**
 * The `sim://` plugin: a complete simulated array. This class only adapts RPCs to the simulator's modules: it
 * holds the session's state file and passes each call's validated params on. The runner (@openlsm/plugin) has
 * already checked param types, flags and search keys.
 */
import { createRequire } from 'node:module';
import {
  type AccessGroupCreate, type AccessGroupDelete, type AccessGroupInitiatorAdd, type AccessGroupInitiatorDelete,
  type AccessGroups, type AccessGroupsGrantedToVolume, type Batteries, type Capabilities, type CapabilitiesGet,
  type Disks, ErrorNumber, type ExportFs, type ExportRemove, type Exports, type Fs, type FsChildDependency,
  type FsChildDependencyRm, type FsClone, type FsCreate, type FsDelete, type FsFileClone, type FsResize,
  type FsSnapshotCreate, type FsSnapshotDelete, type FsSnapshotRestore, type FsSnapshots, type IscsiChapAuth,
  type JobFree, type JobStatusGet, LsmError, type PluginRegister, type PoolMemberInfo, type Pools,
  type SystemReadCachePctUpdate, type TimeOutSet, type TargetPorts, type VolumeCacheInfo, type VolumeChildDependency,
  type VolumeChildDependencyRm, type VolumeCreate, type VolumeDelete, type VolumeDisable, type VolumeEnable,
  type VolumeIdentLedOff, type VolumeIdentLedOn, type VolumeMask, type VolumePhysicalDiskCacheUpdate,
  type VolumeRaidCreate, type VolumeRaidCreateCapGet, type VolumeRaidInfo, type VolumeReadCachePolicyUpdate,
  type VolumeReplicate, type VolumeReplicateRange, type VolumeReplicateRangeBlockSize, type VolumeResize,
  type Volumes, type VolumesAccessibleByAccessGroup, type VolumeUnmask, type VolumeWriteCachePolicyUpdate,
  VolumeAdminState, parseUri, type System, type Pool, type Volume, type Disk, type TargetPort, type Battery,
  type AccessGroup, type FileSystem, type FsSnapshot, type NfsExport,
} from '@openlsm/core';
import type { Params, Plugin } from '@openlsm/plugin';
import {
  accessGroupsGrantedTo, addAccessGroupInitiator, createAccessGroup, deleteAccessGroup, deleteAccessGroupInitiator,
  iscsiChapAuth, listAccessGroups, maskVolume, unmaskVolume, volumesAccessibleBy,
} from './access-groups.js';
import { simCapabilities } from './capabilities.js';
import { jobDurationFromEnv, type SimContext } from './context.js';
import {
  cloneFile, cloneFs, createFs, createSnapshot, deleteFs, deleteSnapshot, fsByRowid, fsHasChildDependency,
  fsRemoveChildDependency, listFileSystems, listSnapshots, resizeFs, restoreSnapshot, snapshotByRowid,
} from './fs.js';
import { requireSystem } from './ids.js';
import { type JobItemType, jobFree, jobStatus } from './jobs.js';
import { EXPORT_AUTH_TYPES, exportFs, listExports, removeExport } from './nfs.js';
import { BLOCK_SIZE } from './seed.js';
import { refuseSocketDirectory, resolveStatePath, SimStore } from './store.js';
import {
  listBatteries, listDisks, listPools, listSystems, listTargetPorts, poolMemberInfo, updateReadCachePct,
} from './system.js';
import {
  createRaidVolume, raidCreateCapabilities, setIdentLed, updateCachePolicy, volumeCacheInfo, volumeRaidInfo,
} from './volume-settings.js';
import {
  createVolume, deleteVolume, hasChildDependency, listVolumes, removeChildDependency, replicateVolume,
  replicateVolumeRange, resizeVolume, setAdminState, volumeByRowid,
} from './volumes.js';

const packageJson = createRequire(import.meta.url)('../package.json') as { version: string };

export class SimPlugin implements Plugin {
  readonly description = 'Storage simulator';
  readonly version: string = packageJson.version;
  readonly #env: NodeJS.ProcessEnv;
  #sim: SimContext | undefined;

  /** `env` supplies `LSM_SIM_DATA` and `LSM_SIM_TIME` (default: the process environment). */
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#env = env;
  }

  get #ctx(): SimContext {
    if (!this.#sim) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'The simulator has no session: call plugin_register first');
    return this.#sim;
  }

  get #store(): SimStore {
    return this.#ctx.store;
  }

  pluginRegister(p: Params<typeof PluginRegister>): void {
    const jobDurationMs = jobDurationFromEnv(this.#env.LSM_SIM_TIME);
    if (jobDurationMs === undefined) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'LSM_SIM_TIME must be a number of seconds from 0 to 86400, such as 0 or 0.5');
    }
    const file = resolveStatePath(parseUri(p.uri).parameters, this.#env);
    refuseSocketDirectory(file, this.#env);
    this.#sim = { store: SimStore.open(file, { timeoutMs: p.timeout }), jobDurationMs };
  }

  pluginUnregister(): void {
    this.#sim?.store.close();
    this.#sim = undefined;
  }

  timeOutSet(p: Params<typeof TimeOutSet>): void {
    this.#store.setLockTimeout(p.ms);
  }

  capabilities(p: Params<typeof CapabilitiesGet>): Capabilities {
    requireSystem(p.system.id);
    return simCapabilities();
  }

  jobStatus(p: Params<typeof JobStatusGet>): [number, number, Volume | FileSystem | FsSnapshot | null] {
    const store = this.#store;
    const load = (type: JobItemType, rowid: number) =>
      type === 'volume' ? volumeByRowid(store, rowid) : type === 'fs' ? fsByRowid(store, rowid) : snapshotByRowid(store, rowid);
    return jobStatus(store, p.job_id, load) as [number, number, Volume | FileSystem | FsSnapshot | null];
  }

  jobFree(p: Params<typeof JobFree>): void {
    jobFree(this.#store, p.job_id);
  }

  systems(): System[] {
    return listSystems(this.#store);
  }

  pools(p: Params<typeof Pools>): Pool[] {
    return listPools(this.#store, p.search_key, p.search_value);
  }

  systemReadCachePctUpdate(p: Params<typeof SystemReadCachePctUpdate>): void {
    updateReadCachePct(this.#store, p.system.id, p.read_pct);
  }

  poolMemberInfo(p: Params<typeof PoolMemberInfo>): [number, number, string[]] {
    return poolMemberInfo(this.#store, p.pool.id);
  }

  volumes(p: Params<typeof Volumes>): Volume[] {
    return listVolumes(this.#store, p.search_key, p.search_value);
  }

  volumeCreate(p: Params<typeof VolumeCreate>): [string, null] {
    return createVolume(this.#ctx, p.pool, p.volume_name, p.size_bytes, p.provisioning);
  }

  volumeResize(p: Params<typeof VolumeResize>): [string, null] {
    return resizeVolume(this.#ctx, p.volume, p.new_size_bytes);
  }

  volumeReplicate(p: Params<typeof VolumeReplicate>): [string, null] {
    return replicateVolume(this.#ctx, p.pool, p.rep_type, p.volume_src, p.name);
  }

  volumeReplicateRangeBlockSize(p: Params<typeof VolumeReplicateRangeBlockSize>): bigint {
    requireSystem(p.system.id);
    return BLOCK_SIZE;
  }

  volumeReplicateRange(p: Params<typeof VolumeReplicateRange>): string {
    return replicateVolumeRange(this.#ctx, p.rep_type, p.volume_src, p.volume_dest, p.ranges);
  }

  volumeDelete(p: Params<typeof VolumeDelete>): string {
    return deleteVolume(this.#ctx, p.volume);
  }

  volumeEnable(p: Params<typeof VolumeEnable>): void {
    setAdminState(this.#ctx, p.volume, VolumeAdminState.ENABLED);
  }

  volumeDisable(p: Params<typeof VolumeDisable>): void {
    setAdminState(this.#ctx, p.volume, VolumeAdminState.DISABLED);
  }

  volumeChildDependency(p: Params<typeof VolumeChildDependency>): boolean {
    return hasChildDependency(this.#store, p.volume);
  }

  volumeChildDependencyRm(p: Params<typeof VolumeChildDependencyRm>): string {
    return removeChildDependency(this.#ctx, p.volume);
  }

  volumeRaidInfo(p: Params<typeof VolumeRaidInfo>): [number, number, number, number, number] {
    return volumeRaidInfo(this.#store, p.volume);
  }

  volumeRaidCreateCapGet(p: Params<typeof VolumeRaidCreateCapGet>): [number[], number[]] {
    return raidCreateCapabilities(p.system.id);
  }

  volumeRaidCreate(p: Params<typeof VolumeRaidCreate>): Volume {
    return createRaidVolume(this.#ctx, p.name, p.raid_type, p.disks, p.strip_size);
  }

  volumeIdentLedOn(p: Params<typeof VolumeIdentLedOn>): void {
    setIdentLed(this.#ctx, p.volume, true);
  }

  volumeIdentLedOff(p: Params<typeof VolumeIdentLedOff>): void {
    setIdentLed(this.#ctx, p.volume, false);
  }

  volumeCacheInfo(p: Params<typeof VolumeCacheInfo>): [number, number, number, number, number] {
    return volumeCacheInfo(this.#store, p.volume);
  }

  volumePhysicalDiskCacheUpdate(p: Params<typeof VolumePhysicalDiskCacheUpdate>): void {
    updateCachePolicy(this.#ctx, p.volume, 'pdc', p.pdc);
  }

  volumeWriteCachePolicyUpdate(p: Params<typeof VolumeWriteCachePolicyUpdate>): void {
    updateCachePolicy(this.#ctx, p.volume, 'wcp', p.wcp);
  }

  volumeReadCachePolicyUpdate(p: Params<typeof VolumeReadCachePolicyUpdate>): void {
    updateCachePolicy(this.#ctx, p.volume, 'rcp', p.rcp);
  }

  disks(p: Params<typeof Disks>): Disk[] {
    return listDisks(this.#store, p.search_key, p.search_value);
  }

  targetPorts(p: Params<typeof TargetPorts>): TargetPort[] {
    return listTargetPorts(this.#store, p.search_key, p.search_value);
  }

  batteries(p: Params<typeof Batteries>): Battery[] {
    return listBatteries(this.#store, p.search_key, p.search_value);
  }

  accessGroups(p: Params<typeof AccessGroups>): AccessGroup[] {
    return listAccessGroups(this.#store, p.search_key, p.search_value);
  }

  accessGroupCreate(p: Params<typeof AccessGroupCreate>): AccessGroup {
    return createAccessGroup(this.#ctx, p.name, p.init_id, p.init_type, p.system);
  }

  accessGroupDelete(p: Params<typeof AccessGroupDelete>): void {
    deleteAccessGroup(this.#ctx, p.access_group);
  }

  accessGroupInitiatorAdd(p: Params<typeof AccessGroupInitiatorAdd>): AccessGroup {
    return addAccessGroupInitiator(this.#ctx, p.access_group, p.init_id, p.init_type);
  }

  accessGroupInitiatorDelete(p: Params<typeof AccessGroupInitiatorDelete>): AccessGroup {
    return deleteAccessGroupInitiator(this.#ctx, p.access_group, p.init_id, p.init_type);
  }

  volumeMask(p: Params<typeof VolumeMask>): void {
    maskVolume(this.#ctx, p.access_group, p.volume);
  }

  volumeUnmask(p: Params<typeof VolumeUnmask>): void {
    unmaskVolume(this.#ctx, p.access_group, p.volume);
  }

  volumesAccessibleByAccessGroup(p: Params<typeof VolumesAccessibleByAccessGroup>): Volume[] {
    return volumesAccessibleBy(this.#store, p.access_group);
  }

  accessGroupsGrantedToVolume(p: Params<typeof AccessGroupsGrantedToVolume>): AccessGroup[] {
    return accessGroupsGrantedTo(this.#store, p.volume);
  }

  iscsiChapAuth(p: Params<typeof IscsiChapAuth>): void {
    iscsiChapAuth(p.init_id, p.in_user, p.in_password, p.out_user, p.out_password);
  }

  fs(p: Params<typeof Fs>): FileSystem[] {
    return listFileSystems(this.#store, p.search_key, p.search_value);
  }

  fsCreate(p: Params<typeof FsCreate>): [string, null] {
    return createFs(this.#ctx, p.pool, p.name, p.size_bytes);
  }

  fsDelete(p: Params<typeof FsDelete>): string {
    return deleteFs(this.#ctx, p.fs);
  }

  fsResize(p: Params<typeof FsResize>): [string, null] {
    return resizeFs(this.#ctx, p.fs, p.new_size_bytes);
  }

  fsClone(p: Params<typeof FsClone>): [string, null] {
    return cloneFs(this.#ctx, p.src_fs, p.dest_fs_name, p.snapshot);
  }

  fsFileClone(p: Params<typeof FsFileClone>): string {
    return cloneFile(this.#ctx, p.fs, p.src_file_name, p.dest_file_name, p.snapshot);
  }

  fsChildDependency(p: Params<typeof FsChildDependency>): boolean {
    return fsHasChildDependency(this.#store, p.fs, p.files);
  }

  fsChildDependencyRm(p: Params<typeof FsChildDependencyRm>): string {
    return fsRemoveChildDependency(this.#ctx, p.fs, p.files);
  }

  fsSnapshots(p: Params<typeof FsSnapshots>): FsSnapshot[] {
    return listSnapshots(this.#store, p.fs);
  }

  fsSnapshotCreate(p: Params<typeof FsSnapshotCreate>): [string, null] {
    return createSnapshot(this.#ctx, p.fs, p.snapshot_name);
  }

  fsSnapshotDelete(p: Params<typeof FsSnapshotDelete>): string {
    return deleteSnapshot(this.#ctx, p.fs, p.snapshot);
  }

  fsSnapshotRestore(p: Params<typeof FsSnapshotRestore>): string {
    return restoreSnapshot(this.#ctx, p.fs, p.snapshot, p.files, p.restore_files, p.all_files);
  }

  exportAuth(): string[] {
    return [...EXPORT_AUTH_TYPES];
  }

  exports(p: Params<typeof Exports>): NfsExport[] {
    return listExports(this.#store, p.search_key, p.search_value);
  }

  exportFs(p: Params<typeof ExportFs>): NfsExport {
    return exportFs(this.#ctx, {
      fsId: p.fs_id, exportPath: p.export_path, root: p.root_list, rw: p.rw_list, ro: p.ro_list,
      anonUid: p.anon_uid, anonGid: p.anon_gid, authType: p.auth_type, options: p.options,
    });
  }

  exportRemove(p: Params<typeof ExportRemove>): void {
    removeExport(this.#ctx, p.export);
  }
}
