/**
 * lsm's constants, with lsm's numbers. Each group is an `as const` object (the project avoids TS `enum`,
 * see tsconfig's erasableSyntaxOnly) whose names are lsm's Python names without the class prefix:
 * `Volume.PROVISION_THIN` is `Provisioning.THIN` here. Bitmaps are marked as such: combine with `|`.
 */

/** `System.STATUS_*` (bitmap). */
export const SystemStatus = { UNKNOWN: 1, OK: 2, ERROR: 4, DEGRADED: 8, PREDICTIVE_FAILURE: 16, OTHER: 32 } as const;
/** `System.MODE_*`. */
export const SystemMode = { NO_SUPPORT: -2, UNKNOWN: -1, HARDWARE_RAID: 0, HBA: 1 } as const;
/** `System.READ_CACHE_PCT_*` sentinels; any other value is a percentage 0..100. */
export const ReadCachePct = { NO_SUPPORT: -2, UNKNOWN: -1 } as const;

/** `Pool.ELEMENT_TYPE_*` (bitmap). */
export const PoolElementType = {
  POOL: 2, VOLUME: 4, FS: 8, DELTA: 16, VOLUME_FULL: 32, VOLUME_THIN: 64, SYS_RESERVED: 1024,
} as const;
/** `Pool.UNSUPPORTED_*` (bitmap). */
export const PoolUnsupported = { VOLUME_GROW: 1, VOLUME_SHRINK: 2 } as const;
/** `Pool.STATUS_*` (bitmap). */
export const PoolStatus = {
  UNKNOWN: 1, OK: 2, OTHER: 4, DEGRADED: 16, ERROR: 32, STOPPED: 512, RECONSTRUCTING: 4096, VERIFYING: 8192,
  INITIALIZING: 16384, GROWING: 32768,
} as const;
/** `Pool.MEMBER_TYPE_*`. */
export const PoolMemberType = { UNKNOWN: 0, OTHER: 1, DISK: 2, POOL: 3 } as const;

/** `Volume.ADMIN_STATE_*`. */
export const VolumeAdminState = { DISABLED: 0, ENABLED: 1 } as const;
/** `Volume.REPLICATE_*`. */
export const ReplicationType = { UNKNOWN: -1, CLONE: 2, COPY: 3, MIRROR_SYNC: 4, MIRROR_ASYNC: 5 } as const;
/** `Volume.PROVISION_*`. */
export const Provisioning = { UNKNOWN: -1, THIN: 1, FULL: 2, DEFAULT: 3 } as const;
/** `Volume.RAID_TYPE_*`. */
export const RaidType = {
  UNKNOWN: -1, RAID0: 0, RAID1: 1, RAID3: 3, RAID4: 4, RAID5: 5, RAID6: 6, RAID10: 10, RAID15: 15, RAID16: 16,
  RAID50: 50, RAID60: 60, RAID51: 51, RAID61: 61, JBOD: 20, MIXED: 21, OTHER: 22,
} as const;
/** `Volume.STRIP_SIZE_UNKNOWN` and friends: 0 means "unknown" or "default". */
export const RaidInfoUnknown = {
  STRIP_SIZE_UNKNOWN: 0, DISK_COUNT_UNKNOWN: 0, MIN_IO_SIZE_UNKNOWN: 0, OPT_IO_SIZE_UNKNOWN: 0,
  VCR_STRIP_SIZE_DEFAULT: 0,
} as const;
export const WriteCachePolicy = { UNKNOWN: 1, WRITE_BACK: 2, AUTO: 3, WRITE_THROUGH: 4 } as const;
export const WriteCacheStatus = { UNKNOWN: 1, WRITE_BACK: 2, WRITE_THROUGH: 3 } as const;
export const ReadCachePolicy = { UNKNOWN: 1, ENABLED: 2, DISABLED: 3 } as const;
export const ReadCacheStatus = { UNKNOWN: 1, ENABLED: 2, DISABLED: 3 } as const;
export const PhysicalDiskCache = { UNKNOWN: 1, ENABLED: 2, DISABLED: 3, USE_DISK_SETTING: 4 } as const;
/** `volume_create` flags (the only non-zero flags lsm defines). */
export const VolumeCreateFlag = {
  USE_SYSTEM_CACHE: 1, USE_IO_PASSTHROUGH: 2, DISABLE_SYSTEM_CACHE: 4, DISABLE_IO_PASSTHROUGH: 8,
} as const;

/** `Disk.TYPE_*`. */
export const DiskType = {
  UNKNOWN: 0, OTHER: 1, ATA: 3, SATA: 4, SAS: 5, FC: 6, SOP: 7, SCSI: 8, LUN: 9, NL_SAS: 51, HDD: 52, SSD: 53,
  HYBRID: 54,
} as const;
/** `Disk.STATUS_*` (bitmap). FREE marks a disk that `volume_raid_create` may use. */
export const DiskStatus = {
  UNKNOWN: 1, OK: 2, OTHER: 4, PREDICTIVE_FAILURE: 8, ERROR: 16, REMOVED: 32, STARTING: 64, STOPPING: 128,
  STOPPED: 256, INITIALIZING: 512, MAINTENANCE_MODE: 1024, SPARE_DISK: 2048, RECONSTRUCT: 4096, FREE: 8192,
} as const;
/** `Disk.RPM_*` sentinels; other values are revolutions per minute. */
export const DiskRpm = { NO_SUPPORT: -2, UNKNOWN: -1, NON_ROTATING_MEDIUM: 0, ROTATING_UNKNOWN_SPEED: 1 } as const;
/** `Disk.LINK_TYPE_*`. */
export const DiskLinkType = {
  NO_SUPPORT: -2, UNKNOWN: -1, FC: 0, SSA: 2, SBP: 3, SRP: 4, ISCSI: 5, SAS: 6, ADT: 7, ATA: 8, USB: 9, SOP: 10,
  PCIE: 11,
} as const;
/** `Disk.LED_STATUS_*` (bitmap; local disks only). */
export const LedStatus = {
  UNKNOWN: 1, IDENT_ON: 2, IDENT_OFF: 4, IDENT_UNKNOWN: 8, FAULT_ON: 16, FAULT_OFF: 32, FAULT_UNKNOWN: 64,
} as const;
/** `Disk.HEALTH_STATUS_*` (local disks only). */
export const HealthStatus = { UNKNOWN: -1, FAIL: 0, WARN: 1, GOOD: 2 } as const;
export const LINK_SPEED_UNKNOWN = 0;

/** `AccessGroup.INIT_TYPE_*`. */
export const InitiatorType = { UNKNOWN: 0, OTHER: 1, WWPN: 2, ISCSI_IQN: 5, ISCSI_WWPN_MIXED: 7 } as const;

/** `TargetPort.TYPE_*`. */
export const TargetPortType = { OTHER: 1, FC: 2, FCOE: 3, ISCSI: 4 } as const;

/** `NfsExport.ANON_UID_GID_*`. */
export const AnonUidGid = { NA: -1, ERROR: -2 } as const;

/** `Battery.TYPE_*`. */
export const BatteryType = { UNKNOWN: 1, OTHER: 2, CHEMICAL: 3, CAPACITOR: 4 } as const;
/** `Battery.STATUS_*` (bitmap). */
export const BatteryStatus = {
  UNKNOWN: 1, OTHER: 2, OK: 4, DISCHARGING: 8, CHARGING: 16, LEARNING: 32, DEGRADED: 64, ERROR: 128,
} as const;

/** `JobStatus.*`: the first element of a `job_status` answer. */
export const JobStatus = { INPROGRESS: 1, COMPLETE: 2, ERROR: 3 } as const;

/** The only value `flags` may take, except for `volume_create`'s cache flags. */
export const FLAG_RSVD = 0;

/** The numeric type of one constant group: `ValueOf<typeof Provisioning>` is `-1 | 1 | 2 | 3`. */
export type ValueOf<T> = T[keyof T];
