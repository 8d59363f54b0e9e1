/**
 * lsmcli's display strings for lsm's enumerations and bitmaps (`-e` prints the numbers instead).
 * Bitmaps print their set bits' names joined by commas in a fixed order; bits without a name print as
 * `Unknown(0x..)`, an unknown plain value as `Unknown(<n>)`.
 */
import {
  BatteryStatus, BatteryType, DiskLinkType, DiskRpm, DiskStatus, DiskType, HealthStatus, InitiatorType, LedStatus,
  PhysicalDiskCache, PoolElementType, PoolMemberType, PoolStatus, PoolUnsupported, RaidType, ReadCachePolicy,
  ReadCacheStatus, SystemMode, SystemStatus, TargetPortType, VolumeAdminState, WriteCachePolicy, WriteCacheStatus,
} from '@openlsm/core';

type Names = readonly (readonly [number, string])[];

/** A bitmap's names in display order; `0` prints as an empty cell. */
export function bitmapText(value: number, names: Names): string {
  const parts: string[] = [];
  let rest = value;
  for (const [bit, name] of names) {
    if ((value & bit) !== 0) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) parts.push(`Unknown(0x${rest.toString(16)})`);
  return parts.join(',');
}

/** A plain enumeration's name, `Unknown(<n>)` for a value lsm does not define. */
export function enumText(value: number, names: Names): string {
  for (const [v, name] of names) if (v === value) return name;
  return `Unknown(${value})`;
}

export const systemStatusNames: Names = [
  [SystemStatus.UNKNOWN, 'Unknown'], [SystemStatus.OK, 'OK'], [SystemStatus.ERROR, 'Error'],
  [SystemStatus.DEGRADED, 'Degraded'], [SystemStatus.PREDICTIVE_FAILURE, 'Predictive failure'], [SystemStatus.OTHER, 'Other'],
];

/** System mode: lsm prints only the two real modes; NO_SUPPORT and UNKNOWN give an empty cell. */
export function systemModeText(mode: number): string {
  if (mode === SystemMode.HARDWARE_RAID) return 'HW RAID';
  if (mode === SystemMode.HBA) return 'HBA';
  return '';
}

export const poolStatusNames: Names = [
  [PoolStatus.UNKNOWN, 'Unknown'], [PoolStatus.OK, 'OK'], [PoolStatus.OTHER, 'Other'], [PoolStatus.DEGRADED, 'Degraded'],
  [PoolStatus.ERROR, 'Error'], [PoolStatus.STOPPED, 'Stopped'], [PoolStatus.RECONSTRUCTING, 'Reconstructing'],
  [PoolStatus.VERIFYING, 'Verifying'], [PoolStatus.INITIALIZING, 'Initializing'], [PoolStatus.GROWING, 'Growing'],
];

export const poolElementTypeNames: Names = [
  [PoolElementType.POOL, 'POOL'], [PoolElementType.VOLUME, 'VOLUME'], [PoolElementType.VOLUME_THIN, 'VOLUME_THIN'],
  [PoolElementType.VOLUME_FULL, 'VOLUME_FULL'], [PoolElementType.FS, 'FS'],
  [PoolElementType.SYS_RESERVED, 'SYSTEM_RESERVED'], [PoolElementType.DELTA, 'DELTA'],
];

export const poolUnsupportedNames: Names = [
  [PoolUnsupported.VOLUME_GROW, 'Volume Grow'], [PoolUnsupported.VOLUME_SHRINK, 'Volume Shrink'],
];

export const poolMemberTypeNames: Names = [
  [PoolMemberType.UNKNOWN, 'Unknown'], [PoolMemberType.OTHER, 'Unknown'], [PoolMemberType.POOL, 'Pool'],
  [PoolMemberType.DISK, 'Disk'],
];

/** The "Disabled" column: lsm shows whether the volume is disabled. */
export function adminStateText(state: number): string {
  if (state === VolumeAdminState.DISABLED) return 'Yes';
  if (state === VolumeAdminState.ENABLED) return 'No';
  return `Unknown(${state})`;
}

export const diskTypeNames: Names = [
  [DiskType.UNKNOWN, 'UNKNOWN'], [DiskType.OTHER, 'Other'], [DiskType.ATA, 'ATA'], [DiskType.SATA, 'SATA'],
  [DiskType.SAS, 'SAS'], [DiskType.FC, 'FC'], [DiskType.SOP, 'SCSI Over PCI-E(SSD)'], [DiskType.SCSI, 'SCSI'],
  [DiskType.NL_SAS, 'NL_SAS'], [DiskType.HDD, 'HDD'], [DiskType.SSD, 'SSD'], [DiskType.HYBRID, 'Hybrid'],
  [DiskType.LUN, 'Remote LUN'],
];

export const diskStatusNames: Names = [
  [DiskStatus.UNKNOWN, 'Unknown'], [DiskStatus.OK, 'OK'], [DiskStatus.OTHER, 'Other'],
  [DiskStatus.PREDICTIVE_FAILURE, 'Predictive failure'], [DiskStatus.ERROR, 'Error'], [DiskStatus.REMOVED, 'Removed'],
  [DiskStatus.STARTING, 'Starting'], [DiskStatus.STOPPING, 'Stopping'], [DiskStatus.STOPPED, 'Stopped'],
  [DiskStatus.INITIALIZING, 'Initializing'], [DiskStatus.MAINTENANCE_MODE, 'Maintenance'],
  [DiskStatus.SPARE_DISK, 'Spare'], [DiskStatus.RECONSTRUCT, 'Reconstruct'], [DiskStatus.FREE, 'Free'],
];

export function diskRpmText(rpm: number): string {
  if (rpm === DiskRpm.NO_SUPPORT) return 'No Support';
  if (rpm === DiskRpm.UNKNOWN) return 'Unknown';
  if (rpm === DiskRpm.NON_ROTATING_MEDIUM) return 'Non-Rotating Medium';
  if (rpm === DiskRpm.ROTATING_UNKNOWN_SPEED) return 'Rotating Medium Unknown Speed';
  return String(rpm);
}

export const linkTypeNames: Names = [
  [DiskLinkType.NO_SUPPORT, 'No Support'], [DiskLinkType.UNKNOWN, 'Unknown'], [DiskLinkType.FC, 'FC'],
  [DiskLinkType.SSA, 'SSA'], [DiskLinkType.SBP, 'SBP'], [DiskLinkType.SRP, 'SRP'], [DiskLinkType.ISCSI, 'iSCSI'],
  [DiskLinkType.SAS, 'SAS'], [DiskLinkType.ADT, 'ADT'], [DiskLinkType.ATA, 'PATA/SATA'], [DiskLinkType.USB, 'USB'],
  [DiskLinkType.SOP, 'SCSI over PCIE'], [DiskLinkType.PCIE, 'PCI-E'],
];

export const initTypeNames: Names = [
  [InitiatorType.UNKNOWN, 'Unknown'], [InitiatorType.OTHER, 'Other'], [InitiatorType.WWPN, 'WWPN'],
  [InitiatorType.ISCSI_IQN, 'iSCSI'], [InitiatorType.ISCSI_WWPN_MIXED, 'iSCSI/WWPN Mixed'],
];

export const targetPortTypeNames: Names = [
  [TargetPortType.OTHER, 'Other'], [TargetPortType.FC, 'FC'], [TargetPortType.FCOE, 'FCoE'], [TargetPortType.ISCSI, 'iSCSI'],
];

export const raidTypeNames: Names = Object.entries(RaidType).map(([name, v]) => [v, name] as const);

export const batteryTypeNames: Names = [
  [BatteryType.UNKNOWN, 'Unknown'], [BatteryType.OTHER, 'Other'], [BatteryType.CHEMICAL, 'Chemical'],
  [BatteryType.CAPACITOR, 'Capacitor'],
];

export const batteryStatusNames: Names = [
  [BatteryStatus.UNKNOWN, 'Unknown'], [BatteryStatus.OTHER, 'Other'], [BatteryStatus.OK, 'OK'],
  [BatteryStatus.DISCHARGING, 'Discharging'], [BatteryStatus.CHARGING, 'Charging'], [BatteryStatus.LEARNING, 'Learning'],
  [BatteryStatus.DEGRADED, 'Degraded'], [BatteryStatus.ERROR, 'Error'],
];

export const writeCachePolicyNames: Names = [
  [WriteCachePolicy.UNKNOWN, 'Unknown'], [WriteCachePolicy.WRITE_BACK, 'Write Back'], [WriteCachePolicy.AUTO, 'Auto'],
  [WriteCachePolicy.WRITE_THROUGH, 'Write Through'],
];
export const writeCacheStatusNames: Names = [
  [WriteCacheStatus.UNKNOWN, 'Unknown'], [WriteCacheStatus.WRITE_BACK, 'Write Back'],
  [WriteCacheStatus.WRITE_THROUGH, 'Write Through'],
];
export const readCachePolicyNames: Names = [
  [ReadCachePolicy.UNKNOWN, 'Unknown'], [ReadCachePolicy.ENABLED, 'Enabled'], [ReadCachePolicy.DISABLED, 'Disabled'],
];
export const readCacheStatusNames: Names = [
  [ReadCacheStatus.UNKNOWN, 'Unknown'], [ReadCacheStatus.ENABLED, 'Enabled'], [ReadCacheStatus.DISABLED, 'Disabled'],
];
export const physicalDiskCacheNames: Names = [
  [PhysicalDiskCache.UNKNOWN, 'Unknown'], [PhysicalDiskCache.ENABLED, 'Enabled'], [PhysicalDiskCache.DISABLED, 'Disabled'],
  [PhysicalDiskCache.USE_DISK_SETTING, 'Use Disk Setting'],
];

export const healthStatusNames: Names = [
  [-2, 'No Support'], [HealthStatus.UNKNOWN, 'Unknown'], [HealthStatus.FAIL, 'Failure'], [HealthStatus.WARN, 'Warning'],
  [HealthStatus.GOOD, 'Good'],
];

export const ledStatusNames: Names = [
  [LedStatus.UNKNOWN, 'Unknown'], [LedStatus.IDENT_ON, 'IDENT_ON'], [LedStatus.IDENT_OFF, 'IDENT_OFF'],
  [LedStatus.IDENT_UNKNOWN, 'IDENT_UNKNOWN'], [LedStatus.FAULT_ON, 'FAULT_ON'], [LedStatus.FAULT_OFF, 'FAULT_OFF'],
  [LedStatus.FAULT_UNKNOWN, 'FAULT_UNKNOWN'],
];

/** Link speed in Mbps as lsm's `<x.y> Gbps`; 0 is unknown. */
export function linkSpeedText(mbps: number): string {
  if (!Number.isFinite(mbps) || mbps <= 0) return 'Unknown';
  return `${(mbps / 1000).toFixed(1)} Gbps`;
}

/** Read cache percentage: the sentinels print as words. */
export function readCachePctText(pct: number): string {
  if (pct === -2) return 'No Support';
  if (pct === -1) return 'Unknown';
  return String(pct);
}
