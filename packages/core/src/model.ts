/**
 * The objects of lsm's model. Field names and order are lsm's wire names (`num_of_blocks`, `system_id`), so the
 * same object crosses openlsm's msgpack wire, lsm's JSON wire and `lsmcli -s` output without renaming.
 * Every size is a `bigint` (pools reach 2 EiB; lsm's sizes are 64-bit).
 */
import { type Capabilities, CAPABILITY_COUNT } from './capabilities.js';
import { bytes, type Infer, int, list, nullable, record, type RecordSchema, size, str, union } from './schema.js';

const pluginData = nullable(str);

export const SystemSchema = record('System', {
  id: str,
  name: str,
  status: int,
  status_info: str,
  plugin_data: pluginData,
  fw_version: str,
  read_cache_pct: int,
  mode: int,
});

export const PoolSchema = record('Pool', {
  id: str,
  name: str,
  element_type: int,
  unsupported_actions: int,
  total_space: size,
  free_space: size,
  status: int,
  status_info: str,
  system_id: str,
  plugin_data: pluginData,
});

export const VolumeSchema = record('Volume', {
  id: str,
  name: str,
  vpd83: str,
  block_size: size,
  num_of_blocks: size,
  admin_state: int,
  system_id: str,
  pool_id: str,
  plugin_data: pluginData,
});

export const DiskSchema = record('Disk', {
  id: str,
  name: str,
  disk_type: int,
  block_size: size,
  num_of_blocks: size,
  status: int,
  system_id: str,
  plugin_data: pluginData,
  vpd83: str,
  location: str,
  rpm: int,
  link_type: int,
});

export const AccessGroupSchema = record('AccessGroup', {
  id: str,
  name: str,
  init_ids: list(str),
  init_type: int,
  system_id: str,
  plugin_data: pluginData,
});

export const TargetPortSchema = record('TargetPort', {
  id: str,
  port_type: int,
  service_address: str,
  network_address: str,
  physical_address: str,
  physical_name: str,
  system_id: str,
  plugin_data: pluginData,
});

export const FileSystemSchema = record('FileSystem', {
  id: str,
  name: str,
  total_space: size,
  free_space: size,
  pool_id: str,
  system_id: str,
  plugin_data: pluginData,
});

export const FsSnapshotSchema = record('FsSnapshot', {
  id: str,
  name: str,
  ts: int,
  plugin_data: pluginData,
});

export const NfsExportSchema = record('NfsExport', {
  id: str,
  fs_id: str,
  export_path: str,
  auth: str,
  root: list(str),
  rw: list(str),
  ro: list(str),
  anonuid: int,
  anongid: int,
  options: str,
  plugin_data: pluginData,
});

export const BatterySchema = record('Battery', {
  id: str,
  name: str,
  type: int,
  status: int,
  system_id: str,
  plugin_data: pluginData,
});

export const BlockRangeSchema = record('BlockRange', {
  src_block: size,
  dest_block: size,
  block_count: size,
});

export const CapabilitiesSchema: RecordSchema<Capabilities> = record('Capabilities', { cap: bytes(CAPABILITY_COUNT) });

export type System = Infer<typeof SystemSchema>;
export type Pool = Infer<typeof PoolSchema>;
export type Volume = Infer<typeof VolumeSchema>;
export type Disk = Infer<typeof DiskSchema>;
export type AccessGroup = Infer<typeof AccessGroupSchema>;
export type TargetPort = Infer<typeof TargetPortSchema>;
export type FileSystem = Infer<typeof FileSystemSchema>;
export type FsSnapshot = Infer<typeof FsSnapshotSchema>;
export type NfsExport = Infer<typeof NfsExportSchema>;
export type Battery = Infer<typeof BatterySchema>;
export type BlockRange = Infer<typeof BlockRangeSchema>;

/** Every model class by lsm's class name, for codecs that tag objects (lsm's JSON wire). */
export const modelSchemas: Readonly<Record<string, RecordSchema<unknown>>> = Object.fromEntries(
  [
    SystemSchema, PoolSchema, VolumeSchema, DiskSchema, AccessGroupSchema, TargetPortSchema, FileSystemSchema,
    FsSnapshotSchema, NfsExportSchema, BatterySchema, BlockRangeSchema, CapabilitiesSchema,
  ].map((s) => [s.className, s as RecordSchema<unknown>]),
);

/**
 * What a finished job may carry: a Volume, a FileSystem or an FsSnapshot. lsm tags objects with their class;
 * openlsm's wire does not, so the item is recognised by the fields only its class has.
 */
export const JobItemSchema = union<Volume | FileSystem | FsSnapshot>('a Volume, FileSystem or FsSnapshot object', (v) => {
  if ('num_of_blocks' in v) return VolumeSchema;
  if ('ts' in v) return FsSnapshotSchema;
  if ('free_space' in v && 'pool_id' in v) return FileSystemSchema;
  return undefined;
});

/** Size in bytes of a volume or disk (lsm's derived `size_bytes`). */
export function sizeBytes(v: { block_size: bigint; num_of_blocks: bigint }): bigint {
  return v.block_size * v.num_of_blocks;
}

/** Recognises which class a job item is, for display. */
export function jobItemClass(item: Volume | FileSystem | FsSnapshot): 'Volume' | 'FileSystem' | 'FsSnapshot' {
  if ('num_of_blocks' in item) return 'Volume';
  if ('ts' in item) return 'FsSnapshot';
  return 'FileSystem';
}
