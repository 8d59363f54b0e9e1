/**
 * Volumes: create, name conflicts, space, not-found errors, delete, resize, replicate, enable/disable and child
 * dependencies, with lsm's error codes. Creating needs VOLUME_DELETE too, so that nothing is left behind.
 */
import {
  type CapabilityName, ErrorNumber, LsmError, type Pool, PoolElementType, PoolUnsupported, ReplicationType, VolumeAdminState,
  VolumeCreate, VolumeDelete, VolumeReplicate, VolumeResize,
} from '@openlsm/client';
import { type Check, CheckSkipped, ensure, expectError, formatBytes, MiB, OBJECT_SIZE } from './check.js';
import { createVolume, finishId, finishPair, keepIfMade, keepVolume, listedVolume, pickPool, volumeBytes } from './objects.js';

const CREATE: CapabilityName[] = ['VOLUMES', 'VOLUME_CREATE', 'VOLUME_DELETE'];

const REPLICATION: [CapabilityName, number, string, string][] = [
  ['VOLUME_REPLICATE_CLONE', ReplicationType.CLONE, 'clone', 'a clone'],
  ['VOLUME_REPLICATE_COPY', ReplicationType.COPY, 'copy', 'a copy'],
  ['VOLUME_REPLICATE_MIRROR_SYNC', ReplicationType.MIRROR_SYNC, 'mirror_sync', 'a synchronous mirror'],
  ['VOLUME_REPLICATE_MIRROR_ASYNC', ReplicationType.MIRROR_ASYNC, 'mirror_async', 'an asynchronous mirror'],
];

function bogusPool(pool: Pool): Pool {
  return { ...pool, id: 'olsmct_no_such_pool', name: 'olsmct_no_such_pool' };
}

export const volumeChecks: Check[] = [
  {
    id: 'volume_create',
    title: 'volume_create makes a volume of at least the size asked, in the pool asked, listed by volumes()',
    needs: CREATE,
    async run(ctx) {
      const { volume, pool } = await createVolume(ctx);
      ensure(volumeBytes(volume) >= OBJECT_SIZE, `volume ${volume.id} has ${volumeBytes(volume)} bytes, ${OBJECT_SIZE} were asked`);
      ensure(volume.pool_id === pool.id, `volume ${volume.id} is in pool ${volume.pool_id}, it was created in ${pool.id}`);
      ensure(volume.system_id === pool.system_id, `volume ${volume.id} is on system ${volume.system_id}, its pool on ${pool.system_id}`);
      const listed = await listedVolume(ctx, volume.id);
      ensure(listed !== undefined, `the new volume ${volume.id} is not listed by volumes()`);
      ensure(listed.name === volume.name, `volumes() names volume ${volume.id} ${JSON.stringify(listed.name)}, volume_create answered ${JSON.stringify(volume.name)}`);
      // Only a pool that cannot hold thin volumes must have less free space afterwards. A thin pool's free space
      // is often shared (a sparse image directory reports its file system's), so other writers move it either way.
      if ((pool.element_type & PoolElementType.VOLUME_THIN) === 0) {
        const [after] = await ctx.client.pools({ search_key: 'id', search_value: pool.id });
        ensure(after !== undefined && after.free_space <= pool.free_space, `pool ${pool.id} has more free space after volume_create than before`);
      }
    },
  },
  {
    id: 'volume_create.name_conflict',
    title: 'volume_create with the name of an existing volume is NAME_CONFLICT',
    needs: CREATE,
    async run(ctx) {
      const { volume, pool } = await createVolume(ctx);
      const second = ctx.client.call(VolumeCreate, { pool, volume_name: volume.name, size_bytes: OBJECT_SIZE }).then((answer) => keepIfMade(ctx, answer, (v) => keepVolume(ctx, v)));
      await expectError(second, ErrorNumber.NAME_CONFLICT, `volume_create of a second ${JSON.stringify(volume.name)}`);
    },
  },
  {
    id: 'volume_create.not_found_pool',
    title: 'volume_create in a pool that does not exist is NOT_FOUND_POOL',
    needs: CREATE,
    async run(ctx) {
      const pool = pickPool(ctx, PoolElementType.VOLUME);
      await expectError(ctx.client.call(VolumeCreate, { pool: bogusPool(pool), volume_name: ctx.name('v'), size_bytes: OBJECT_SIZE }),
        ErrorNumber.NOT_FOUND_POOL, 'volume_create in pool "olsmct_no_such_pool"');
    },
  },
  {
    id: 'volume_create.not_enough_space',
    title: 'volume_create larger than a fully provisioned pool is NOT_ENOUGH_SPACE',
    needs: CREATE,
    async run(ctx) {
      const pool = pickPool(ctx, PoolElementType.VOLUME);
      // A thin pool may promise more than it has; only a pool that cannot hold thin volumes must refuse.
      if ((pool.element_type & PoolElementType.VOLUME_THIN) !== 0) throw new CheckSkipped(`pool ${pool.id} can hold thin volumes, which may overcommit`);
      const size = pool.total_space + 1024n * MiB;
      const name = ctx.name('v');
      const attempt = ctx.client.call(VolumeCreate, { pool, volume_name: name, size_bytes: size }).then((answer) => keepIfMade(ctx, answer, (v) => keepVolume(ctx, v)));
      await expectError(attempt, ErrorNumber.NOT_ENOUGH_SPACE, `volume_create of ${formatBytes(size)} in pool ${pool.id} (${formatBytes(pool.total_space)} in all)`);
    },
  },
  {
    id: 'volume_delete',
    title: 'volume_delete removes the volume; deleting it again is NOT_FOUND_VOLUME',
    needs: CREATE,
    async run(ctx) {
      const { volume } = await createVolume(ctx);
      await finishId(ctx.client, await ctx.client.call(VolumeDelete, { volume }));
      ensure((await listedVolume(ctx, volume.id)) === undefined, `volume ${volume.id} is still listed after volume_delete`);
      await expectError(ctx.client.volumeDelete({ volume }), ErrorNumber.NOT_FOUND_VOLUME, `volume_delete of the deleted volume ${volume.id}`);
    },
  },
  {
    id: 'volume_resize',
    title: 'volume_resize grows a volume to at least the size asked, keeping its id',
    needs: [...CREATE, 'VOLUME_RESIZE'],
    async run(ctx) {
      const { volume } = await createVolume(ctx, PoolUnsupported.VOLUME_GROW);
      const wanted = volumeBytes(volume) + 16n * MiB;
      const grown = await finishPair(ctx.client, await ctx.client.call(VolumeResize, { volume, new_size_bytes: wanted }), 'volume_resize');
      ensure(grown.id === volume.id, `volume_resize of ${volume.id} answered volume ${grown.id}`);
      ensure(volumeBytes(grown) >= wanted, `volume ${volume.id} has ${volumeBytes(grown)} bytes after a resize to ${wanted}`);
      const listed = await listedVolume(ctx, volume.id);
      ensure(listed !== undefined && volumeBytes(listed) >= wanted, `volumes() does not show volume ${volume.id} grown to ${wanted} bytes`);
    },
  },
  ...REPLICATION.map(([capability, repType, kind, aKind]): Check => ({
    id: `volume_replicate.${kind}`,
    title: `volume_replicate makes ${aKind}; a second replica of the same name is NAME_CONFLICT`,
    needs: [...CREATE, 'VOLUME_REPLICATE', capability],
    async run(ctx) {
      const { volume } = await createVolume(ctx);
      const name = ctx.name('r');
      const replica = await finishPair(ctx.client, await ctx.client.call(VolumeReplicate, { pool: null, rep_type: repType, volume_src: volume, name }), `volume_replicate (${kind})`);
      keepVolume(ctx, replica);
      ensure(replica.id !== volume.id, `volume_replicate answered the source volume ${volume.id} itself`);
      ensure(volumeBytes(replica) >= volumeBytes(volume), `the ${kind} ${replica.id} is smaller than its source`);
      ensure((await listedVolume(ctx, replica.id)) !== undefined, `the ${kind} ${replica.id} is not listed by volumes()`);
      const again = ctx.client.call(VolumeReplicate, { pool: null, rep_type: repType, volume_src: volume, name: replica.name }).then((answer) => keepIfMade(ctx, answer, (v) => keepVolume(ctx, v)));
      await expectError(again, ErrorNumber.NAME_CONFLICT, `volume_replicate to the existing name ${JSON.stringify(replica.name)}`);
    },
  })),
  {
    id: 'volume_enable_disable',
    title: 'volume_disable and volume_enable change the admin_state volumes() lists',
    needs: [...CREATE, 'VOLUME_ENABLE', 'VOLUME_DISABLE'],
    async run(ctx) {
      const { volume } = await createVolume(ctx);
      await ctx.client.volumeDisable({ volume });
      ensure((await listedVolume(ctx, volume.id))?.admin_state === VolumeAdminState.DISABLED, `volume ${volume.id} is not disabled after volume_disable`);
      await ctx.client.volumeEnable({ volume });
      ensure((await listedVolume(ctx, volume.id))?.admin_state === VolumeAdminState.ENABLED, `volume ${volume.id} is not enabled after volume_enable`);
    },
  },
  {
    id: 'volume_child_dependency',
    title: 'a volume with a replica reports its dependency, and volume_child_dependency_rm removes it',
    needs: [...CREATE, 'VOLUME_REPLICATE', 'VOLUME_CHILD_DEPENDENCY', 'VOLUME_CHILD_DEPENDENCY_RM'],
    async run(ctx) {
      const type = ctx.supports('VOLUME_REPLICATE_CLONE') ? ReplicationType.CLONE : ctx.supports('VOLUME_REPLICATE_COPY') ? ReplicationType.COPY : undefined;
      if (type === undefined) throw new CheckSkipped('claims neither VOLUME_REPLICATE_CLONE nor VOLUME_REPLICATE_COPY');
      const { volume } = await createVolume(ctx);
      const name = ctx.name('r');
      const replica = await finishPair(ctx.client, await ctx.client.call(VolumeReplicate, { pool: null, rep_type: type, volume_src: volume, name }), 'volume_replicate');
      keepVolume(ctx, replica);
      if (await ctx.client.volumeChildDependency({ volume })) {
        await ctx.client.volumeChildDependencyRm({ volume });
        ensure(!(await ctx.client.volumeChildDependency({ volume })), `volume ${volume.id} still has a child dependency after volume_child_dependency_rm`);
      } else {
        // Nothing to remove: lsm's plugin test expects a plain answer; NO_STATE_CHANGE says the same.
        await ctx.client.volumeChildDependencyRm({ volume }).catch((err: unknown) => {
          if (!(err instanceof LsmError && err.code === ErrorNumber.NO_STATE_CHANGE)) throw err;
        });
      }
    },
  },
  {
    id: 'volume.not_found',
    title: 'calls on a volume that does not exist are NOT_FOUND_VOLUME',
    needs: ['VOLUME_DELETE'],
    async run(ctx) {
      const pool = ctx.pools[0];
      if (!pool) throw new CheckSkipped(`system ${ctx.system.id} has no pool`);
      const ghost = {
        id: 'olsmct_no_such_volume', name: 'olsmct_no_such_volume', vpd83: '', block_size: 512n, num_of_blocks: 2048n,
        admin_state: VolumeAdminState.ENABLED, system_id: ctx.system.id, pool_id: pool.id, plugin_data: null,
      };
      const what = (m: string) => `${m} of "olsmct_no_such_volume"`;
      await expectError(ctx.client.volumeDelete({ volume: ghost }), ErrorNumber.NOT_FOUND_VOLUME, what('volume_delete'));
      if (ctx.supports('VOLUME_RESIZE')) {
        await expectError(ctx.client.volumeResize({ volume: ghost, new_size_bytes: 4n * MiB }), ErrorNumber.NOT_FOUND_VOLUME, what('volume_resize'));
      }
      if (ctx.supports('VOLUME_ENABLE')) await expectError(ctx.client.volumeEnable({ volume: ghost }), ErrorNumber.NOT_FOUND_VOLUME, what('volume_enable'));
      if (ctx.supports('VOLUME_DISABLE')) await expectError(ctx.client.volumeDisable({ volume: ghost }), ErrorNumber.NOT_FOUND_VOLUME, what('volume_disable'));
    },
  },
];
