import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allMethods, Capability, capabilityName, type CapabilityName } from '@openlsm/core';
import { SIM_CAPABILITIES, simCapabilities } from './capabilities.js';
import { SimPlugin } from './plugin.js';

/** Capabilities that qualify a method rather than announce one (a variant, a search mode). */
const QUALIFIERS: Partial<Record<CapabilityName, string>> = {
  VOLUME_THIN: 'volumeCreate',
  VOLUME_REPLICATE_CLONE: 'volumeReplicate',
  VOLUME_REPLICATE_COPY: 'volumeReplicate',
  VOLUME_REPLICATE_MIRROR_ASYNC: 'volumeReplicate',
  VOLUME_REPLICATE_MIRROR_SYNC: 'volumeReplicate',
  VOLUME_COPY_RANGE_CLONE: 'volumeReplicateRange',
  VOLUME_COPY_RANGE_COPY: 'volumeReplicateRange',
  FS_SNAPSHOT_RESTORE_SPECIFIC_FILES: 'fsSnapshotRestore',
  FS_CHILD_DEPENDENCY_RM_SPECIFIC_FILES: 'fsChildDependencyRm',
  EXPORT_CUSTOM_PATH: 'exportFs',
  SYS_READ_CACHE_PCT_GET: 'systems',
  SYS_FW_VERSION_GET: 'systems',
  SYS_MODE_GET: 'systems',
  DISK_LOCATION: 'disks',
  DISK_RPM: 'disks',
  DISK_LINK_TYPE: 'disks',
  DISK_VPD83_GET: 'disks',
  POOLS_QUICK_SEARCH: 'pools',
  VOLUMES_QUICK_SEARCH: 'volumes',
  DISKS_QUICK_SEARCH: 'disks',
  ACCESS_GROUPS_QUICK_SEARCH: 'accessGroups',
  FS_QUICK_SEARCH: 'fs',
  NFS_EXPORTS_QUICK_SEARCH: 'exports',
  TARGET_PORTS_QUICK_SEARCH: 'targetPorts',
  VOLUME_PHYSICAL_DISK_CACHE_UPDATE_SYSTEM_LEVEL: 'volumePhysicalDiskCacheUpdate',
  VOLUME_WRITE_CACHE_POLICY_UPDATE_IMPACT_READ: 'volumeWriteCachePolicyUpdate',
  VOLUME_WRITE_CACHE_POLICY_UPDATE_WB_IMPACT_OTHER: 'volumeWriteCachePolicyUpdate',
  VOLUME_READ_CACHE_POLICY_UPDATE_IMPACT_WRITE: 'volumeReadCachePolicyUpdate',
};

const plugin = new SimPlugin() as unknown as Record<string, unknown>;
const caps = simCapabilities();

test('every claimed capability has its method, and every implemented method is claimed', () => {
  for (const name of SIM_CAPABILITIES) {
    const n = Capability[name];
    const viaMethod = allMethods.filter((m) => m.capabilities.includes(n)).map((m) => m.name as string);
    const owner = [...viaMethod, QUALIFIERS[name]].filter((m): m is string => m !== undefined);
    assert.ok(owner.length > 0, `${name} is claimed but no method is known for it`);
    assert.ok(owner.some((m) => typeof plugin[m] === 'function'), `${name} is claimed but ${owner.join('/')} is not implemented`);
  }
  for (const m of allMethods) {
    if (m.capabilities.length === 0) continue;
    const implemented = typeof plugin[m.name] === 'function';
    const claimed = m.capabilities.some((c) => caps.cap[c] === 1);
    assert.equal(claimed, implemented, `${m.method}: implemented=${implemented} but claimed=${claimed}`);
  }
});

test('the table holds exactly the listed capabilities: lsm\'s simulator set (70) plus the 7 QUICK_SEARCH', () => {
  const claimed = [...caps.cap.entries()].filter(([, v]) => v === 1).map(([i]) => capabilityName(i));
  assert.equal(claimed.length, 77);
  assert.deepEqual(new Set(claimed), new Set(SIM_CAPABILITIES));
  assert.equal(claimed.filter((n) => n?.endsWith('_QUICK_SEARCH')).length, 7);
});

test('every lsm RPC except the runner\'s own is a method of the simulator', () => {
  const byRunner = new Set(['pluginInfo', 'timeOutGet']);
  const missing = allMethods.map((m) => m.name as string).filter((n) => !byRunner.has(n) && typeof plugin[n] !== 'function');
  assert.deepEqual(missing, []);
});
