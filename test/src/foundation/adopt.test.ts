/**
 * `Client.connect` with `embedded`: a plugin process the caller started early (lsmcli does, to overlap the two
 * start-ups) must be the one the session uses, and no second process may be spawned.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnPlugin } from '@openlsm/client';
import { echoEnv, echoPluginPath, pluginPid, processExists } from './echo-env.js';

test('an adopted plugin process serves the session and no other is started', { timeout: 20_000 }, async () => {
  const env = echoEnv();
  try {
    const started = await spawnPlugin(echoPluginPath, env.env);
    const client = await env.connect('echo://', { embedded: Promise.resolve(started) });
    assert.equal(client.transport, 'embedded');
    assert.equal(await pluginPid(client), started.child.pid);
    await client.close();
    assert.equal(processExists(started.child.pid as number), false, 'closing the client reaps the adopted process');
  } finally {
    await env.cleanup();
  }
});
