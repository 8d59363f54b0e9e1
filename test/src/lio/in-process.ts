/**
 * The lio plugin served in this process over an in-memory stream (the plugin kit's own test path), for tests
 * that make hundreds of calls: failure injection at every step would take minutes through lsmcli processes.
 * The runner still validates every request, as it does for a real client.
 */
import type { TestContext } from 'node:test';
import type { AccessGroup, Pool, Volume } from '@openlsm/core';
import { Connection, memoryPair } from '@openlsm/ipc';
import { servePlugin } from '@openlsm/plugin';
import { LioPlugin } from '@openlsm/plugin-lio';
import { INITIATOR_1, INITIATOR_2, type Lio } from './harness.js';

export interface LioClient {
  call<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  pool(id?: string): Promise<Pool>;
  volume(name: string): Promise<Volume>;
  group(id: string): Promise<AccessGroup>;
  createVolume(name: string, size?: bigint): Promise<Volume>;
  close(): Promise<void>;
}

export async function connectLio(t: TestContext, lio: Lio): Promise<LioClient> {
  const [clientEnd, pluginEnd] = memoryPair();
  servePlugin(new LioPlugin(), pluginEnd);
  const connection = new Connection(clientEnd);
  await connection.request('plugin_register', { uri: lio.uri, password: null, timeout: 30_000, flags: 0 });
  const call = <T>(method: string, params: Record<string, unknown> = {}) => connection.request(method, { flags: 0, ...params }) as Promise<T>;
  const client: LioClient = {
    call,
    pool: async (id = 'images') => {
      const [pool] = await call<Pool[]>('pools', { search_key: 'id', search_value: id });
      if (!pool) throw new Error(`no pool ${id}`);
      return pool;
    },
    volume: async (name) => {
      const volume = (await call<Volume[]>('volumes')).find((v) => v.name === name);
      if (!volume) throw new Error(`no volume ${name}`);
      return volume;
    },
    group: async (id) => {
      const [group] = await call<AccessGroup[]>('access_groups', { search_key: 'id', search_value: id });
      if (!group) throw new Error(`no access group ${id}`);
      return group;
    },
    createVolume: async (name, size = 8n * 1024n * 1024n) => {
      const [, volume] = await call<[null, Volume]>('volume_create', { pool: await client.pool(), volume_name: name, size_bytes: size });
      return volume;
    },
    close: async () => {
      await connection.request('plugin_unregister', { flags: 0 }).catch(() => undefined);
      connection.close();
    },
  };
  t.after(() => client.close());
  return client;
}

/**
 * A small but complete configuration: two volumes masked to a group of two initiators, one with mutual CHAP,
 * and a second group whose name does not fit an ACL tag (so it lives in the state file).
 */
export async function populateExample(t: TestContext, lio: Lio): Promise<void> {
  const c = await connectLio(t, lio);
  await c.createVolume('vol1');
  await c.createVolume('vol2', 16n * 1024n * 1024n);
  const [system] = await c.call<unknown[]>('systems');
  await c.call('access_group_create', { name: 'hosts', init_id: INITIATOR_1, init_type: 5, system });
  await c.call('access_group_initiator_add', { access_group: await c.group('hosts'), init_id: INITIATOR_2, init_type: 5 });
  await c.call('access_group_create', { name: 'group.with.dots', init_id: 'iqn.1994-05.com.example:host3', init_type: 5, system });
  for (const v of ['vol1', 'vol2']) await c.call('volume_mask', { access_group: await c.group('hosts'), volume: await c.volume(v) });
  await c.call('iscsi_chap_auth', { init_id: INITIATOR_1, in_user: 'user1', in_password: 'secret123456', out_user: 'array1', out_password: 'secret654321' });
  await c.close();
}
