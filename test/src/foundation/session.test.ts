/**
 * The client and the plugin kit end to end: a real echo plugin process, started by the real Client over a
 * socket pair on fd 3.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { Capability, isSupported } from '@openlsm/core';
import { Client, listPlugins } from '@openlsm/client';
import { echoEnv, type EchoEnv, ErrorNumber, isLsmError, pluginPid, processExists } from './echo-env.js';

let echo: EchoEnv;
before(() => { echo = echoEnv(); });
after(() => echo.cleanup());

test('connects in embedded mode and answers the session calls', async () => {
  const client = await echo.connect();
  assert.equal(client.transport, 'embedded');
  assert.deepEqual(await client.pluginInfo(), ['openlsm test plugin', '0.0.1']);
  const [system] = await client.systems();
  assert.equal(system?.id, 'echo-01');
  const caps = await client.capabilities({ system: system! });
  assert.equal(isSupported(caps, Capability.VOLUMES), true);
  assert.equal(isSupported(caps, Capability.DISKS), false);
  const [pool] = await client.pools({ search_key: 'id', search_value: 'P1' });
  assert.equal(pool?.total_space, 2n ** 61n);
  assert.equal(await client.timeOutGet(), 30_000);
  await client.timeOutSet({ ms: 12_345 });
  assert.equal(await client.timeOutGet(), 12_345);
  const pid = await pluginPid(client);
  await client.close();
  assert.equal(processExists(pid), false, 'close() reaps the plugin process');
  await client.close(); // a second close is harmless
  await assert.rejects(client.systems(), isLsmError(ErrorNumber.TRANSPORT_COMMUNICATION, /closed/));
});

test('a volume made by the plugin comes back with exact sizes', async () => {
  const client = await echo.connect();
  const [pool] = await client.pools();
  const volume = await client.volumeCreate({ pool: pool!, volume_name: 'v1', size_bytes: 2n ** 61n });
  assert.equal(volume.num_of_blocks, 2n ** 61n / 512n);
  const listed = await client.volumes({ search_key: 'id', search_value: volume.id });
  assert.deepEqual(listed, [volume]);
  await client.volumeDelete({ volume });
  assert.deepEqual(await client.volumes(), []);
  await assert.rejects(client.volumeDelete({ volume }), isLsmError(ErrorNumber.NOT_FOUND_VOLUME));
  await client.close();
});

test('a plugin with no executable is PLUGIN_NOT_EXIST; so is a dangling one', async () => {
  await assert.rejects(Client.connect('nosuchplugin://', { env: echo.env }), isLsmError(ErrorNumber.PLUGIN_NOT_EXIST, /Plug-in "nosuchplugin" not found/));
  symlinkSync(path.join(echo.dir, 'missing-target.js'), path.join(echo.dir, 'dangling_lsmplugin'));
  await assert.rejects(Client.connect('dangling://', { env: echo.env }), isLsmError(ErrorNumber.PLUGIN_NOT_EXIST));
  await assert.rejects(Client.connect('echo://', { env: echo.env, mode: 'daemon' }), isLsmError(ErrorNumber.PLUGIN_NOT_EXIST));
});

test('a malformed URI is INVALID_ARGUMENT', async () => {
  for (const uri of ['', 'no-scheme', 'echo://host:99999', 'echo://a b\n', 'echo://[::1']) {
    await assert.rejects(Client.connect(uri, { env: echo.env }), isLsmError(ErrorNumber.INVALID_ARGUMENT), uri);
  }
  await assert.rejects(Client.connect('echo://', { env: echo.env, timeoutMs: -1 }), isLsmError(ErrorNumber.INVALID_ARGUMENT));
});

test("a registration the plugin refuses fails with the plugin's error, and the process is reaped", async () => {
  await assert.rejects(Client.connect('echo://refuse@host', { env: echo.env, password: 'pw' }), isLsmError(ErrorNumber.PLUGIN_AUTH_FAILED, /Authentication refused/));
});

test('listPlugins finds the echo plugin through plugin_info', async () => {
  const plugins = await listPlugins({ env: echo.env });
  const found = plugins.find((p) => p.name === 'echo');
  assert.deepEqual(found, { name: 'echo', description: 'openlsm test plugin', version: '0.0.1', source: 'embedded' });
});
