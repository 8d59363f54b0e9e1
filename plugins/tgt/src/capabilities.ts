/**
 * What the tgt plugin claims: volumes in directory pools (thin, resizable, copied), masking to iSCSI access
 * groups, CHAP, target ports. Nothing FC, no file systems, no RAID or cache settings: tgtd has none of them.
 * A test checks that every claim has its method.
 */
import { capabilitiesOf, type Capabilities, type CapabilityName } from '@openlsm/core';

export const TGT_CAPABILITIES: readonly CapabilityName[] = [
  'VOLUMES', 'VOLUME_CREATE', 'VOLUME_RESIZE', 'VOLUME_DELETE', 'VOLUME_THIN', 'VOLUME_REPLICATE',
  'VOLUME_REPLICATE_CLONE', 'VOLUME_REPLICATE_COPY', 'VOLUME_MASK', 'VOLUME_UNMASK', 'ACCESS_GROUPS',
  'ACCESS_GROUP_CREATE_ISCSI_IQN', 'ACCESS_GROUP_DELETE', 'ACCESS_GROUP_INITIATOR_ADD_ISCSI_IQN',
  'ACCESS_GROUP_INITIATOR_DELETE', 'VOLUMES_ACCESSIBLE_BY_ACCESS_GROUP', 'ACCESS_GROUPS_GRANTED_TO_VOLUME',
  'VOLUME_ISCSI_CHAP_AUTHENTICATION', 'TARGET_PORTS',
];

let table: Capabilities | undefined;

export function tgtCapabilities(): Capabilities {
  table ??= capabilitiesOf(TGT_CAPABILITIES);
  return table;
}
