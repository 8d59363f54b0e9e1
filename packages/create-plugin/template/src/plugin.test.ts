import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { Connection, memoryPair } from '@openlsm/ipc';
import { servePlugin } from '@openlsm/plugin';
import { DemoPlugin } from './plugin.js';

/** The plugin served in-process over an in-memory stream pair, and a connection speaking to it. */
function connect(): Connection {
  const [clientEnd, pluginEnd] = memoryPair();
  servePlugin(new DemoPlugin(), pluginEnd);
  return new Connection(clientEnd);
}

const register = { uri: 'demo://admin@array.example', password: 'secret', timeout: 30_000, flags: 0 };

test('lists its pool and its volume, and searches them', async () => {
  const connection = connect();
  await connection.request('plugin_register', register);
  const pools = (await connection.request('pools', { flags: 0 })) as { id: string; total_space: bigint }[];
  assert.deepEqual(pools.map((p) => [p.id, p.total_space]), [['DEMO_POOL_1', 2n ** 61n]]);
  const volumes = (await connection.request('volumes', { search_key: 'pool_id', search_value: 'DEMO_POOL_1', flags: 0 })) as { id: string }[];
  assert.deepEqual(volumes.map((v) => v.id), ['DEMO_VOL_1']);
  connection.destroy();
});

test('refuses a wrong password with PLUGIN_AUTH_FAILED', async () => {
  const connection = connect();
  await assert.rejects(connection.request('plugin_register', { ...register, password: 'wrong' }),
    (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.PLUGIN_AUTH_FAILED);
  connection.destroy();
});

test('answers NO_SUPPORT for what it does not implement', async () => {
  const connection = connect();
  await connection.request('plugin_register', register);
  await assert.rejects(connection.request('access_groups', { flags: 0 }),
    (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.NO_SUPPORT);
  connection.destroy();
});
