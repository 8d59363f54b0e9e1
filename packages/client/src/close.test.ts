/**
 * Client.close(): a healthy plugin is asked to end the session and given time to exit; a plugin that missed a
 * call's deadline (stopped, looping) is not asked and is killed at once, so the caller is not kept waiting.
 * The plugin here is served in-process over a memory pair, standing in for the plugin process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type net from 'node:net';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { Connection, memoryPair } from '@openlsm/ipc';
import { Client } from './client.js';
import type { EmbeddedPlugin } from './embedded.js';

interface FakePlugin {
  plugin: EmbeddedPlugin;
  /** Methods the plugin was asked, in order. */
  seen: string[];
  /** graceMs of every stop() call. */
  stops: number[];
}

/** Answers plugin_register, plugin_unregister and systems; never answers `volumes` (a stuck plugin). */
function fakePlugin(): FakePlugin {
  const [clientEnd, pluginEnd] = memoryPair();
  const seen: string[] = [];
  const stops: number[] = [];
  const server = new Connection(pluginEnd, {
    onRequest: (method) => {
      seen.push(method);
      if (method === 'volumes') return new Promise(() => {});
      if (method === 'systems') return [];
      if (method === 'plugin_unregister') setImmediate(() => { void server.close(); });
      return null;
    },
  });
  const plugin: EmbeddedPlugin = {
    socket: clientEnd as unknown as net.Socket,
    child: {} as ChildProcess,
    exitDescription: async () => undefined,
    async stop(graceMs) {
      stops.push(graceMs);
      server.destroy();
    },
  };
  return { plugin, seen, stops };
}

test('a healthy plugin is asked plugin_unregister and given time to exit', async () => {
  const fake = fakePlugin();
  const client = await Client.connect('sim://', { embedded: Promise.resolve(fake.plugin), timeoutMs: 5_000 });
  await client.systems();
  await client.close();
  assert.deepEqual(fake.seen, ['plugin_register', 'systems', 'plugin_unregister']);
  assert.deepEqual(fake.stops, [1_000]);
});

test('after a missed deadline close() does not ask the plugin anything and kills it at once', async () => {
  const fake = fakePlugin();
  const client = await Client.connect('sim://', { embedded: Promise.resolve(fake.plugin), timeoutMs: 100 });
  await assert.rejects(client.volumes(), (err) => err instanceof LsmError && err.code === ErrorNumber.TIMEOUT);
  await client.close();
  assert.deepEqual(fake.seen, ['plugin_register', 'volumes'], 'no plugin_unregister to a plugin that may be stuck');
  assert.deepEqual(fake.stops, [0]);
});
