/**
 * Calls through a real plugin process: pipelining, and the errors the plugin kit gives for bad requests.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Pool, VolumeCreate } from '@openlsm/core';
import { spawnPlugin } from '@openlsm/client';
import { Connection } from '@openlsm/ipc';
import { echoEnv, type EchoEnv, ErrorNumber, isLsmError } from './echo-env.js';

let echo: EchoEnv;
before(() => { echo = echoEnv(); });
after(() => echo.cleanup());

/** A raw connection to a fresh echo plugin process, bypassing the client's own checks. */
async function rawSession(): Promise<{ connection: Connection; stop(): Promise<void> }> {
  const plugin = await spawnPlugin(`${echo.dir}/echo_lsmplugin`, echo.env);
  const connection = new Connection(plugin.socket, { peerName: 'echo plug-in' });
  await connection.request('plugin_register', { uri: 'echo://', password: null, timeout: 10_000, flags: 0 });
  return { connection, stop: async () => { await connection.close(); await plugin.stop(1_000); } };
}

test('1,000 pipelined calls answered out of order reach the right callers', async () => {
  const client = await echo.connect();
  const [pool] = await client.pools();
  const names = Array.from({ length: 1000 }, (_, i) => `delay-${(i * 7919) % 23}-${i}`);
  const order: number[] = [];
  const volumes = await Promise.all(names.map(async (volume_name, i) => {
    const v = await client.volumeCreate({ pool: pool!, volume_name, size_bytes: BigInt(i + 1) * 512n });
    order.push(i);
    return v;
  }));
  assert.deepEqual(volumes.map((v) => v.name), names);
  assert.deepEqual(volumes.map((v) => v.num_of_blocks), names.map((_, i) => BigInt(i + 1)));
  assert.notDeepEqual(order, [...order].sort((a, b) => a - b), 'answers arrived out of order');
  await client.close();
});

test('an unknown method is NO_SUPPORT; a method the plugin lacks is NO_SUPPORT', async () => {
  const { connection, stop } = await rawSession();
  await assert.rejects(connection.request('volume_teleport', { flags: 0 }), isLsmError(ErrorNumber.NO_SUPPORT, /Unsupported operation "volume_teleport"/));
  await stop();
  const client = await echo.connect();
  await assert.rejects(client.disks(), isLsmError(ErrorNumber.NO_SUPPORT, /"disks" is not supported/));
  await assert.rejects(client.fs(), isLsmError(ErrorNumber.NO_SUPPORT));
  await client.close();
});

test('wrong param types are INVALID_ARGUMENT, from the plugin and already from the client', async () => {
  const { connection, stop } = await rawSession();
  const [pool] = await connection.request('pools', { flags: 0 }) as Pool[];
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ pool: 'P1', volume_name: 'v', size_bytes: 1n, flags: 0 }, /"pool": expected a Pool object, got a string/],
    [{ pool, volume_name: 42, size_bytes: 1n, flags: 0 }, /"volume_name": expected a string, got a number/],
    [{ pool, volume_name: 'v', size_bytes: '1GiB', flags: 0 }, /"size_bytes": expected an integer \(64-bit\), got a string/],
    [{ pool, volume_name: 'v', size_bytes: 1.5, flags: 0 }, /"size_bytes"/],
    [{ pool, volume_name: 'v', flags: 0 }, /"size_bytes": missing/],
    [{ pool, volume_name: 'v', size_bytes: 1n, flags: 'zero' }, /"flags"/],
    [{ pool: { ...pool, free_space: null }, volume_name: 'v', size_bytes: 1n, flags: 0 }, /"pool.free_space"/],
  ];
  for (const [params, message] of cases) {
    await assert.rejects(connection.request('volume_create', params), isLsmError(ErrorNumber.INVALID_ARGUMENT, message));
  }
  await assert.rejects(connection.request('volumes', { search_key: 'colour', search_value: 'red', flags: 0 }), isLsmError(ErrorNumber.UNSUPPORTED_SEARCH_KEY));
  // The session survives every refusal.
  assert.equal((await connection.request('volume_create', { pool, volume_name: 'ok', size_bytes: 512n, flags: 0 }) as unknown[]).length, 2);
  await stop();

  const client = await echo.connect();
  await assert.rejects(client.call(VolumeCreate, { pool: 'P1' } as never), isLsmError(ErrorNumber.INVALID_ARGUMENT, /"pool"/));
  await assert.rejects(client.volumes({ search_key: 'colour', search_value: 'red' }), isLsmError(ErrorNumber.UNSUPPORTED_SEARCH_KEY));
  await client.close();
});

test('an unexpected exception in the plugin is PLUGIN_BUG; the session goes on', async () => {
  const client = await echo.connect();
  const [pool] = await client.pools();
  await assert.rejects(client.volumeCreate({ pool: pool!, volume_name: 'bug', size_bytes: 512n }), isLsmError(ErrorNumber.PLUGIN_BUG, /deliberate bug/));
  assert.equal((await client.systems()).length, 1);
  await client.close();
});
