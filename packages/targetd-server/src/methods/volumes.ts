/**
 * Pools and volumes: `pool_list`, `vol_list`, `vol_create`, `vol_destroy`, `vol_copy`, `vol_resize`.
 *
 * A targetd volume is named by (pool, name); its `uuid` is the backend volume's id, which stays the same for the
 * volume's life and is never reused for another one, as targetd's LV uuid. Names are checked before anything
 * reaches the backend, and a name check and the create it guards run under one lock, so two concurrent creates
 * of one name cannot both pass (a backend that allows duplicate names would otherwise get two).
 */
import { Capability, ErrorNumber, LsmError, Provisioning, ReplicationType, sizeBytes, type Pool, type Volume } from '@openlsm/core';
import { asTargetd, nameForMessage, TargetdCode, TargetdError } from '../errors.js';
import { nullable, optional, seconds, size, string } from '../params.js';
import type { BackendView } from '../view.js';
import { checkName, method, type MethodTable } from './method.js';

function nameTaken(): TargetdError {
  return new TargetdError(TargetdCode.NAME_CONFLICT, 'Volume with that name exists');
}

/** Runs `fn` holding the lock of volume name `name` in `pool`, after checking that the name is free. */
function withFreeName(view: BackendView, pool: Pool, name: string, fn: () => Promise<void>): Promise<void> {
  return view.state.locks.run(`vol:${pool.id}:${name}`, async () => {
    if (await view.findVolume(pool, name)) throw nameTaken();
    await fn();
  });
}

function biggerThan(wanted: bigint, volume: Volume, what: string): void {
  if (wanted <= sizeBytes(volume)) {
    throw new TargetdError(TargetdCode.INVALID_ARGUMENT, `${what} (${wanted} bytes) must be larger than the volume's ${sizeBytes(volume)} bytes: volumes only grow`);
  }
}

export const volumeMethods: MethodTable = {
  pool_list: method({}, async (view) => (await view.pools()).map(({ offered, pool }) => (offered.kind === 'block'
    ? { name: offered.name, size: pool.total_space, free_size: pool.free_space, type: 'block', uuid: pool.id }
    : { name: offered.name, size: pool.total_space, free_size: pool.free_space, type: 'fs' }))),

  vol_list: method({ pool: string }, async (view, { pool }) => {
    const p = await view.pool(pool, 'block');
    return (await view.volumes(p)).map((v) => ({ name: v.name, size: sizeBytes(v), uuid: v.id }));
  }),

  vol_create: method({ pool: string, name: string, size }, async (view, { pool, name, size: bytes }) => {
    checkName(name);
    if (bytes === 0n) throw new TargetdError(TargetdCode.INVALID_ARGUMENT, 'size must be larger than 0 bytes');
    const p = await view.pool(pool, 'block');
    await withFreeName(view, p, name, () => asTargetd('volume', async () => {
      await view.call((c, o) => c.volumeCreate({ pool: p, volume_name: name, size_bytes: bytes, provisioning: Provisioning.DEFAULT }, o));
    }));
    return null;
  }),

  vol_destroy: method({ pool: string, name: string }, async (view, { pool, name }) => {
    const p = await view.pool(pool, 'block');
    const volume = await view.volume(p, pool, name);
    if (view.supports(Capability.ACCESS_GROUPS_GRANTED_TO_VOLUME)) {
      const groups = await asTargetd('volume', () => view.call((c, o) => c.accessGroupsGrantedToVolume({ volume }, o)));
      if (groups.length > 0) throw new TargetdError(TargetdCode.VOLUME_MASKED, `Volume '${nameForMessage(name)}' cannot be removed while exported`);
    }
    // A mask made meanwhile makes the backend refuse with IS_MASKED, which is -303 as well.
    await asTargetd('volume', async () => {
      try {
        await view.call((c, o) => c.volumeDelete({ volume }, o));
      } catch (err) {
        // A vol_copy source: targetd's copies do not depend on their source, so make them independent first.
        if (!(err instanceof LsmError && err.code === ErrorNumber.HAS_CHILD_DEPENDENCY && view.supports(Capability.VOLUME_CHILD_DEPENDENCY_RM))) throw err;
        await view.call((c, o) => c.volumeChildDependencyRm({ volume }, o));
        await view.call((c, o) => c.volumeDelete({ volume }, o));
      }
    });
    return null;
  }),

  vol_copy: method({
    pool: string, vol_orig: string, vol_new: string, size: optional(nullable(size), null),
    // Accepted and ignored, as targetd ignores it: call_timeout_ms bounds every call.
    timeout: optional(seconds, 10),
  }, async (view, { pool, vol_orig, vol_new, size: bytes }) => {
    checkName(vol_new);
    const p = await view.pool(pool, 'block');
    const source = await view.volume(p, pool, vol_orig);
    if (bytes !== null) biggerThan(bytes, source, 'size');
    // A full copy when the backend can, else a clone (what targetd makes: a thin snapshot).
    const repType = view.supports(Capability.VOLUME_REPLICATE_COPY) ? ReplicationType.COPY
      : view.supports(Capability.VOLUME_REPLICATE_CLONE) ? ReplicationType.CLONE : undefined;
    if (repType === undefined) throw new TargetdError(TargetdCode.NO_SUPPORT, `The backend cannot copy volumes (${nameForMessage(view.state.config.backend)})`);
    await withFreeName(view, p, vol_new, () => asTargetd('volume', async () => {
      const copy = await view.call((c, o) => c.volumeReplicate({ pool: p, rep_type: repType, volume_src: source, name: vol_new }, o));
      if (bytes === null || copy === undefined || copy === null) return;
      try {
        await view.call((c, o) => c.volumeResize({ volume: copy, new_size_bytes: bytes }, o));
      } catch (err) {
        // A copy of the wrong size is not what was asked for: take it back, then report why.
        await view.call((c, o) => c.volumeDelete({ volume: copy }, o)).catch((e: Error) => {
          view.state.log.error('vol_copy: cannot remove the copy after its resize failed', { volume: copy.id, error: e.message });
        });
        throw err;
      }
    }));
    return null;
  }),

  vol_resize: method({ pool: string, name: string, size }, async (view, { pool, name, size: bytes }) => {
    const p = await view.pool(pool, 'block');
    const volume = await view.volume(p, pool, name);
    biggerThan(bytes, volume, 'size');
    await asTargetd('volume', () => view.call((c, o) => c.volumeResize({ volume, new_size_bytes: bytes }, o)));
    return null;
  }),
};
