/**
 * One descriptor per lsm RPC: its wire name, parameters, result, whether it may run as a job, which search keys
 * it accepts and which capability announces it. The client SDK, the plugin kit and the daemon's lsm translator
 * all read this table, so they cannot disagree about a method.
 */
import { Capability as C } from './capabilities.js';
import {
  AccessGroupSchema, BatterySchema, BlockRangeSchema, CapabilitiesSchema, DiskSchema, FileSystemSchema,
  FsSnapshotSchema, JobItemSchema, NfsExportSchema, PoolSchema, SystemSchema, TargetPortSchema, VolumeSchema,
} from './model.js';
import {
  bool, type InputOf, int, list, nothing, nullable, optional, type OutputOf, record, type RecordSchema, type Schema,
  type Shape, size, str, tuple,
} from './schema.js';

/** How a method reports completion: `pair` answers `[job_id, item]`, `id` answers `job_id` or null. */
export type JobKind = 'pair' | 'id';

/** `volume_create` -> `volumeCreate`, at the type level. */
export type CamelCase<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

export interface MethodDescriptor<P extends Shape = Shape, R = unknown, I = unknown, W extends string = string, J extends JobKind | undefined = JobKind | undefined> {
  /** lsm's wire name, e.g. `volume_create`. */
  readonly method: W;
  /** The TypeScript name of the plugin and client method, e.g. `volumeCreate`. */
  readonly name: CamelCase<W>;
  readonly params: RecordSchema<OutputOf<P & { flags: Schema<number> }>>;
  readonly result: Schema<R>;
  readonly job?: J;
  /** For `pair` jobs: the schema of the item a completed job yields. */
  readonly jobItem?: Schema<I>;
  /** Listing methods: the search keys lsm allows. */
  readonly searchKeys?: readonly string[];
  /** Capabilities that announce support for this method (any one of them). */
  readonly capabilities: readonly number[];
  /** Answered before `plugin_register` (`plugin_info`), and needs no session. */
  readonly beforeRegister?: boolean;
}

/** The params a caller passes (optional ones may be left out; `flags` defaults to 0). */
export type ParamsOf<D> = D extends MethodDescriptor<infer P> ? InputOf<P & { flags: typeof flags }> : never;
/** The params a plugin receives: validated, every field present. */
export type ParsedParamsOf<D> = D extends MethodDescriptor<infer P> ? OutputOf<P & { flags: Schema<number> }> : never;
export type ResultOf<D> = D extends MethodDescriptor<Shape, infer R> ? R : never;
export type JobItemOf<D> = D extends MethodDescriptor<Shape, unknown, infer I> ? I : never;
/** What awaiting a method yields: the item of a `pair` job, nothing for an `id` job, else the result. */
export type JobKindOf<D> = D extends MethodDescriptor<Shape, unknown, unknown, string, infer J> ? J : never;
export type AwaitedResultOf<D> = [JobKindOf<D>] extends ['pair'] ? JobItemOf<D> : [JobKindOf<D>] extends ['id'] ? void : ResultOf<D>;

const flags = optional(int, 0);

function camel<W extends string>(wire: W): CamelCase<W> {
  return wire.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) as CamelCase<W>;
}

interface Extra<I, J extends JobKind | undefined> {
  job?: J;
  jobItem?: Schema<I>;
  searchKeys?: readonly string[];
  capabilities?: readonly number[];
  beforeRegister?: boolean;
}

function method<const W extends string, const P extends Shape, R, I = never, const J extends JobKind | undefined = undefined>(
  wire: W, params: P, result: Schema<R>, extra: Extra<I, J> = {},
): MethodDescriptor<P, R, I, W, J> {
  const descriptor = {
    method: wire,
    name: camel(wire),
    params: record(wire, { ...params, flags }) as unknown as RecordSchema<OutputOf<P & { flags: Schema<number> }>>,
    result,
    capabilities: extra.capabilities ?? [],
    ...(extra.job ? { job: extra.job } : {}),
    ...(extra.jobItem ? { jobItem: extra.jobItem } : {}),
    ...(extra.searchKeys ? { searchKeys: extra.searchKeys } : {}),
    ...(extra.beforeRegister ? { beforeRegister: true } : {}),
  };
  return descriptor;
}

const jobId = nullable(str);
function jobPair<T>(item: Schema<T>): Schema<[string | null, T | null]> {
  return tuple(jobId, nullable(item)) as Schema<[string | null, T | null]>;
}
const searchParams = { search_key: optional(nullable(str), null), search_value: optional(nullable(str), null) };
const strList = list(str);
const optStrList = optional(nullable(strList), null);

export const PluginRegister = method('plugin_register', { uri: str, password: optional(nullable(str), null), timeout: optional(int, 30_000) }, nothing);
export const PluginUnregister = method('plugin_unregister', {}, nothing);
export const PluginInfo = method('plugin_info', {}, tuple(str, str), { beforeRegister: true });
export const TimeOutSet = method('time_out_set', { ms: int }, nothing);
export const TimeOutGet = method('time_out_get', {}, int);
export const CapabilitiesGet = method('capabilities', { system: SystemSchema }, CapabilitiesSchema);
export const JobStatusGet = method('job_status', { job_id: str }, tuple(int, int, nullable(JobItemSchema)));
export const JobFree = method('job_free', { job_id: str }, nothing);
export const Systems = method('systems', {}, list(SystemSchema));
export const Pools = method('pools', searchParams, list(PoolSchema), { searchKeys: ['id', 'system_id'], capabilities: [] });

export const SystemReadCachePctUpdate = method('system_read_cache_pct_update', { system: SystemSchema, read_pct: int }, nothing, { capabilities: [C.SYS_READ_CACHE_PCT_UPDATE] });
export const PoolMemberInfo = method('pool_member_info', { pool: PoolSchema }, tuple(int, int, strList), { capabilities: [C.POOL_MEMBER_INFO] });

export const Volumes = method('volumes', searchParams, list(VolumeSchema), { searchKeys: ['id', 'system_id', 'pool_id'], capabilities: [C.VOLUMES] });
export const VolumeCreate = method('volume_create', { pool: PoolSchema, volume_name: str, size_bytes: size, provisioning: optional(int, 3) }, jobPair(VolumeSchema), { job: 'pair', jobItem: VolumeSchema, capabilities: [C.VOLUME_CREATE] });
export const VolumeResize = method('volume_resize', { volume: VolumeSchema, new_size_bytes: size }, jobPair(VolumeSchema), { job: 'pair', jobItem: VolumeSchema, capabilities: [C.VOLUME_RESIZE] });
export const VolumeReplicate = method('volume_replicate', { pool: optional(nullable(PoolSchema), null), rep_type: int, volume_src: VolumeSchema, name: str }, jobPair(VolumeSchema), { job: 'pair', jobItem: VolumeSchema, capabilities: [C.VOLUME_REPLICATE] });
export const VolumeReplicateRangeBlockSize = method('volume_replicate_range_block_size', { system: SystemSchema }, size, { capabilities: [C.VOLUME_COPY_RANGE_BLOCK_SIZE] });
export const VolumeReplicateRange = method('volume_replicate_range', { rep_type: int, volume_src: VolumeSchema, volume_dest: VolumeSchema, ranges: list(BlockRangeSchema) }, jobId, { job: 'id', capabilities: [C.VOLUME_COPY_RANGE] });
export const VolumeDelete = method('volume_delete', { volume: VolumeSchema }, jobId, { job: 'id', capabilities: [C.VOLUME_DELETE] });
export const VolumeEnable = method('volume_enable', { volume: VolumeSchema }, nothing, { capabilities: [C.VOLUME_ENABLE] });
export const VolumeDisable = method('volume_disable', { volume: VolumeSchema }, nothing, { capabilities: [C.VOLUME_DISABLE] });
export const VolumeChildDependency = method('volume_child_dependency', { volume: VolumeSchema }, bool, { capabilities: [C.VOLUME_CHILD_DEPENDENCY] });
export const VolumeChildDependencyRm = method('volume_child_dependency_rm', { volume: VolumeSchema }, jobId, { job: 'id', capabilities: [C.VOLUME_CHILD_DEPENDENCY_RM] });
export const VolumeRaidInfo = method('volume_raid_info', { volume: VolumeSchema }, tuple(int, int, int, int, int), { capabilities: [C.VOLUME_RAID_INFO] });
export const VolumeRaidCreateCapGet = method('volume_raid_create_cap_get', { system: SystemSchema }, tuple(list(int), list(int)), { capabilities: [C.VOLUME_RAID_CREATE] });
export const VolumeRaidCreate = method('volume_raid_create', { name: str, raid_type: int, disks: list(DiskSchema), strip_size: optional(int, 0) }, VolumeSchema, { capabilities: [C.VOLUME_RAID_CREATE] });
export const VolumeIdentLedOn = method('volume_ident_led_on', { volume: VolumeSchema }, nothing, { capabilities: [C.VOLUME_LED] });
export const VolumeIdentLedOff = method('volume_ident_led_off', { volume: VolumeSchema }, nothing, { capabilities: [C.VOLUME_LED] });
export const VolumeCacheInfo = method('volume_cache_info', { volume: VolumeSchema }, tuple(int, int, int, int, int), { capabilities: [C.VOLUME_CACHE_INFO] });
export const VolumePhysicalDiskCacheUpdate = method('volume_physical_disk_cache_update', { volume: VolumeSchema, pdc: int }, nothing, { capabilities: [C.VOLUME_PHYSICAL_DISK_CACHE_UPDATE] });
export const VolumeWriteCachePolicyUpdate = method('volume_write_cache_policy_update', { volume: VolumeSchema, wcp: int }, nothing, { capabilities: [C.VOLUME_WRITE_CACHE_POLICY_UPDATE_WRITE_BACK, C.VOLUME_WRITE_CACHE_POLICY_UPDATE_AUTO, C.VOLUME_WRITE_CACHE_POLICY_UPDATE_WRITE_THROUGH] });
export const VolumeReadCachePolicyUpdate = method('volume_read_cache_policy_update', { volume: VolumeSchema, rcp: int }, nothing, { capabilities: [C.VOLUME_READ_CACHE_POLICY_UPDATE] });

export const Disks = method('disks', searchParams, list(DiskSchema), { searchKeys: ['id', 'system_id'], capabilities: [C.DISKS] });
export const TargetPorts = method('target_ports', searchParams, list(TargetPortSchema), { searchKeys: ['id', 'system_id'], capabilities: [C.TARGET_PORTS] });
export const Batteries = method('batteries', searchParams, list(BatterySchema), { searchKeys: ['id', 'system_id'], capabilities: [C.BATTERIES] });

export const AccessGroups = method('access_groups', searchParams, list(AccessGroupSchema), { searchKeys: ['id', 'system_id'], capabilities: [C.ACCESS_GROUPS] });
export const AccessGroupCreate = method('access_group_create', { name: str, init_id: str, init_type: int, system: SystemSchema }, AccessGroupSchema, { capabilities: [C.ACCESS_GROUP_CREATE_ISCSI_IQN, C.ACCESS_GROUP_CREATE_WWPN] });
export const AccessGroupDelete = method('access_group_delete', { access_group: AccessGroupSchema }, nothing, { capabilities: [C.ACCESS_GROUP_DELETE] });
export const AccessGroupInitiatorAdd = method('access_group_initiator_add', { access_group: AccessGroupSchema, init_id: str, init_type: int }, AccessGroupSchema, { capabilities: [C.ACCESS_GROUP_INITIATOR_ADD_ISCSI_IQN, C.ACCESS_GROUP_INITIATOR_ADD_WWPN] });
export const AccessGroupInitiatorDelete = method('access_group_initiator_delete', { access_group: AccessGroupSchema, init_id: str, init_type: int }, AccessGroupSchema, { capabilities: [C.ACCESS_GROUP_INITIATOR_DELETE] });
export const VolumeMask = method('volume_mask', { access_group: AccessGroupSchema, volume: VolumeSchema }, nothing, { capabilities: [C.VOLUME_MASK] });
export const VolumeUnmask = method('volume_unmask', { access_group: AccessGroupSchema, volume: VolumeSchema }, nothing, { capabilities: [C.VOLUME_UNMASK] });
export const VolumesAccessibleByAccessGroup = method('volumes_accessible_by_access_group', { access_group: AccessGroupSchema }, list(VolumeSchema), { capabilities: [C.VOLUMES_ACCESSIBLE_BY_ACCESS_GROUP] });
export const AccessGroupsGrantedToVolume = method('access_groups_granted_to_volume', { volume: VolumeSchema }, list(AccessGroupSchema), { capabilities: [C.ACCESS_GROUPS_GRANTED_TO_VOLUME] });
export const IscsiChapAuth = method('iscsi_chap_auth', { init_id: str, in_user: optional(nullable(str), null), in_password: optional(nullable(str), null), out_user: optional(nullable(str), null), out_password: optional(nullable(str), null) }, nothing, { capabilities: [C.VOLUME_ISCSI_CHAP_AUTHENTICATION] });

export const Fs = method('fs', searchParams, list(FileSystemSchema), { searchKeys: ['id', 'system_id', 'pool_id'], capabilities: [C.FS] });
export const FsCreate = method('fs_create', { pool: PoolSchema, name: str, size_bytes: size }, jobPair(FileSystemSchema), { job: 'pair', jobItem: FileSystemSchema, capabilities: [C.FS_CREATE] });
export const FsDelete = method('fs_delete', { fs: FileSystemSchema }, jobId, { job: 'id', capabilities: [C.FS_DELETE] });
export const FsResize = method('fs_resize', { fs: FileSystemSchema, new_size_bytes: size }, jobPair(FileSystemSchema), { job: 'pair', jobItem: FileSystemSchema, capabilities: [C.FS_RESIZE] });
export const FsClone = method('fs_clone', { src_fs: FileSystemSchema, dest_fs_name: str, snapshot: optional(nullable(FsSnapshotSchema), null) }, jobPair(FileSystemSchema), { job: 'pair', jobItem: FileSystemSchema, capabilities: [C.FS_CLONE] });
export const FsFileClone = method('fs_file_clone', { fs: FileSystemSchema, src_file_name: str, dest_file_name: str, snapshot: optional(nullable(FsSnapshotSchema), null) }, jobId, { job: 'id', capabilities: [C.FILE_CLONE] });
export const FsChildDependency = method('fs_child_dependency', { fs: FileSystemSchema, files: optStrList }, bool, { capabilities: [C.FS_CHILD_DEPENDENCY] });
export const FsChildDependencyRm = method('fs_child_dependency_rm', { fs: FileSystemSchema, files: optStrList }, jobId, { job: 'id', capabilities: [C.FS_CHILD_DEPENDENCY_RM] });
export const FsSnapshots = method('fs_snapshots', { fs: FileSystemSchema }, list(FsSnapshotSchema), { capabilities: [C.FS_SNAPSHOTS] });
export const FsSnapshotCreate = method('fs_snapshot_create', { fs: FileSystemSchema, snapshot_name: str }, jobPair(FsSnapshotSchema), { job: 'pair', jobItem: FsSnapshotSchema, capabilities: [C.FS_SNAPSHOT_CREATE] });
export const FsSnapshotDelete = method('fs_snapshot_delete', { fs: FileSystemSchema, snapshot: FsSnapshotSchema }, jobId, { job: 'id', capabilities: [C.FS_SNAPSHOT_DELETE] });
export const FsSnapshotRestore = method('fs_snapshot_restore', { fs: FileSystemSchema, snapshot: FsSnapshotSchema, files: optStrList, restore_files: optStrList, all_files: optional(bool, true) }, jobId, { job: 'id', capabilities: [C.FS_SNAPSHOT_RESTORE] });
export const ExportAuth = method('export_auth', {}, strList, { capabilities: [C.EXPORT_AUTH] });
export const Exports = method('exports', searchParams, list(NfsExportSchema), { searchKeys: ['id', 'fs_id'], capabilities: [C.EXPORTS] });
export const ExportFs = method('export_fs', {
  fs_id: str, export_path: optional(nullable(str), null), root_list: optional(strList, []), rw_list: optional(strList, []),
  ro_list: optional(strList, []), anon_uid: optional(int, -1), anon_gid: optional(int, -1),
  auth_type: optional(nullable(str), null), options: optional(nullable(str), null),
}, NfsExportSchema, { capabilities: [C.EXPORT_FS] });
export const ExportRemove = method('export_remove', { export: NfsExportSchema }, nothing, { capabilities: [C.EXPORT_REMOVE] });

/** Every RPC, in lsm's documentation order. */
export const allMethods = [
  PluginRegister, PluginUnregister, PluginInfo, TimeOutSet, TimeOutGet, CapabilitiesGet, JobStatusGet, JobFree,
  Systems, Pools, SystemReadCachePctUpdate, PoolMemberInfo,
  Volumes, VolumeCreate, VolumeResize, VolumeReplicate, VolumeReplicateRangeBlockSize, VolumeReplicateRange,
  VolumeDelete, VolumeEnable, VolumeDisable, VolumeChildDependency, VolumeChildDependencyRm, VolumeRaidInfo,
  VolumeRaidCreateCapGet, VolumeRaidCreate, VolumeIdentLedOn, VolumeIdentLedOff, VolumeCacheInfo,
  VolumePhysicalDiskCacheUpdate, VolumeWriteCachePolicyUpdate, VolumeReadCachePolicyUpdate,
  Disks, TargetPorts, Batteries,
  AccessGroups, AccessGroupCreate, AccessGroupDelete, AccessGroupInitiatorAdd, AccessGroupInitiatorDelete,
  VolumeMask, VolumeUnmask, VolumesAccessibleByAccessGroup, AccessGroupsGrantedToVolume, IscsiChapAuth,
  Fs, FsCreate, FsDelete, FsResize, FsClone, FsFileClone, FsChildDependency, FsChildDependencyRm, FsSnapshots,
  FsSnapshotCreate, FsSnapshotDelete, FsSnapshotRestore, ExportAuth, Exports, ExportFs, ExportRemove,
] as const satisfies readonly MethodDescriptor<any, any, any>[];

export type AnyMethod = (typeof allMethods)[number];

/** Descriptor by wire name (`volume_create`). */
export const methodsByWireName: ReadonlyMap<string, AnyMethod> = new Map(allMethods.map((m) => [m.method, m]));
