/**
 * What a targetd can do, decided per server (at the first `capabilities` call): the block calls every targetd
 * since 0.7.1 has; copies when a pool can hold them (a thin pool or ZFS); VOLUME_RESIZE when it has
 * `vol_resize`; editing access groups when it has the `access_group_*` family; file systems, snapshots and NFS
 * exports when it serves at least one fs pool. libstoragemgmt's plugin claims the same set minus VOLUME_RESIZE
 * (it never calls `vol_resize`), and claims copies and file systems whatever the pools.
 * A test checks every claim against the method behind it.
 */
import { capabilitiesOf, type Capabilities, type CapabilityName } from '@openlsm/core';
import type { Features } from './session.js';

export const BLOCK_CAPABILITIES: readonly CapabilityName[] = [
  'VOLUMES', 'VOLUME_CREATE', 'VOLUME_DELETE', 'VOLUME_MASK', 'VOLUME_UNMASK', 'ACCESS_GROUPS',
  'ACCESS_GROUPS_GRANTED_TO_VOLUME', 'VOLUMES_ACCESSIBLE_BY_ACCESS_GROUP', 'VOLUME_ISCSI_CHAP_AUTHENTICATION',
];
export const COPY_CAPABILITIES: readonly CapabilityName[] = ['VOLUME_REPLICATE', 'VOLUME_REPLICATE_COPY'];
export const RESIZE_CAPABILITIES: readonly CapabilityName[] = ['VOLUME_RESIZE'];
export const ACCESS_GROUP_CAPABILITIES: readonly CapabilityName[] = [
  'ACCESS_GROUP_CREATE_ISCSI_IQN', 'ACCESS_GROUP_INITIATOR_ADD_ISCSI_IQN', 'ACCESS_GROUP_INITIATOR_DELETE', 'ACCESS_GROUP_DELETE',
];
export const FS_CAPABILITIES: readonly CapabilityName[] = [
  'FS', 'FS_CREATE', 'FS_DELETE', 'FS_CLONE', 'FS_SNAPSHOTS', 'FS_SNAPSHOT_CREATE', 'FS_SNAPSHOT_DELETE',
  'EXPORT_AUTH', 'EXPORTS', 'EXPORT_FS', 'EXPORT_REMOVE',
];

export function capabilityNames(features: Features): CapabilityName[] {
  return [
    ...BLOCK_CAPABILITIES,
    ...(features.copies ? COPY_CAPABILITIES : []),
    ...(features.resize ? RESIZE_CAPABILITIES : []),
    ...(features.accessGroups ? ACCESS_GROUP_CAPABILITIES : []),
    ...(features.fileSystems ? FS_CAPABILITIES : []),
  ];
}

export function targetdCapabilities(features: Features): Capabilities {
  return capabilitiesOf(capabilityNames(features));
}
