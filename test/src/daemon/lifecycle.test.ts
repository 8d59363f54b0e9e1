/**
 * openlsmd's life: reload on SIGHUP, one instance per socket directory, socket modes and group, stale
 * sockets, graceful SIGTERM, configuration errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorNumber, LsmError, VolumeCreate } from '@openlsm/core';
import { Client } from '@openlsm/client';
import { daemonEnv, echoPluginPath, sleep } from './daemon-env.js';

const isRoot = process.getuid?.() === 0;

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

describe('openlsmd lifecycle', () => {
  test('SIGHUP picks up a newly added plugin', async () => {
    const env = daemonEnv();
    try {
      const daemon = await env.start();
      await assert.rejects(env.connect('echo2://'), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.PLUGIN_NOT_EXIST);
      env.addPlugin('echo2', echoPluginPath);
      daemon.child.kill('SIGHUP');
      await daemon.waitForLog((l) => l.message === 'plug-ins reloaded');
      const client = await env.connect('echo2://');
      assert.equal((await client.systems()).length, 1);
      // The plugin that was already served kept its socket.
      assert.equal((await (await env.connect('echo://')).pools()).length, 1);
    } finally {
      await env.cleanup();
    }
  });

  test('with no plugin installed it keeps running (a warning), and SIGHUP then serves the first one', async () => {
    const env = daemonEnv({ plugins: [] });
    try {
      const daemon = await env.start();
      assert.ok(daemon.logs.some((l) => l.level === 'warn' && l.message === 'no plug-ins found'));
      await sleep(500);
      assert.equal(daemon.child.exitCode, null, `openlsmd exited: ${daemon.stderr()}`);
      env.addPlugin('echo', echoPluginPath);
      daemon.child.kill('SIGHUP');
      await daemon.waitForLog((l) => l.message === 'plug-ins reloaded');
      assert.equal((await (await env.connect('echo://')).systems()).length, 1);
    } finally {
      await env.cleanup();
    }
  });

  test('max_sessions refuses extra clients; SIGHUP applies changed settings without cutting sessions', async () => {
    const env = daemonEnv({ config: 'exit_grace_ms: 500\nplugins:\n  echo: { max_sessions: 1 }\n' });
    try {
      const daemon = await env.start();
      const first = await env.connect();
      await assert.rejects(Client.connect('echo://', { env: env.env, mode: 'daemon' }), LsmError);
      const refused = await daemon.waitForLog((l) => l.message === 'refused connection');
      assert.match(String(refused.reason), /max_sessions/);

      writeFileSync(env.configFile, 'exit_grace_ms: 500\nsocket_mode: "0600"\n');
      daemon.child.kill('SIGHUP');
      await daemon.waitForLog((l) => l.message === 'plug-ins reloaded');
      assert.equal(statSync(path.join(env.socketDir, 'echo')).mode & 0o777, 0o600);
      // The session opened before the reload goes on; the new limit lets a second client in.
      assert.equal((await first.systems()).length, 1);
      assert.equal((await (await env.connect()).systems()).length, 1);
    } finally {
      await env.cleanup();
    }
  });

  test('a second daemon on the same socket directory refuses to start', async () => {
    const env = daemonEnv();
    try {
      const first = await env.start();
      const second = env.spawnDaemon();
      const { code } = await second.exited;
      assert.equal(code, 1);
      assert.match(second.stderr(), new RegExp(`An instance of openlsmd is already using ${env.socketDir} \\(pid ${first.child.pid}\\)`));
      // The first one is unharmed.
      assert.equal((await (await env.connect()).systems()).length, 1);
    } finally {
      await env.cleanup();
    }
  });

  test('sockets get the configured mode and group; a root plugin\'s socket is root-only', async () => {
    const group = isRoot ? 4242 : process.getgid?.();
    const env = daemonEnv({
      config: [
        'socket_mode: 0660',
        `socket_group: "${group}"`,
        'allow_plugin_root: true',
        'plugins:',
        '  rooty: { require_root: true }',
        '  echo3: { socket_mode: "0640" }',
        'exit_grace_ms: 500',
      ].join('\n'),
    });
    try {
      env.addPlugin('rooty', echoPluginPath);
      env.addPlugin('echo3', echoPluginPath);
      await env.start();
      const mode = (name: string) => statSync(path.join(env.socketDir, name)).mode & 0o777;
      assert.equal(mode('echo'), 0o660);
      assert.equal(mode('echo3'), 0o640);
      assert.equal(mode('rooty'), 0o600);
      assert.equal(statSync(path.join(env.socketDir, 'echo')).gid, group);
      assert.ok(statSync(path.join(env.socketDir, 'echo')).isSocket());
    } finally {
      await env.cleanup();
    }
  });

  test('a plugin that runs as root only because the plugin user is missing is not offered to other users', async () => {
    const env = daemonEnv({ config: 'user: openlsm-no-such-user\nexit_grace_ms: 500\n' });
    try {
      await env.start();
      const mode = statSync(path.join(env.socketDir, 'echo')).mode & 0o777;
      // As root the echo plugin falls back to running as root, so its socket drops the bits for others; a daemon
      // started by an ordinary user runs plugins as that user and keeps the configured 0666.
      assert.equal(mode, isRoot ? 0o660 : 0o666);
      assert.equal((await (await env.connect('echo://')).systems()).length, 1);
    } finally {
      await env.cleanup();
    }
  });

  test('stale sockets and a dead daemon\'s lock are cleaned up at start', async () => {
    const env = daemonEnv();
    try {
      // A daemon killed with SIGKILL leaves its sockets and lock behind.
      const first = await env.start();
      first.child.kill('SIGKILL');
      await first.exited;
      writeFileSync(path.join(env.socketDir, 'notasocket'), 'keep me');
      const leftover = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path.join(env.socketDir, 'gone'))}, () => process.kill(process.pid, 'SIGKILL'))`]);
      await new Promise((r) => leftover.once('exit', r));
      assert.ok(existsSync(path.join(env.socketDir, 'gone')));
      const second = await env.start();
      await second.waitForLog((l) => l.message === 'removed stale sockets');
      assert.equal(existsSync(path.join(env.socketDir, 'gone')), false);
      assert.equal(readFileSync(path.join(env.socketDir, 'notasocket'), 'utf8'), 'keep me');
      assert.equal(readFileSync(path.join(env.socketDir, '.openlsmd.lock'), 'utf8').trim(), String(second.child.pid));
      assert.equal((await (await env.connect()).systems()).length, 1);
    } finally {
      await env.cleanup();
    }
  });

  test('SIGTERM lets calls in flight finish, then stops and removes sockets and lock', async () => {
    const env = daemonEnv();
    try {
      const daemon = await env.start();
      const client = await Client.connect('echo://', { env: env.env, mode: 'daemon' });
      const [pool] = await client.pools();
      assert.ok(pool);
      // slow-<ms>: the echo plugin completes the volume as a job after that long.
      const creating = client.volumeCreate({ pool, volume_name: 'slow-800', size_bytes: 1n << 20n });
      const direct = client.call(VolumeCreate, { pool, volume_name: 'quick', size_bytes: 1n << 20n });
      await direct;
      daemon.child.kill('SIGTERM');
      await daemon.waitForLog((l) => l.message === 'stopping');
      // No new connections once stopping.
      await assert.rejects(Client.connect('echo://', { env: env.env, mode: 'daemon' }), LsmError);
      const volume = await creating;
      assert.equal(volume.name, 'slow-800');
      await client.close();
      const { code } = await daemon.exited;
      assert.equal(code, 0);
      assert.equal(existsSync(path.join(env.socketDir, 'echo')), false);
      assert.equal(existsSync(path.join(env.socketDir, '.openlsmd.lock')), false);
    } finally {
      await env.cleanup();
    }
  });

  test('a bad configuration file stops the start with its line and column', async () => {
    const env = daemonEnv({ config: 'socket_mode: 0660\nwarm_procceses: 2\n' });
    try {
      const daemon = env.spawnDaemon();
      const { code } = await daemon.exited;
      assert.equal(code, 2);
      assert.match(daemon.stderr(), /openlsmd\.yaml:2:1: warm_procceses is not a setting/);
    } finally {
      await env.cleanup();
    }
  });

  test('an embedded-mode client falls back when the daemon\'s socket is stale', async () => {
    const env = daemonEnv();
    try {
      const daemon = await env.start();
      daemon.child.kill('SIGKILL');
      await daemon.exited;
      await waitFor(() => existsSync(path.join(env.socketDir, 'echo')));
      const client = await Client.connect('echo://', { env: { ...env.env, OPENLSM_PLUGIN_DIR: env.pluginDir }, mode: 'auto' });
      try {
        assert.equal(client.transport, 'embedded');
        assert.equal((await client.systems()).length, 1);
      } finally {
        await client.close();
      }
    } finally {
      await env.cleanup();
    }
  });
});
