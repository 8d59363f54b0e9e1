/**
 * Per-initiator exports and initiators: `export_list`, `export_create`, `export_destroy`, `initiator_list`,
 * `initiator_set_auth`.
 *
 * An export to one initiator is a mask to that initiator's standalone group (view.ts), created on the first
 * export and deleted with the last, as targetd creates and removes the NodeACL. Differences from targetd, each
 * a bug there: everything is resolved before anything is created (targetd leaves a NodeACL, a TPG and portals
 * behind when the volume does not exist); an initiator that belongs to an access group is refused (targetd
 * maps that one member alone, which lsm's model cannot hold); initiator names are compared case-insensitively;
 * the same volume is never exported twice to one initiator under two LUN numbers.
 */
import { type AccessGroup, Capability, ErrorNumber, InitiatorType, LsmError, sizeBytes } from '@openlsm/core';
import { asTargetd, fromLsmError, nameForMessage, TargetdCode, TargetdError } from '../errors.js';
import { boolean, lun, nullable, optional, string } from '../params.js';
import { type BackendView, iscsiName, isStandalone } from '../view.js';
import { allMasks, checkBackendLun, groupMasks, mask, unmask, withMasking } from './masks.js';
import { method, type MethodTable } from './method.js';

/** One CHAP direction: both values, or neither (targetd clears both when either is null or empty). */
function chapPair(user: string | null, password: string | null): [string | null, string | null] {
  return user && password ? [user, password] : [null, null];
}

/**
 * Creates `initiator`'s standalone group (targetd's NodeACL without a group) and runs `fn` with it; if `fn`
 * fails the group is deleted again, so no initiator is left behind half-made. Runs under the MASKING lock.
 */
async function withStandalone(view: BackendView, initiator: string, what: string, fn: (group: AccessGroup) => Promise<void>): Promise<void> {
  const group = await asTargetd('export', () => view.call((c, o) => c.accessGroupCreate({
    name: initiator, init_id: initiator, init_type: InitiatorType.ISCSI_IQN, system: view.state.system,
  }, o)));
  try {
    await fn(group);
  } catch (err) {
    await asTargetd('export', () => view.call((c, o) => c.accessGroupDelete({ access_group: group }, o))).catch((e: Error) => {
      view.state.log.error(`${what}: cannot remove the initiator group it created`, { group: group.id, error: e.message });
    });
    throw err;
  }
}

export const exportMethods: MethodTable = {
  export_list: method({}, (view) => withMasking(view, async () => {
    const entries = await allMasks(view, await view.groups());
    return entries.flatMap(({ group, volume, lun: n }) => {
      const pool = view.poolName(volume.pool_id);
      if (pool === undefined) return [];
      return group.init_ids.map((initiator) => ({
        initiator_wwn: initiator, lun: n, vol_name: volume.name, pool, vol_uuid: volume.id, vol_size: sizeBytes(volume),
      }));
    });
  })),

  export_create: method({ pool: string, vol: string, initiator_wwn: string, lun }, async (view, args) => {
    const initiator = iscsiName(args.initiator_wwn);
    const pool = await view.pool(args.pool, 'block');
    const volume = await view.volume(pool, args.pool, args.vol);
    return withMasking(view, async () => {
      const owner = (await view.groups()).owner.get(initiator);
      if (owner && !isStandalone(owner)) {
        throw new TargetdError(TargetdCode.EXISTS_INITIATOR, `Initiator ${initiator} belongs to access group ${nameForMessage(owner.name)}: map the volume to the group with access_group_map_create`);
      }
      if (owner) {
        const { volumes, luns } = await groupMasks(view, owner);
        const current = luns.get(volume.id);
        if (current === args.lun) return null;
        if (current !== undefined) {
          throw new TargetdError(TargetdCode.GENERIC, `Volume ${nameForMessage(args.vol)} is already exported to ${initiator} as LUN ${current}; export_destroy it first to change the LUN`);
        }
        const holder = volumes.find((v) => luns.get(v.id) === args.lun);
        if (holder) throw new TargetdError(TargetdCode.GENERIC, `LUN ${args.lun} of ${initiator} is already used by volume ${nameForMessage(holder.name)}`);
        checkBackendLun(view, owner, args.lun, initiator);
        await mask(view, owner, volume, args.lun);
        return null;
      }
      checkBackendLun(view, undefined, args.lun, initiator);
      // No initiator left behind without its export.
      await withStandalone(view, initiator, 'export_create', (group) => mask(view, group, volume, args.lun));
      return null;
    });
  }),

  export_destroy: method({ pool: string, vol: string, initiator_wwn: string }, async (view, args) => {
    const initiator = iscsiName(args.initiator_wwn);
    const pool = await view.pool(args.pool, 'block');
    const notExported = (hint = '') => new TargetdError(TargetdCode.NOT_FOUND_VOLUME_EXPORT, `Volume '${nameForMessage(args.vol)}' not found in ${initiator} exports${hint}`);
    const volume = await view.findVolume(pool, args.vol);
    if (!volume) throw notExported();
    return withMasking(view, async () => {
      const owner = (await view.groups()).owner.get(initiator);
      if (!owner) throw notExported();
      if (!isStandalone(owner)) throw notExported(`; it is a member of access group ${nameForMessage(owner.name)}: use access_group_map_destroy`);
      const { volumes } = await groupMasks(view, owner);
      if (!volumes.some((v) => v.id === volume.id)) throw notExported();
      await unmask(view, owner, volume);
      // The initiator goes with its last export, as targetd deletes the NodeACL.
      if (volumes.length === 1) {
        await asTargetd('export', () => view.call((c, o) => c.accessGroupDelete({ access_group: owner }, o))).catch((e: Error) => {
          view.state.log.warn('export_destroy: the initiator group stays after its last export', { group: owner.id, error: e.message });
        });
      }
      return null;
    });
  }),

  initiator_list: method({ standalone_only: optional(boolean, false) }, async (view, { standalone_only }) => {
    const index = await view.groups();
    const ids = standalone_only ? [...index.standalone.keys()] : [...index.owner.keys()];
    return ids.map((init_id) => ({ init_id, init_type: 'iscsi' }));
  }),

  initiator_set_auth: method({
    initiator_wwn: string, in_user: nullable(string), in_pass: nullable(string), out_user: nullable(string), out_pass: nullable(string),
  }, async (view, args) => {
    const initiator = iscsiName(args.initiator_wwn);
    if (!view.supports(Capability.VOLUME_ISCSI_CHAP_AUTHENTICATION)) throw new TargetdError(TargetdCode.NO_SUPPORT, 'The backend does not support iSCSI CHAP authentication');
    const [inUser, inPass] = chapPair(args.in_user, args.in_pass);
    const [outUser, outPass] = chapPair(args.out_user, args.out_pass);
    const setAuth = () => view.call((c, o) => c.iscsiChapAuth({
      init_id: initiator, in_user: inUser, in_password: inPass, out_user: outUser, out_password: outPass,
    }, o));
    try {
      await setAuth();
      return null;
    } catch (err) {
      if (!(err instanceof LsmError && err.code === ErrorNumber.NOT_FOUND_ACCESS_GROUP)) throw err instanceof LsmError ? fromLsmError(err, 'export') : err;
    }
    // The backend keeps CHAP on an initiator's ACL and this one has none (lio://): targetd creates the ACL,
    // so the initiator gets its standalone group, removed again if the CHAP still fails.
    return withMasking(view, async () => {
      if ((await view.groups()).owner.has(initiator)) await asTargetd('export', setAuth);
      else await withStandalone(view, initiator, 'initiator_set_auth', async () => { await asTargetd('export', setAuth); });
      return null;
    });
  }),
};
