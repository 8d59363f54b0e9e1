/**
 * Plugins that declare they serve many sessions in one process (sim does): sessions become channels of a few
 * host processes, each session still with its own registration; `sessions_per_process: 1` keeps lsm's
 * isolation; a host that dies fails its own sessions and a new one takes the next clients.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { Client } from '@openlsm/client';
import { daemonEnv, type DaemonEnv, type DaemonProcess, simPluginPath } from './daemon-env.js';

const isCode = (code: number, re?: RegExp) => (err: unknown) => err instanceof LsmError && err.code === code && (!re || re.test(err.message));

function sessionPids(daemon: DaemonProcess, plugin: string): number[] {
  return daemon.logs.filter((l) => l.message === 'session started' && l.plugin === plugin).map((l) => Number(l.pluginPid));
}

async function withDaemon(config: string, run: (env: DaemonEnv, daemon: DaemonProcess) => Promise<void>): Promise<void> {
  const env = daemonEnv({ plugins: ['sim'], config: `exit_grace_ms: 500\nshutdown_timeout_ms: 2000\n${config}` });
  env.addPlugin('simiso', simPluginPath);
  try {
    const daemon = await env.start();
    await daemon.waitForLog((l) => l.message === 'plug-in ready' && l.plugin === 'sim');
    await run(env, daemon);
  } finally {
    await env.cleanup();
  }
}

describe('many sessions in one plugin process', () => {
  test('sim sessions share a host process, each with its own state file; sessions_per_process: 1 isolates', async () => {
    await withDaemon('plugins:\n  simiso: { sessions_per_process: 1 }\n', async (env, daemon) => {
      const ready = await daemon.waitForLog((l) => l.message === 'plug-in ready' && l.plugin === 'sim');
      assert.equal(ready.sessionsPerProcess, 64);
      const uri = (name: string, scheme = 'sim') => `${scheme}://?statefile=${encodeURIComponent(path.join(env.dir, `${name}.sqlite3`))}`;
      const a = await env.connect(uri('a'));
      const b = await env.connect(uri('b'));
      const [pool] = await a.pools({ search_key: 'id', search_value: 'POOL_ID_00004' });
      assert.ok(pool);
      await a.volumeCreate({ pool, volume_name: 'only-in-a', size_bytes: 1n << 30n });
      assert.deepEqual((await a.volumes()).map((v) => v.name), ['only-in-a']);
      assert.deepEqual(await b.volumes(), []);
      const [pa, pb] = sessionPids(daemon, 'sim');
      assert.ok(pa && pa === pb, `sessions in processes ${pa} and ${pb}`);

      const c = await env.connect(uri('c', 'simiso'));
      const d = await env.connect(uri('d', 'simiso'));
      assert.equal((await c.systems()).length, 1);
      assert.equal((await d.systems()).length, 1);
      const [pc, pd] = sessionPids(daemon, 'simiso');
      assert.ok(pc && pd && pc !== pd && pc !== pa);
      // One session ending leaves the others of its host alone.
      await a.close();
      assert.deepEqual(await b.volumes(), []);
    });
  });

  test('a host that dies fails only its own sessions; the next client gets a new host', async () => {
    await withDaemon('plugins:\n  simiso: { sessions_per_process: 1 }\n', async (env, daemon) => {
      const uri = `sim://?statefile=${encodeURIComponent(path.join(env.dir, 'kill.sqlite3'))}`;
      const a = await env.connect(uri);
      const b = await env.connect(uri);
      const isolated = await env.connect(`simiso://?statefile=${encodeURIComponent(path.join(env.dir, 'iso.sqlite3'))}`);
      const [host] = sessionPids(daemon, 'sim');
      assert.ok(host);
      process.kill(host, 'SIGKILL');
      await assert.rejects(a.systems(), isCode(ErrorNumber.TRANSPORT_COMMUNICATION));
      await assert.rejects(b.systems(), isCode(ErrorNumber.TRANSPORT_COMMUNICATION));
      assert.equal((await isolated.systems()).length, 1);
      await daemon.waitForLog((l) => l.message === 'shared plug-in process was killed by SIGKILL' && l.pluginPid === host);
      const fresh = await env.connect(uri);
      assert.equal((await fresh.systems()).length, 1);
      assert.notEqual(sessionPids(daemon, 'sim').at(-1), host);
    });
  });

  test('max_sessions counts sessions, not processes, and a refused client is told why', async () => {
    await withDaemon('plugins:\n  sim: { max_sessions: 2 }\n', async (env) => {
      const uri = `sim://?statefile=${encodeURIComponent(path.join(env.dir, 'max.sqlite3'))}`;
      const a = await env.connect(uri);
      await env.connect(uri);
      await assert.rejects(Client.connect(uri, { env: env.env, mode: 'daemon' }), isCode(ErrorNumber.PLUGIN_IPC_FAIL, /Too many sessions.*max_sessions 2/));
      await a.close();
      // The slot is freed when openlsmd sees the connection close, which is a moment after close() resolves on
      // this side: a client that connects at once may still be told to try again, and is served when it does.
      let third: Client | undefined;
      for (let attempt = 0; !third; attempt++) {
        try {
          third = await env.connect(uri);
        } catch (err) {
          if (attempt >= 100 || !(err instanceof LsmError && /Too many sessions/.test(err.message))) throw err;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      assert.equal((await third.systems()).length, 1);
    });
  });

  test('a plugin a client starts itself serves one plain session, even if the client\'s environment offers more', async () => {
    const env = daemonEnv({ plugins: [] });
    try {
      const client = await Client.connect(`sim://?statefile=${encodeURIComponent(path.join(env.dir, 'embedded.sqlite3'))}`, {
        mode: 'embedded', env: { ...env.env, OPENLSM_SESSION_HOST: '8' },
      });
      assert.equal((await client.systems()).length, 1);
      await client.close();
    } finally {
      await env.cleanup();
    }
  });
});
