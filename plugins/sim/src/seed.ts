/**
 * The content of a fresh state file: libstoragemgmt's simulator's default array (reference §10.2), so scripts
 * written against `sim://` of libstoragemgmt find the same system, pools, disks, ports and batteries here.
 */
import { randomBytes } from 'node:crypto';
import {
  BatteryStatus, BatteryType, DiskLinkType, DiskStatus, DiskType, PoolElementType as E, PoolMemberType, PoolStatus,
  PoolUnsupported, RaidType, SystemMode, SystemStatus, TargetPortType,
} from '@openlsm/core';
import { SYSTEM_ID } from './ids.js';
import type { SimStore } from './store.js';

const KiB = 1024n;
const GiB = 1024n ** 3n;
const TiB = 1024n ** 4n;
const EiB = 1024n ** 6n;

export const SYSTEM_NAME = 'LSM simulated storage plug-in';
/** lsm's simulator reports its data-format version as the firmware version; kept for identical output. */
export const SYSTEM_FW_VERSION = 'LSM_SIMULATOR_DATA_4.1';
export const DEFAULT_READ_CACHE_PCT = 10;
export const DEFAULT_STRIP_SIZE = 128n * KiB;
export const BLOCK_SIZE = 512n;

/** A random NAA-5 vpd83 (16 hex digits starting with 5), as lsm's simulator gives volumes and disks. */
export function randomVpd83(): string {
  return `5${randomBytes(8).toString('hex').slice(1)}`;
}

interface DiskGroup {
  count: number;
  name: string;
  type: number;
  size: bigint;
  rpm: number;
  link: number;
}

const DISK_GROUPS: DiskGroup[] = [
  { count: 2, name: '2TiB SATA Disk', type: DiskType.SATA, size: 2n * TiB, rpm: 7200, link: DiskLinkType.ATA },
  { count: 6, name: '2EiB SAS Disk', type: DiskType.SAS, size: EiB, rpm: 15000, link: DiskLinkType.SAS },
  { count: 5, name: '512GiB SSD Disk', type: DiskType.SSD, size: 512n * GiB, rpm: 0, link: DiskLinkType.ATA },
  { count: 7, name: '2TiB SSD Disk', type: DiskType.SSD, size: 2n * TiB, rpm: 0, link: DiskLinkType.SAS },
];

/** Disk number -> pool number, for the disks that are pool members out of the box. */
const DISK_POOLS = new Map<number, number>([[1, 1], [2, 1], [3, 4], [4, 4], [9, 3], [10, 3]]);

export function seedDefaultContent(store: SimStore): void {
  store.run(
    'INSERT INTO systems (id, name, status, status_info, fw_version, read_cache_pct, mode) VALUES (?, ?, ?, ?, ?, ?, ?)',
    SYSTEM_ID, SYSTEM_NAME, SystemStatus.OK, '', SYSTEM_FW_VERSION, DEFAULT_READ_CACHE_PCT, SystemMode.HARDWARE_RAID,
  );

  const insertPool = `INSERT INTO pools (id, name, element_type, unsupported_actions, total_space, free_space, status,
    status_info, raid_type, member_type, parent_pool_id, strip_size) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)`;
  const subPool = 512n * GiB;
  store.run(insertPool, 1, 'Pool 1', E.POOL | E.VOLUME | E.FS | E.DELTA | E.SYS_RESERVED,
    PoolUnsupported.VOLUME_GROW | PoolUnsupported.VOLUME_SHRINK, 2n * TiB, 2n * TiB - subPool, PoolStatus.OK,
    RaidType.RAID1, PoolMemberType.DISK, null, DEFAULT_STRIP_SIZE);
  store.run(insertPool, 2, 'Pool 2(sub pool of Pool 1)', E.VOLUME | E.FS | E.DELTA, 0, subPool, subPool,
    PoolStatus.OK, RaidType.OTHER, PoolMemberType.POOL, 1, DEFAULT_STRIP_SIZE);
  store.run(insertPool, 3, 'Pool 3', E.VOLUME | E.FS | E.DELTA, 0, 512n * GiB, 512n * GiB, PoolStatus.OK,
    RaidType.RAID1, PoolMemberType.DISK, null, DEFAULT_STRIP_SIZE);
  store.run(insertPool, 4, 'lsm_test_aggr', E.VOLUME | E.FS | E.DELTA, 0, 2n * EiB, 2n * EiB, PoolStatus.OK,
    RaidType.RAID0, PoolMemberType.DISK, null, DEFAULT_STRIP_SIZE);

  let n = 0;
  for (const [group, g] of DISK_GROUPS.entries()) {
    for (let i = 0; i < g.count; i++) {
      n++;
      const pool = DISK_POOLS.get(n) ?? null;
      store.run(
        `INSERT INTO disks (id, name, disk_type, block_size, num_of_blocks, status, vpd83, location, rpm, link_type,
          pool_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        n, `${g.name}_${n}`, g.type, BLOCK_SIZE, g.size / BLOCK_SIZE,
        pool === null ? DiskStatus.OK | DiskStatus.FREE : DiskStatus.OK, randomVpd83(),
        `Port: ${i} Box: 1 Bay: ${group + 1}`, g.rpm, g.link, pool,
      );
    }
  }

  const ports: [number, string, string, string, string][] = [
    [TargetPortType.FC, '50:0a:09:86:99:4b:8d:c5', '50:0a:09:86:99:4b:8d:c5', '50:0a:09:86:99:4b:8d:c5', 'FC_a_0b'],
    [TargetPortType.FCOE, '50:0a:09:86:99:4b:8d:c6', '50:0a:09:86:99:4b:8d:c6', '50:0a:09:86:99:4b:8d:c6', 'FCoE_b_0c'],
    [TargetPortType.ISCSI, 'iqn.1986-05.com.example:sim-tgt-03', 'sim-iscsi-tgt-3.example.com:3260', 'a4:4e:31:47:f4:e0', 'iSCSI_c_0d'],
    [TargetPortType.ISCSI, 'iqn.1986-05.com.example:sim-tgt-03', '10.0.0.1:3260', 'a4:4e:31:47:f4:e1', 'iSCSI_c_0e'],
    [TargetPortType.ISCSI, 'iqn.1986-05.com.example:sim-tgt-03', '[2001:470:1f09:efe:a64e:31ff::1]:3260', 'a4:4e:31:47:f4:e1', 'iSCSI_c_0e'],
  ];
  for (const p of ports) {
    store.run('INSERT INTO tgts (port_type, service_address, network_address, physical_address, physical_name) VALUES (?, ?, ?, ?, ?)', ...p);
  }

  store.run('INSERT INTO batteries (name, type, status) VALUES (?, ?, ?)', 'Battery SIMB01, 8000 mAh, 05 March 2016', BatteryType.CHEMICAL, BatteryStatus.OK);
  store.run('INSERT INTO batteries (name, type, status) VALUES (?, ?, ?)', 'Capacitor SIMC01, 500 J, 05 March 2016', BatteryType.CAPACITOR, BatteryStatus.OK);
}
