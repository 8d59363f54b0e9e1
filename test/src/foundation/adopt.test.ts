/**
 * `Client.connect` with `embedded`: a plugin process the caller started early (lsmcli does, to overlap the two
 * start-ups) must be the one the session uses, and no second process may be spawned; one that died before the
 * client attached is reported at once.
 */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { spawnPlugin } from '@openlsm/client';
import { LsmError } from '@openlsm/core';
import { echoEnv, echoPluginPath, ErrorNumber, pluginPid, processExists } from './echo-env.js';

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

test('adopting a plugin that already exited settles at once with its exit code and last stderr line', { timeout: 20_000 }, async () => {
  const env = echoEnv();
  try {
    const exe = path.join(env.dir, 'gone_lsmplugin');
    writeFileSync(exe, '#!/bin/sh\necho "no array configured" >&2\nexit 2\n');
    chmodSync(exe, 0o755);
    const started = await spawnPlugin(exe, env.env);
    await new Promise((r) => started.child.once('exit', r));
    // Its socket was closed before anyone listened: the connection must see that, not wait for the deadline.
    await assert.rejects(env.connect('gone://', { embedded: Promise.resolve(started), timeoutMs: 60_000 }), (err: unknown) =>
      err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_COMMUNICATION
      && /gone_lsmplugin exited with code 2; its last stderr output: no array configured/.test(err.message));
  } finally {
    await env.cleanup();
  }
});
