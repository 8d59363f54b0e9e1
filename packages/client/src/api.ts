/**
 * The client's RPC methods, one per lsm RPC, with their documentation. The signatures are derived from the RPC
 * table in @openlsm/core (`ParamsOf`, `AwaitedResultOf`); client.ts checks at compile time that this list and
 * the table agree, so a method added to the table fails the build until it is documented here.
 *
 * Params are lsm's named params; asynchronous operations resolve when their job completes (with the job's item,
 * or nothing for jobs without one) and report progress through `options.onProgress`.
 */
import type {
  AccessGroupCreate, AccessGroupDelete, AccessGroupInitiatorAdd, AccessGroupInitiatorDelete, AccessGroups,
  AccessGroupsGrantedToVolume, AwaitedResultOf, Batteries, CapabilitiesGet, Disks, ExportAuth, ExportFs,
  ExportRemove, Exports, Fs, FsChildDependency, FsChildDependencyRm, FsClone, FsCreate, FsDelete, FsFileClone,
  FsResize, FsSnapshotCreate, FsSnapshotDelete, FsSnapshotRestore, FsSnapshots, IscsiChapAuth, JobFree,
  JobStatusGet, ParamsOf, PluginInfo, PoolMemberInfo, Pools, SystemReadCachePctUpdate, Systems, TargetPorts,
  TimeOutGet, TimeOutSet, VolumeCacheInfo, VolumeChildDependency, VolumeChildDependencyRm, VolumeCreate,
  VolumeDelete, VolumeDisable, VolumeEnable, VolumeIdentLedOff, VolumeIdentLedOn, VolumeMask,
  VolumePhysicalDiskCacheUpdate, VolumeRaidCreate, VolumeRaidCreateCapGet, VolumeRaidInfo,
  VolumeReadCachePolicyUpdate, VolumeReplicate, VolumeReplicateRange, VolumeReplicateRangeBlockSize, VolumeResize,
  Volumes, VolumesAccessibleByAccessGroup, VolumeUnmask, VolumeWriteCachePolicyUpdate,
} from '@openlsm/core';
import type { CallOptions } from '@openlsm/ipc';

export interface InvokeOptions extends CallOptions {
  /** Called with the percentage while a job runs, once for each new value (100 last). */
  onProgress?: (percent: number, jobId: string) => void;
  /** Longest wait between `job_status` polls when the plugin pushes no progress (default 500 ms). */
  pollIntervalMs?: number;
}

export interface ClientMethods {
  /**
   * The plugin's description and version; answered before registration too.
   * ```ts
   * const [description, version] = await client.pluginInfo();
   * ```
   */
  pluginInfo(params?: ParamsOf<typeof PluginInfo>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof PluginInfo>>;
  /**
   * Changes the deadline of every later call of this session (ms).
   * ```ts
   * await client.timeOutSet({ ms: 60_000 });
   * ```
   */
  timeOutSet(params: ParamsOf<typeof TimeOutSet>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof TimeOutSet>>;
  /**
   * The deadline in force for this session's calls (ms).
   * ```ts
   * const ms = await client.timeOutGet();
   * ```
   */
  timeOutGet(params?: ParamsOf<typeof TimeOutGet>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof TimeOutGet>>;
  /**
   * What the plugin supports on a system; test entries with `isSupported(caps, Capability.X)`.
   * ```ts
   * const caps = await client.capabilities({ system });
   * ```
   */
  capabilities(params: ParamsOf<typeof CapabilitiesGet>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof CapabilitiesGet>>;
  /**
   * `[status, percent, item]` of a job, which may have been started by another process; a failed job rejects with its error.
   * ```ts
   * const [status, percent] = await client.jobStatus({ job_id: 'JOB_ID_00001' });
   * ```
   */
  jobStatus(params: ParamsOf<typeof JobStatusGet>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof JobStatusGet>>;
  /**
   * Releases a finished job's state in the plugin.
   * ```ts
   * await client.jobFree({ job_id: 'JOB_ID_00001' });
   * ```
   */
  jobFree(params: ParamsOf<typeof JobFree>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof JobFree>>;
  /**
   * The storage systems behind this plugin.
   * ```ts
   * const [system] = await client.systems();
   * ```
   */
  systems(params?: ParamsOf<typeof Systems>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof Systems>>;
  /**
   * Pools, optionally filtered by `id` or `system_id`.
   * ```ts
   * const pools = await client.pools({ search_key: 'system_id', search_value: 'sim-01' });
   * ```
   */
  pools(params?: ParamsOf<typeof Pools>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof Pools>>;
  /**
   * Sets the share of the system's cache used for reads (0..100).
   * ```ts
   * await client.systemReadCachePctUpdate({ system, read_pct: 40 });
   * ```
   */
  systemReadCachePctUpdate(params: ParamsOf<typeof SystemReadCachePctUpdate>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof SystemReadCachePctUpdate>>;
  /**
   * `[raid_type, member_type, member_ids]` of a pool.
   * ```ts
   * const [raidType, memberType, members] = await client.poolMemberInfo({ pool });
   * ```
   */
  poolMemberInfo(params: ParamsOf<typeof PoolMemberInfo>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof PoolMemberInfo>>;
  /**
   * Volumes, optionally filtered by `id`, `system_id` or `pool_id`.
   * ```ts
   * const vols = await client.volumes({ search_key: 'pool_id', search_value: pool.id });
   * ```
   */
  volumes(params?: ParamsOf<typeof Volumes>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof Volumes>>;
  /**
   * Creates a volume; resolves with it when the job completes.
   * ```ts
   * const vol = await client.volumeCreate({ pool, volume_name: 'vol1', size_bytes: 1n << 30n });
   * ```
   */
  volumeCreate(params: ParamsOf<typeof VolumeCreate>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeCreate>>;
  /**
   * Grows or shrinks a volume; resolves with the resized volume.
   * ```ts
   * const bigger = await client.volumeResize({ volume, new_size_bytes: 2n << 30n });
   * ```
   */
  volumeResize(params: ParamsOf<typeof VolumeResize>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeResize>>;
  /**
   * Copies a volume (`ReplicationType.CLONE`, `COPY`, `MIRROR_*`), into `pool` or the source's pool.
   * ```ts
   * const copy = await client.volumeReplicate({ volume_src: volume, rep_type: ReplicationType.COPY, name: 'vol1-copy' });
   * ```
   */
  volumeReplicate(params: ParamsOf<typeof VolumeReplicate>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeReplicate>>;
  /**
   * The block size (bytes) of `BlockRange`s on a system.
   * ```ts
   * const blockSize = await client.volumeReplicateRangeBlockSize({ system });
   * ```
   */
  volumeReplicateRangeBlockSize(params: ParamsOf<typeof VolumeReplicateRangeBlockSize>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeReplicateRangeBlockSize>>;
  /**
   * Copies block ranges from one volume to another.
   * ```ts
   * await client.volumeReplicateRange({ rep_type: ReplicationType.COPY, volume_src: a, volume_dest: b, ranges: [{ src_block: 0n, dest_block: 0n, block_count: 8n }] });
   * ```
   */
  volumeReplicateRange(params: ParamsOf<typeof VolumeReplicateRange>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeReplicateRange>>;
  /**
   * Deletes a volume (IS_MASKED while masked, HAS_CHILD_DEPENDENCY while a replica depends on it).
   * ```ts
   * await client.volumeDelete({ volume });
   * ```
   */
  volumeDelete(params: ParamsOf<typeof VolumeDelete>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeDelete>>;
  /**
   * Brings a disabled volume online.
   * ```ts
   * await client.volumeEnable({ volume });
   * ```
   */
  volumeEnable(params: ParamsOf<typeof VolumeEnable>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeEnable>>;
  /**
   * Takes a volume offline.
   * ```ts
   * await client.volumeDisable({ volume });
   * ```
   */
  volumeDisable(params: ParamsOf<typeof VolumeDisable>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeDisable>>;
  /**
   * True when other volumes depend on this one (replication source).
   * ```ts
   * const busy = await client.volumeChildDependency({ volume });
   * ```
   */
  volumeChildDependency(params: ParamsOf<typeof VolumeChildDependency>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeChildDependency>>;
  /**
   * Makes the volume's dependants independent of it.
   * ```ts
   * await client.volumeChildDependencyRm({ volume });
   * ```
   */
  volumeChildDependencyRm(params: ParamsOf<typeof VolumeChildDependencyRm>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeChildDependencyRm>>;
  /**
   * `[raid_type, strip_size, disk_count, min_io_size, opt_io_size]` of a volume.
   * ```ts
   * const [raidType, stripSize] = await client.volumeRaidInfo({ volume });
   * ```
   */
  volumeRaidInfo(params: ParamsOf<typeof VolumeRaidInfo>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeRaidInfo>>;
  /**
   * `[raid_types, strip_sizes]` that `volumeRaidCreate` accepts on a system.
   * ```ts
   * const [types, strips] = await client.volumeRaidCreateCapGet({ system });
   * ```
   */
  volumeRaidCreateCapGet(params: ParamsOf<typeof VolumeRaidCreateCapGet>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeRaidCreateCapGet>>;
  /**
   * Builds a RAID volume from free disks (synchronous).
   * ```ts
   * const vol = await client.volumeRaidCreate({ name: 'r1', raid_type: RaidType.RAID1, disks: [d1, d2] });
   * ```
   */
  volumeRaidCreate(params: ParamsOf<typeof VolumeRaidCreate>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeRaidCreate>>;
  /**
   * Turns on the identification LEDs of the volume's disks.
   * ```ts
   * await client.volumeIdentLedOn({ volume });
   * ```
   */
  volumeIdentLedOn(params: ParamsOf<typeof VolumeIdentLedOn>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeIdentLedOn>>;
  /**
   * Turns off the identification LEDs of the volume's disks.
   * ```ts
   * await client.volumeIdentLedOff({ volume });
   * ```
   */
  volumeIdentLedOff(params: ParamsOf<typeof VolumeIdentLedOff>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeIdentLedOff>>;
  /**
   * `[write_cache_policy, write_cache_status, read_cache_policy, read_cache_status, physical_disk_cache]`.
   * ```ts
   * const [wcp, wcs, rcp, rcs, pdc] = await client.volumeCacheInfo({ volume });
   * ```
   */
  volumeCacheInfo(params: ParamsOf<typeof VolumeCacheInfo>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeCacheInfo>>;
  /**
   * Enables or disables the disks' own cache for a volume.
   * ```ts
   * await client.volumePhysicalDiskCacheUpdate({ volume, pdc: PhysicalDiskCache.DISABLED });
   * ```
   */
  volumePhysicalDiskCacheUpdate(params: ParamsOf<typeof VolumePhysicalDiskCacheUpdate>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumePhysicalDiskCacheUpdate>>;
  /**
   * Sets the write cache policy (write back, auto, write through).
   * ```ts
   * await client.volumeWriteCachePolicyUpdate({ volume, wcp: WriteCachePolicy.WRITE_THROUGH });
   * ```
   */
  volumeWriteCachePolicyUpdate(params: ParamsOf<typeof VolumeWriteCachePolicyUpdate>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeWriteCachePolicyUpdate>>;
  /**
   * Enables or disables read caching for a volume.
   * ```ts
   * await client.volumeReadCachePolicyUpdate({ volume, rcp: ReadCachePolicy.ENABLED });
   * ```
   */
  volumeReadCachePolicyUpdate(params: ParamsOf<typeof VolumeReadCachePolicyUpdate>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeReadCachePolicyUpdate>>;
  /**
   * Disks, optionally filtered by `id` or `system_id`.
   * ```ts
   * const free = (await client.disks()).filter((d) => d.status & DiskStatus.FREE);
   * ```
   */
  disks(params?: ParamsOf<typeof Disks>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof Disks>>;
  /**
   * Target ports (FC, FCoE, iSCSI), optionally filtered by `id` or `system_id`.
   * ```ts
   * const ports = await client.targetPorts();
   * ```
   */
  targetPorts(params?: ParamsOf<typeof TargetPorts>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof TargetPorts>>;
  /**
   * Batteries and capacitors, optionally filtered by `id` or `system_id`.
   * ```ts
   * const batteries = await client.batteries();
   * ```
   */
  batteries(params?: ParamsOf<typeof Batteries>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof Batteries>>;
  /**
   * Access groups, optionally filtered by `id` or `system_id`.
   * ```ts
   * const groups = await client.accessGroups();
   * ```
   */
  accessGroups(params?: ParamsOf<typeof AccessGroups>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof AccessGroups>>;
  /**
   * Creates an access group with its first initiator (IQN or WWPN, normalised).
   * ```ts
   * const ag = await client.accessGroupCreate({ name: 'hosts', init_id: 'iqn.1994-05.com.example:h1', init_type: InitiatorType.ISCSI_IQN, system });
   * ```
   */
  accessGroupCreate(params: ParamsOf<typeof AccessGroupCreate>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof AccessGroupCreate>>;
  /**
   * Deletes an access group (IS_MASKED while volumes are masked to it).
   * ```ts
   * await client.accessGroupDelete({ access_group: ag });
   * ```
   */
  accessGroupDelete(params: ParamsOf<typeof AccessGroupDelete>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof AccessGroupDelete>>;
  /**
   * Adds an initiator; resolves with the updated group.
   * ```ts
   * const updated = await client.accessGroupInitiatorAdd({ access_group: ag, init_id: '10:00:00:00:c9:95:2f:de', init_type: InitiatorType.WWPN });
   * ```
   */
  accessGroupInitiatorAdd(params: ParamsOf<typeof AccessGroupInitiatorAdd>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof AccessGroupInitiatorAdd>>;
  /**
   * Removes an initiator (LAST_INIT_IN_ACCESS_GROUP for the last one).
   * ```ts
   * const updated = await client.accessGroupInitiatorDelete({ access_group: ag, init_id, init_type: InitiatorType.ISCSI_IQN });
   * ```
   */
  accessGroupInitiatorDelete(params: ParamsOf<typeof AccessGroupInitiatorDelete>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof AccessGroupInitiatorDelete>>;
  /**
   * Grants an access group access to a volume.
   * ```ts
   * await client.volumeMask({ access_group: ag, volume });
   * ```
   */
  volumeMask(params: ParamsOf<typeof VolumeMask>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeMask>>;
  /**
   * Revokes an access group's access to a volume.
   * ```ts
   * await client.volumeUnmask({ access_group: ag, volume });
   * ```
   */
  volumeUnmask(params: ParamsOf<typeof VolumeUnmask>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumeUnmask>>;
  /**
   * The volumes masked to an access group.
   * ```ts
   * const vols = await client.volumesAccessibleByAccessGroup({ access_group: ag });
   * ```
   */
  volumesAccessibleByAccessGroup(params: ParamsOf<typeof VolumesAccessibleByAccessGroup>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof VolumesAccessibleByAccessGroup>>;
  /**
   * The access groups a volume is masked to.
   * ```ts
   * const groups = await client.accessGroupsGrantedToVolume({ volume });
   * ```
   */
  accessGroupsGrantedToVolume(params: ParamsOf<typeof AccessGroupsGrantedToVolume>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof AccessGroupsGrantedToVolume>>;
  /**
   * Sets (or, with nulls, removes) iSCSI CHAP credentials for an initiator.
   * ```ts
   * await client.iscsiChapAuth({ init_id: iqn, in_user: 'u', in_password: secret });
   * ```
   */
  iscsiChapAuth(params: ParamsOf<typeof IscsiChapAuth>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof IscsiChapAuth>>;
  /**
   * File systems, optionally filtered by `id`, `system_id` or `pool_id`.
   * ```ts
   * const filesystems = await client.fs();
   * ```
   */
  fs(params?: ParamsOf<typeof Fs>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof Fs>>;
  /**
   * Creates a file system; resolves with it when the job completes.
   * ```ts
   * const fs = await client.fsCreate({ pool, name: 'fs1', size_bytes: 10n << 30n });
   * ```
   */
  fsCreate(params: ParamsOf<typeof FsCreate>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof FsCreate>>;
  /**
   * Deletes a file system (HAS_CHILD_DEPENDENCY while a clone depends on it).
   * ```ts
   * await client.fsDelete({ fs });
   * ```
   */
  fsDelete(params: ParamsOf<typeof FsDelete>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof FsDelete>>;
  /**
   * Resizes a file system; resolves with it.
   * ```ts
   * const bigger = await client.fsResize({ fs, new_size_bytes: 20n << 30n });
   * ```
   */
  fsResize(params: ParamsOf<typeof FsResize>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof FsResize>>;
  /**
   * Clones a file system, optionally from a snapshot.
   * ```ts
   * const clone = await client.fsClone({ src_fs: fs, dest_fs_name: 'fs1-clone' });
   * ```
   */
  fsClone(params: ParamsOf<typeof FsClone>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof FsClone>>;
  /**
   * Clones one file inside a file system.
   * ```ts
   * await client.fsFileClone({ fs, src_file_name: 'a.img', dest_file_name: 'b.img' });
   * ```
   */
  fsFileClone(params: ParamsOf<typeof FsFileClone>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof FsFileClone>>;
  /**
   * True when clones or snapshots depend on the file system (or on `files`).
   * ```ts
   * const busy = await client.fsChildDependency({ fs });
   * ```
   */
  fsChildDependency(params: ParamsOf<typeof FsChildDependency>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof FsChildDependency>>;
  /**
   * Makes the file system's dependants independent of it.
   * ```ts
   * await client.fsChildDependencyRm({ fs });
   * ```
   */
  fsChildDependencyRm(params: ParamsOf<typeof FsChildDependencyRm>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof FsChildDependencyRm>>;
  /**
   * The snapshots of a file system.
   * ```ts
   * const snaps = await client.fsSnapshots({ fs });
   * ```
   */
  fsSnapshots(params: ParamsOf<typeof FsSnapshots>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof FsSnapshots>>;
  /**
   * Snapshots a file system; resolves with the snapshot.
   * ```ts
   * const snap = await client.fsSnapshotCreate({ fs, snapshot_name: 'before-upgrade' });
   * ```
   */
  fsSnapshotCreate(params: ParamsOf<typeof FsSnapshotCreate>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof FsSnapshotCreate>>;
  /**
   * Deletes a snapshot.
   * ```ts
   * await client.fsSnapshotDelete({ fs, snapshot: snap });
   * ```
   */
  fsSnapshotDelete(params: ParamsOf<typeof FsSnapshotDelete>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof FsSnapshotDelete>>;
  /**
   * Restores a file system (or some files) from a snapshot.
   * ```ts
   * await client.fsSnapshotRestore({ fs, snapshot: snap, all_files: true });
   * ```
   */
  fsSnapshotRestore(params: ParamsOf<typeof FsSnapshotRestore>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof FsSnapshotRestore>>;
  /**
   * The NFS authentication types the plugin accepts.
   * ```ts
   * const types = await client.exportAuth();
   * ```
   */
  exportAuth(params?: ParamsOf<typeof ExportAuth>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof ExportAuth>>;
  /**
   * NFS exports, optionally filtered by `id` or `fs_id`.
   * ```ts
   * const exports = await client.exports({ search_key: 'fs_id', search_value: fs.id });
   * ```
   */
  exports(params?: ParamsOf<typeof Exports>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof Exports>>;
  /**
   * Exports a file system over NFS.
   * ```ts
   * const exp = await client.exportFs({ fs_id: fs.id, rw_list: ['10.0.0.1'] });
   * ```
   */
  exportFs(params: ParamsOf<typeof ExportFs>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof ExportFs>>;
  /**
   * Removes an NFS export.
   * ```ts
   * await client.exportRemove({ export: exp });
   * ```
   */
  exportRemove(params: ParamsOf<typeof ExportRemove>, options?: InvokeOptions): Promise<AwaitedResultOf<typeof ExportRemove>>;
}
