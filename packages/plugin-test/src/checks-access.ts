/**
 * Access groups and masking: create with an iSCSI IQN or a WWPN, name and initiator conflicts, initiators added
 * and removed, volumes masked and unmasked (both directions of the grant listing), IS_MASKED while masked.
 */
import { type CapabilityName, ErrorNumber, InitiatorType, VolumeAdminState } from '@openlsm/client';
import { type Check, ensure, expectError } from './check.js';
import { createAccessGroup, createVolume, listedAccessGroup, newInitiator } from './objects.js';

const KINDS: { kind: string; type: number; create: CapabilityName; add: CapabilityName }[] = [
  { kind: 'iscsi', type: InitiatorType.ISCSI_IQN, create: 'ACCESS_GROUP_CREATE_ISCSI_IQN', add: 'ACCESS_GROUP_INITIATOR_ADD_ISCSI_IQN' },
  { kind: 'wwpn', type: InitiatorType.WWPN, create: 'ACCESS_GROUP_CREATE_WWPN', add: 'ACCESS_GROUP_INITIATOR_ADD_WWPN' },
];

const MASKING: CapabilityName[] = [
  'VOLUMES', 'VOLUME_CREATE', 'VOLUME_DELETE', 'ACCESS_GROUPS', 'ACCESS_GROUP_CREATE_ISCSI_IQN', 'ACCESS_GROUP_DELETE',
  'VOLUME_MASK', 'VOLUME_UNMASK',
];

export const accessChecks: Check[] = [
  ...KINDS.flatMap(({ kind, type, create, add }): Check[] => [
    {
      id: `access_group_create.${kind}`,
      title: `access_group_create (${kind}) makes a group listed by access_groups(); access_group_delete removes it, again is NOT_FOUND_ACCESS_GROUP`,
      needs: ['ACCESS_GROUPS', create, 'ACCESS_GROUP_DELETE'],
      async run(ctx) {
        const group = await createAccessGroup(ctx, type);
        ensure((await listedAccessGroup(ctx, group.id)) !== undefined, `the new access group ${group.id} is not listed by access_groups()`);
        await ctx.client.accessGroupDelete({ access_group: group });
        ensure((await listedAccessGroup(ctx, group.id)) === undefined, `access group ${group.id} is still listed after access_group_delete`);
        await expectError(ctx.client.accessGroupDelete({ access_group: group }), ErrorNumber.NOT_FOUND_ACCESS_GROUP, `access_group_delete of the deleted group ${group.id}`);
      },
    },
    {
      id: `access_group_create.${kind}.conflicts`,
      title: `access_group_create (${kind}) with a used name is NAME_CONFLICT, with an initiator of another group EXISTS_INITIATOR`,
      needs: ['ACCESS_GROUPS', create, 'ACCESS_GROUP_DELETE'],
      async run(ctx) {
        const group = await createAccessGroup(ctx, type);
        const keep = (made: { id: string; name: string }) => ctx.cleanup.add(`access group ${made.name} (${made.id})`,
          () => ctx.client.accessGroupDelete({ access_group: made as typeof group }));
        await expectError(ctx.client.accessGroupCreate({ name: group.name, init_id: newInitiator(type), init_type: type, system: ctx.system }).then(keep),
          ErrorNumber.NAME_CONFLICT, `access_group_create with the used name ${JSON.stringify(group.name)}`);
        await expectError(ctx.client.accessGroupCreate({ name: ctx.name('ag'), init_id: group.init_ids[0]!, init_type: type, system: ctx.system }).then(keep),
          ErrorNumber.EXISTS_INITIATOR, `access_group_create with initiator ${group.init_ids[0]} of group ${group.id}`);
      },
    },
    {
      id: `access_group_initiator.${kind}`,
      title: `access_group_initiator_add (${kind}) adds an initiator; access_group_initiator_delete removes it`,
      needs: ['ACCESS_GROUPS', create, 'ACCESS_GROUP_DELETE', add, 'ACCESS_GROUP_INITIATOR_DELETE'],
      async run(ctx) {
        const group = await createAccessGroup(ctx, type);
        const initiator = newInitiator(type);
        const added = await ctx.client.accessGroupInitiatorAdd({ access_group: group, init_id: initiator, init_type: type });
        ensure(added.id === group.id && added.init_ids.includes(initiator), `access_group_initiator_add answered a group without ${initiator}`);
        ensure((await listedAccessGroup(ctx, group.id))?.init_ids.includes(initiator), `access_groups() does not show ${initiator} in group ${group.id}`);
        const removed = await ctx.client.accessGroupInitiatorDelete({ access_group: added, init_id: initiator, init_type: type });
        ensure(!removed.init_ids.includes(initiator), `access_group_initiator_delete answered a group that still has ${initiator}`);
        ensure(!(await listedAccessGroup(ctx, group.id))?.init_ids.includes(initiator), `access_groups() still shows ${initiator} in group ${group.id}`);
      },
    },
  ]),
  {
    id: 'volume_mask',
    title: 'volume_mask grants a volume to a group (both grant listings agree); masking again is NO_STATE_CHANGE; unmask undoes it',
    needs: MASKING,
    async run(ctx) {
      const group = await createAccessGroup(ctx);
      const { volume } = await createVolume(ctx);
      const granted = async (): Promise<boolean | undefined> => {
        let byGroup: boolean | undefined;
        let byVolume: boolean | undefined;
        if (ctx.supports('VOLUMES_ACCESSIBLE_BY_ACCESS_GROUP')) {
          byGroup = (await ctx.client.volumesAccessibleByAccessGroup({ access_group: group })).some((v) => v.id === volume.id);
        }
        if (ctx.supports('ACCESS_GROUPS_GRANTED_TO_VOLUME')) {
          byVolume = (await ctx.client.accessGroupsGrantedToVolume({ volume })).some((g) => g.id === group.id);
        }
        ensure(byGroup === undefined || byVolume === undefined || byGroup === byVolume,
          `volumes_accessible_by_access_group says ${byGroup}, access_groups_granted_to_volume says ${byVolume}`);
        return byGroup ?? byVolume;
      };
      await ctx.client.volumeMask({ access_group: group, volume });
      ctx.cleanup.add(`the mask of volume ${volume.id} to access group ${group.id}`, () => ctx.client.volumeUnmask({ access_group: group, volume }));
      ensure((await granted()) !== false, `volume ${volume.id} is not granted to group ${group.id} after volume_mask`);
      await expectError(ctx.client.volumeMask({ access_group: group, volume }), ErrorNumber.NO_STATE_CHANGE, 'volume_mask of a masked volume');
      await ctx.client.volumeUnmask({ access_group: group, volume });
      ensure((await granted()) !== true, `volume ${volume.id} is still granted to group ${group.id} after volume_unmask`);
      await expectError(ctx.client.volumeUnmask({ access_group: group, volume }), ErrorNumber.NO_STATE_CHANGE, 'volume_unmask of an unmasked volume');
      ensure((await ctx.client.volumes({ search_key: 'id', search_value: volume.id }))[0]?.admin_state !== VolumeAdminState.DISABLED, `volume ${volume.id} was disabled by masking`);
    },
  },
  {
    id: 'volume_mask.is_masked',
    title: 'deleting a masked volume, or the group it is masked to, is IS_MASKED',
    needs: MASKING,
    async run(ctx) {
      const group = await createAccessGroup(ctx);
      const { volume } = await createVolume(ctx);
      await ctx.client.volumeMask({ access_group: group, volume });
      ctx.cleanup.add(`the mask of volume ${volume.id} to access group ${group.id}`, () => ctx.client.volumeUnmask({ access_group: group, volume }));
      await expectError(ctx.client.accessGroupDelete({ access_group: group }), ErrorNumber.IS_MASKED, 'access_group_delete of a group with a masked volume');
      await expectError(ctx.client.volumeDelete({ volume }), ErrorNumber.IS_MASKED, 'volume_delete of a masked volume');
    },
  },
];
