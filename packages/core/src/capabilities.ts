/**
 * lsm's capability numbers and the 512-entry support table a plugin answers `capabilities` with.
 *
 * On the openlsm wire the table is a 512-byte msgpack `bin` (byte i = 1 when capability i is supported); lsm's
 * JSON wire carries the same bytes as 1024 hex digits, and the daemon converts at its edge.
 */

export const Capability = {
  VOLUMES: 20,
  VOLUME_CREATE: 21,
  VOLUME_RESIZE: 22,
  VOLUME_REPLICATE: 23,
  VOLUME_REPLICATE_CLONE: 24,
  VOLUME_REPLICATE_COPY: 25,
  VOLUME_REPLICATE_MIRROR_ASYNC: 26,
  VOLUME_REPLICATE_MIRROR_SYNC: 27,
  VOLUME_COPY_RANGE_BLOCK_SIZE: 28,
  VOLUME_COPY_RANGE: 29,
  VOLUME_COPY_RANGE_CLONE: 30,
  VOLUME_COPY_RANGE_COPY: 31,
  VOLUME_DELETE: 33,
  VOLUME_ENABLE: 34,
  VOLUME_DISABLE: 35,
  VOLUME_MASK: 36,
  VOLUME_UNMASK: 37,
  ACCESS_GROUPS: 38,
  ACCESS_GROUP_CREATE_WWPN: 39,
  ACCESS_GROUP_DELETE: 40,
  ACCESS_GROUP_INITIATOR_ADD_WWPN: 41,
  ACCESS_GROUP_INITIATOR_DELETE: 42,
  VOLUMES_ACCESSIBLE_BY_ACCESS_GROUP: 43,
  ACCESS_GROUPS_GRANTED_TO_VOLUME: 44,
  VOLUME_CHILD_DEPENDENCY: 45,
  VOLUME_CHILD_DEPENDENCY_RM: 46,
  ACCESS_GROUP_CREATE_ISCSI_IQN: 47,
  ACCESS_GROUP_INITIATOR_ADD_ISCSI_IQN: 48,
  VOLUME_ISCSI_CHAP_AUTHENTICATION: 53,
  VOLUME_RAID_INFO: 54,
  VOLUME_THIN: 55,
  BATTERIES: 56,
  VOLUME_CACHE_INFO: 57,
  VOLUME_PHYSICAL_DISK_CACHE_UPDATE: 58,
  VOLUME_PHYSICAL_DISK_CACHE_UPDATE_SYSTEM_LEVEL: 59,
  VOLUME_WRITE_CACHE_POLICY_UPDATE_WRITE_BACK: 60,
  VOLUME_WRITE_CACHE_POLICY_UPDATE_AUTO: 61,
  VOLUME_WRITE_CACHE_POLICY_UPDATE_WRITE_THROUGH: 62,
  VOLUME_WRITE_CACHE_POLICY_UPDATE_IMPACT_READ: 63,
  VOLUME_WRITE_CACHE_POLICY_UPDATE_WB_IMPACT_OTHER: 64,
  VOLUME_READ_CACHE_POLICY_UPDATE: 65,
  VOLUME_READ_CACHE_POLICY_UPDATE_IMPACT_WRITE: 66,
  FS: 100,
  FS_DELETE: 101,
  FS_RESIZE: 102,
  FS_CREATE: 103,
  FS_CLONE: 104,
  FILE_CLONE: 105,
  FS_SNAPSHOTS: 106,
  FS_SNAPSHOT_CREATE: 107,
  FS_SNAPSHOT_DELETE: 109,
  FS_SNAPSHOT_RESTORE: 110,
  FS_SNAPSHOT_RESTORE_SPECIFIC_FILES: 111,
  FS_CHILD_DEPENDENCY: 112,
  FS_CHILD_DEPENDENCY_RM: 113,
  FS_CHILD_DEPENDENCY_RM_SPECIFIC_FILES: 114,
  EXPORT_AUTH: 120,
  EXPORTS: 121,
  EXPORT_FS: 122,
  EXPORT_REMOVE: 123,
  EXPORT_CUSTOM_PATH: 124,
  SYS_READ_CACHE_PCT_UPDATE: 158,
  SYS_READ_CACHE_PCT_GET: 159,
  SYS_FW_VERSION_GET: 160,
  SYS_MODE_GET: 161,
  DISK_LOCATION: 163,
  DISK_RPM: 164,
  DISK_LINK_TYPE: 165,
  VOLUME_LED: 171,
  POOLS_QUICK_SEARCH: 210,
  VOLUMES_QUICK_SEARCH: 211,
  DISKS_QUICK_SEARCH: 212,
  ACCESS_GROUPS_QUICK_SEARCH: 213,
  FS_QUICK_SEARCH: 214,
  NFS_EXPORTS_QUICK_SEARCH: 215,
  TARGET_PORTS: 216,
  TARGET_PORTS_QUICK_SEARCH: 217,
  DISKS: 220,
  POOL_MEMBER_INFO: 221,
  VOLUME_RAID_CREATE: 222,
  DISK_VPD83_GET: 223,
} as const;

export type CapabilityName = keyof typeof Capability;

/** Size of the support table (`LSM_CAP_MAX`). */
export const CAPABILITY_COUNT = 512;

/** The answer to `capabilities`: `cap[i] === 1` when capability `i` is supported. */
export interface Capabilities {
  cap: Uint8Array;
}

const nameByNumber = new Map<number, CapabilityName>(
  Object.entries(Capability).map(([name, n]) => [n, name as CapabilityName]),
);

/** lsm's name of capability `n`, or undefined for a reserved number. */
export function capabilityName(n: number): CapabilityName | undefined {
  return nameByNumber.get(n);
}

/** Builds a support table from capability numbers or names. */
export function capabilitiesOf(supported: Iterable<number | CapabilityName>): Capabilities {
  const cap = new Uint8Array(CAPABILITY_COUNT);
  for (const entry of supported) {
    const n = typeof entry === 'number' ? entry : Capability[entry];
    if (!Number.isInteger(n) || n < 0 || n >= CAPABILITY_COUNT) throw new RangeError(`capability ${String(entry)} out of range`);
    cap[n] = 1;
  }
  return { cap };
}

/** `isSupported(caps, Capability.VOLUME_CREATE)`. */
export function isSupported(caps: Capabilities, n: number): boolean {
  return caps.cap[n] === 1;
}

/** Every defined capability with its state, in lsm's numeric order. */
export function capabilityEntries(caps: Capabilities): { name: CapabilityName; value: number; supported: boolean }[] {
  return [...nameByNumber].map(([value, name]) => ({ name, value, supported: caps.cap[value] === 1 }));
}

/** lsm's JSON form: 1024 lower-case hex digits. */
export function capabilitiesToHex(caps: Capabilities): string {
  return Buffer.from(caps.cap.buffer, caps.cap.byteOffset, caps.cap.byteLength).toString('hex');
}
