/**
 * What lsmcli shows of each object: its columns, in lsmcli's order and with lsmcli's headers. Columns marked
 * `scriptOnly` appear only with -s. The JSON form of each object is lsm's own fields (plus `size_bytes`). Which
 * values -H turns into sizes follows lsm's data_display.py (for volumes and disks also the block size).
 */
import {
  type AccessGroup, type Battery, type Disk, type FileSystem, type FsSnapshot, formatSizeHuman, type NfsExport,
  type Pool, sizeBytes, type System, type TargetPort, type Volume,
} from '@openlsm/core';
import {
  adminStateText, batteryStatusNames, batteryTypeNames, bitmapText, diskRpmText, diskStatusNames, diskTypeNames,
  enumText, initTypeNames, linkTypeNames, poolElementTypeNames, poolStatusNames, poolUnsupportedNames,
  readCachePctText, systemModeText, systemStatusNames, targetPortTypeNames,
} from './display.js';
import type { Cell } from './table.js';

export interface FormatOptions {
  /** -H: sizes in binary units. */
  human: boolean;
  /** -e: enumerations and bitmaps as numbers. */
  enumNumbers: boolean;
  /** Local block devices (`/dev/sdX`) by SCSI VPD 0x83, for the "Disk Paths" column. */
  diskPaths?: ReadonlyMap<string, readonly string[]>;
}

export interface Column<T> {
  readonly header: string;
  readonly scriptOnly?: boolean;
  readonly value: (o: T, f: FormatOptions) => Cell;
}

export interface ObjectView<T> {
  readonly columns: readonly Column<T>[];
  /** The object as printed by `-o json`. */
  readonly json: (o: T) => unknown;
}

type Names = Parameters<typeof enumText>[1];

const text = <T>(header: string, get: (o: T) => string, scriptOnly = false): Column<T> =>
  ({ header, value: (o) => get(o), ...(scriptOnly ? { scriptOnly } : {}) });
const size = <T>(header: string, get: (o: T) => bigint, scriptOnly = false): Column<T> =>
  ({ header, value: (o, f) => (f.human ? formatSizeHuman(get(o)) : get(o).toString()), ...(scriptOnly ? { scriptOnly } : {}) });
const num = <T>(header: string, get: (o: T) => number | bigint, scriptOnly = false): Column<T> =>
  ({ header, value: (o) => String(get(o)), ...(scriptOnly ? { scriptOnly } : {}) });
const enumCol = <T>(header: string, get: (o: T) => number, names: Names, scriptOnly = false): Column<T> =>
  ({ header, value: (o, f) => (f.enumNumbers ? String(get(o)) : enumText(get(o), names)), ...(scriptOnly ? { scriptOnly } : {}) });
const bitmapCol = <T>(header: string, get: (o: T) => number, names: Names, scriptOnly = false): Column<T> =>
  ({ header, value: (o, f) => (f.enumNumbers ? String(get(o)) : bitmapText(get(o), names)), ...(scriptOnly ? { scriptOnly } : {}) });
const custom = <T>(header: string, get: (o: T) => number, show: (n: number) => string, scriptOnly = false): Column<T> =>
  ({ header, value: (o, f) => (f.enumNumbers ? String(get(o)) : show(get(o))), ...(scriptOnly ? { scriptOnly } : {}) });
const list = <T>(header: string, get: (o: T) => readonly string[], scriptOnly = false): Column<T> =>
  ({ header, value: (o) => get(o), ...(scriptOnly ? { scriptOnly } : {}) });
// A list, as lsm's: blank in column mode, and with -s the row is left out when no local device matches.
const diskPaths = <T extends { vpd83: string }>(): Column<T> =>
  ({ header: 'Disk Paths', value: (o, f) => (o.vpd83 ? f.diskPaths?.get(o.vpd83.toLowerCase()) ?? [] : []) });

const withSize = <T extends { block_size: bigint; num_of_blocks: bigint }>(o: T) => ({ ...o, size_bytes: sizeBytes(o) });
const same = (o: unknown) => o;

export const systemView: ObjectView<System> = {
  columns: [
    text('ID', (s) => s.id), text('Name', (s) => s.name), bitmapCol('Status', (s) => s.status, systemStatusNames),
    text('Info', (s) => s.status_info), text('FW Ver', (s) => s.fw_version),
    custom('Mode', (s) => s.mode, systemModeText), custom('Read Cache Percentage', (s) => s.read_cache_pct, readCachePctText),
  ],
  json: same,
};

export const poolView: ObjectView<Pool> = {
  columns: [
    text('ID', (p) => p.id), text('Name', (p) => p.name), bitmapCol('Element Type', (p) => p.element_type, poolElementTypeNames),
    bitmapCol('Does not support', (p) => p.unsupported_actions, poolUnsupportedNames, true),
    size('Total Space', (p) => p.total_space), size('Free Space', (p) => p.free_space),
    bitmapCol('Status', (p) => p.status, poolStatusNames), text('Info', (p) => p.status_info), text('System ID', (p) => p.system_id),
  ],
  json: same,
};

export const volumeView: ObjectView<Volume> = {
  columns: [
    text('ID', (v) => v.id), text('Name', (v) => v.name), text('SCSI VPD 0x83', (v) => v.vpd83),
    size('Block Size', (v) => v.block_size, true), num('Block Count', (v) => v.num_of_blocks, true),
    size('Size', sizeBytes), custom('Disabled', (v) => v.admin_state, adminStateText),
    text('Pool ID', (v) => v.pool_id), text('System ID', (v) => v.system_id), diskPaths<Volume>(),
  ],
  json: withSize,
};

export const diskView: ObjectView<Disk> = {
  columns: [
    text('ID', (d) => d.id), text('Name', (d) => d.name), enumCol('Type', (d) => d.disk_type, diskTypeNames),
    size('Block Size', (d) => d.block_size, true), num('Block Count', (d) => d.num_of_blocks, true),
    size('Size', sizeBytes), bitmapCol('Status', (d) => d.status, diskStatusNames), text('System ID', (d) => d.system_id),
    text('SCSI VPD 0x83', (d) => d.vpd83), diskPaths<Disk>(),
    custom('Revolutions Per Minute', (d) => d.rpm, diskRpmText), enumCol('Link Type', (d) => d.link_type, linkTypeNames),
    text('Location', (d) => d.location, true),
  ],
  json: withSize,
};

export const accessGroupView: ObjectView<AccessGroup> = {
  columns: [
    text('ID', (a) => a.id), text('Name', (a) => a.name), list('Initiator IDs', (a) => a.init_ids),
    enumCol('Type', (a) => a.init_type, initTypeNames, true), text('System ID', (a) => a.system_id),
  ],
  json: same,
};

export const fileSystemView: ObjectView<FileSystem> = {
  columns: [
    text('ID', (f) => f.id), text('Name', (f) => f.name), size('Total Space', (f) => f.total_space),
    size('Free Space', (f) => f.free_space), text('Pool ID', (f) => f.pool_id), text('System ID', (f) => f.system_id),
  ],
  json: same,
};

/** `YYYY-MM-DD HH:MM:SS` in local time, as lsmcli prints a snapshot's time stamp. */
export function localDateTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  if (Number.isNaN(d.getTime())) return String(unixSeconds);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export const snapshotView: ObjectView<FsSnapshot> = {
  columns: [
    text('ID', (s) => s.id), text('Name', (s) => s.name),
    { header: 'Time Stamp', value: (s, f) => (f.enumNumbers ? String(s.ts) : localDateTime(s.ts)) },
  ],
  json: same,
};

export const exportView: ObjectView<NfsExport> = {
  columns: [
    text('ID', (e) => e.id), text('FileSystem ID', (e) => e.fs_id), text('Export Path', (e) => e.export_path),
    text('Auth Type', (e) => e.auth, true), list('Root Hosts', (e) => e.root), list('RW Hosts', (e) => e.rw),
    list('RO Hosts', (e) => e.ro), num('Anonymous UID', (e) => e.anonuid, true),
    num('Anonymous GID', (e) => e.anongid, true), text('Options', (e) => e.options),
  ],
  json: same,
};

export const targetPortView: ObjectView<TargetPort> = {
  columns: [
    text('ID', (t) => t.id), enumCol('Type', (t) => t.port_type, targetPortTypeNames),
    text('Physical Name', (t) => t.physical_name, true), text('Address', (t) => t.service_address),
    text('Network Address', (t) => t.network_address), text('Physical Address', (t) => t.physical_address, true),
    text('System ID', (t) => t.system_id),
  ],
  json: same,
};

export const batteryView: ObjectView<Battery> = {
  columns: [
    text('ID', (b) => b.id), text('Name', (b) => b.name), enumCol('Type', (b) => b.type, batteryTypeNames),
    bitmapCol('Status', (b) => b.status, batteryStatusNames), text('System ID', (b) => b.system_id),
  ],
  json: same,
};
