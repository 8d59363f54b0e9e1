/**
 * targetd's access groups (API 0.7.1+): `access_group_list`, `_create`, `_destroy`, `_init_add`, `_init_del`,
 * `_map_list`, `_map_create`, `_map_destroy`, on lsm access groups and masks.
 *
 * targetd's silences are kept (destroying a missing group, adding a member twice, removing a non-member, mapping
 * twice and unmapping what is not mapped all return null), and so is removing a group's last member, which
 * removes the group; lsm refuses that (LAST_INIT_IN_ACCESS_GROUP), so the group's masks are undone and the
 * group deleted instead. Where targetd is wrong, this is right: without `h_lun_id` a mapping gets the lowest
 * LUN number free *in the group* (targetd computes it from the volume's other mappings and collides on the
 * second volume), and an `h_lun_id` already used in the group is refused before anything changes.
 */
import { InitiatorType, type AccessGroup } from '@openlsm/core';
import { asTargetd, nameForMessage, TargetdCode, TargetdError } from '../errors.js';
import { lun, nullable, optional, string } from '../params.js';
import { type BackendView, iscsiName, isStandalone } from '../view.js';
import { allMasks, checkBackendLun, deleteGroup, groupMasks, mask, unmask, withMasking } from './masks.js';
import { checkName, method, type MethodTable } from './method.js';

function iscsiOnly(initType: string): void {
  if (initType !== 'iscsi') throw new TargetdError(TargetdCode.NO_SUPPORT, 'Only support iscsi');
}

function createGroup(view: BackendView, name: string, initiator: string): Promise<AccessGroup> {
  return asTargetd('access_group', () => view.call((c, o) => c.accessGroupCreate({
    name, init_id: initiator, init_type: InitiatorType.ISCSI_IQN, system: view.state.system,
  }, o)));
}

const memberArgs = { ag_name: string, init_id: string, init_type: string };

export const accessGroupMethods: MethodTable = {
  access_group_list: method({}, async (view) => [...(await view.groups()).named.values()].map((g) => ({
    name: g.name, init_ids: g.init_ids, init_type: 'iscsi',
  }))),

  access_group_create: method(memberArgs, async (view, { ag_name, init_id, init_type }) => {
    iscsiOnly(init_type);
    checkName(ag_name);
    const initiator = iscsiName(init_id);
    return withMasking(view, async () => {
      const index = await view.groups();
      if (index.named.has(ag_name)) throw new TargetdError(TargetdCode.NAME_CONFLICT, 'Requested access group name is in use');
      if (index.owner.has(initiator)) throw new TargetdError(TargetdCode.EXISTS_INITIATOR, 'Requested init_id is in use');
      await createGroup(view, ag_name, initiator);
      return null;
    });
  }),

  access_group_destroy: method({ ag_name: string }, (view, { ag_name }) => withMasking(view, async () => {
    const group = (await view.groups()).named.get(ag_name);
    if (group) await deleteGroup(view, group);
    return null;
  })),

  access_group_init_add: method(memberArgs, async (view, { ag_name, init_id, init_type }) => {
    iscsiOnly(init_type);
    const initiator = iscsiName(init_id);
    return withMasking(view, async () => {
      const index = await view.groups();
      const group = index.named.get(ag_name);
      if (group?.init_ids.includes(initiator)) return null;
      const owner = index.owner.get(initiator);
      if (owner) {
        throw new TargetdError(TargetdCode.EXISTS_INITIATOR, isStandalone(owner) ? 'Requested init_id is in use' : 'Requested init_id is used by other access group');
      }
      // As targetd, adding to a group that does not exist creates it; the new member sees the group's volumes.
      if (!group) await createGroup(view, checkName(ag_name), initiator);
      else {
        await asTargetd('access_group', () => view.call((c, o) => c.accessGroupInitiatorAdd({
          access_group: group, init_id: initiator, init_type: InitiatorType.ISCSI_IQN,
        }, o)));
      }
      return null;
    });
  }),

  access_group_init_del: method(memberArgs, async (view, { ag_name, init_id, init_type }) => {
    iscsiOnly(init_type);
    const initiator = iscsiName(init_id);
    return withMasking(view, async () => {
      const group = (await view.groups()).named.get(ag_name);
      if (!group?.init_ids.includes(initiator)) return null;
      if (group.init_ids.length === 1) await deleteGroup(view, group);
      else {
        await asTargetd('access_group', () => view.call((c, o) => c.accessGroupInitiatorDelete({
          access_group: group, init_id: initiator, init_type: InitiatorType.ISCSI_IQN,
        }, o)));
      }
      return null;
    });
  }),

  access_group_map_list: method({}, (view) => withMasking(view, async () => {
    const index = await view.groups();
    const named = new Set(index.named.values());
    return (await allMasks(view, index)).flatMap(({ group, volume, lun: n }) => {
      const pool = view.poolName(volume.pool_id);
      return named.has(group) && pool !== undefined ? [{ ag_name: group.name, h_lun_id: n, pool_name: pool, vol_name: volume.name }] : [];
    });
  })),

  access_group_map_create: method({
    pool_name: string, vol_name: string, ag_name: string, h_lun_id: optional(nullable(lun), null),
  }, async (view, { pool_name, vol_name, ag_name, h_lun_id }) => {
    const pool = await view.pool(pool_name, 'block');
    const volume = await view.volume(pool, pool_name, vol_name);
    return withMasking(view, async () => {
      const group = (await view.groups()).named.get(ag_name);
      if (!group) throw new TargetdError(TargetdCode.NOT_FOUND_ACCESS_GROUP, 'Access group not found');
      const { volumes, luns } = await groupMasks(view, group);
      if (luns.has(volume.id)) return null;
      if (h_lun_id !== null) {
        const holder = volumes.find((v) => luns.get(v.id) === h_lun_id);
        if (holder) throw new TargetdError(TargetdCode.GENERIC, `Host LUN id ${h_lun_id} is already used in access group ${nameForMessage(ag_name)} by volume ${nameForMessage(holder.name)}`);
        checkBackendLun(view, group, h_lun_id, `access group ${nameForMessage(ag_name)}`);
      }
      const n = h_lun_id ?? view.state.luns.lowestFree(group.id);
      if (n === undefined) throw new TargetdError(TargetdCode.NO_FREE_HOST_LUN_ID, `No free host LUN id in access group ${nameForMessage(ag_name)}: 0 to 255 are all used`);
      await mask(view, group, volume, n);
      return null;
    });
  }),

  access_group_map_destroy: method({ pool_name: string, vol_name: string, ag_name: string }, async (view, { pool_name, vol_name, ag_name }) => {
    const pool = await view.pool(pool_name, 'block');
    const volume = await view.volume(pool, pool_name, vol_name);
    return withMasking(view, async () => {
      const group = (await view.groups()).named.get(ag_name);
      if (!group) return null;
      const { volumes } = await groupMasks(view, group);
      if (volumes.some((v) => v.id === volume.id)) await unmask(view, group, volume);
      return null;
    });
  }),
};
