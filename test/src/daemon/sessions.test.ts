/**
 * openlsmd end to end: one plugin process per connection, isolation between clients, logs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorNumber, LsmError, VolumeCreate } from '@openlsm/core';
import { Client, listPlugins } from '@openlsm/client';
import { decodeBody } from '@openlsm/ipc';
import { daemonEnv, type DaemonEnv, type DaemonProcess, repoRoot } from './daemon-env.js';

async function pluginPid(client: Client): Promise<number> {
  const [system] = await client.systems();
  return Number(/^pid=(\d+)$/.exec(system?.plugin_data ?? '')?.[1]);
}

function isCode(code: number) {
  return (err: unknown) => err instanceof LsmError && err.code === code;
}

describe('openlsmd sessions', () => {
  let env: DaemonEnv;
  let daemon: DaemonProcess;

  before(async () => {
    env = daemonEnv();
    // "stubborn" answers plugin_info, never answers anything else, and never exits by itself.
    const stubborn = path.join(env.dir, 'stubborn.mjs');
    const ipc = pathToFileURL(path.join(repoRoot, 'packages/ipc/dist/index.js')).href;
    writeFileSync(stubborn, [
      `#!${process.execPath}`,
      `import { Connection, socketFromFd } from ${JSON.stringify(ipc)};`,
      "new Connection(socketFromFd(3), { onRequest: (m) => (m === 'plugin_info' ? ['stubborn', '1'] : new Promise(() => {})) });",
      'setInterval(() => {}, 1000);',
    ].join('\n'), { mode: 0o755 });
    env.addPlugin('stubborn', stubborn);
    daemon = await env.start();
  });
  after(async () => {
    await env.cleanup();
  });

  test('each connection gets its own plugin process; the client reports daemon transport', async () => {
    const a = await env.connect();
    const b = await env.connect();
    assert.equal(a.transport, 'daemon');
    const [pa, pb] = await Promise.all([pluginPid(a), pluginPid(b)]);
    assert.ok(pa > 0 && pb > 0);
    assert.notEqual(pa, pb);
    assert.notEqual(pa, daemon.child.pid);
  });

  test('50 concurrent clients each list and create volumes', async () => {
    const [pool] = await (await env.connect()).pools();
    assert.ok(pool);
    const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      // A process each, started a few at a time: on a loaded machine the last one can take a while.
      const client = await Client.connect('echo://', { env: env.env, mode: 'daemon', timeoutMs: 120_000 });
      try {
        const before = await client.volumes();
        const volume = await client.volumeCreate({ pool, volume_name: `vol-${i}`, size_bytes: 1n << 30n });
        const afterList = await client.volumes();
        return { before: before.length, after: afterList.length, name: volume.name };
      } finally {
        await client.close();
      }
    }));
    for (const [i, r] of results.entries()) {
      assert.deepEqual(r, { before: 0, after: 1, name: `vol-${i}` });
    }
  });

  test('a plugin killed with SIGKILL mid-call fails only its own client, with TRANSPORT_COMMUNICATION', async () => {
    const victim = await env.connect();
    const bystander = await env.connect();
    const [pool] = await victim.pools();
    assert.ok(pool);
    const pid = await pluginPid(victim);
    const call = victim.call(VolumeCreate, { pool, volume_name: 'hang', size_bytes: 1024n });
    // The request has reached the plugin once it is being served; a round trip on the same connection after it proves that.
    await victim.systems();
    process.kill(pid, 'SIGKILL');
    await assert.rejects(call, isCode(ErrorNumber.TRANSPORT_COMMUNICATION));
    await assert.rejects(victim.systems(), isCode(ErrorNumber.TRANSPORT_COMMUNICATION));
    assert.equal((await bystander.systems()).length, 1);
    const fresh = await env.connect();
    assert.equal((await fresh.pools()).length, 1);
    const exit = await daemon.waitForLog((l) => l.pluginPid === pid && typeof l.message === 'string' && l.message.includes('SIGKILL'));
    assert.equal(exit.level, 'warn');
    assert.equal(exit.signal, 'SIGKILL');
  });

  test('a plugin that exits mid-call is logged with its exit code', async () => {
    const client = await env.connect();
    const [pool] = await client.pools();
    assert.ok(pool);
    const pid = await pluginPid(client);
    await assert.rejects(client.volumeCreate({ pool, volume_name: 'crash', size_bytes: 1024n }), isCode(ErrorNumber.TRANSPORT_COMMUNICATION));
    const exit = await daemon.waitForLog((l) => l.pluginPid === pid && l.code === 3);
    assert.match(exit.message, /exited with code 3/);
  });

  test('a hanging plugin blocks nobody else, and ends when its client leaves', async () => {
    const stuck = await Client.connect('echo://', { env: env.env, mode: 'daemon' });
    const [pool] = await stuck.pools();
    assert.ok(pool);
    const pid = await pluginPid(stuck);
    const hanging = stuck.call(VolumeCreate, { pool, volume_name: 'hang', size_bytes: 1024n }).catch((err: unknown) => err);
    const others = await Promise.all(Array.from({ length: 5 }, async () => {
      const c = await Client.connect('echo://', { env: env.env, mode: 'daemon' });
      try {
        return (await c.systems()).length;
      } finally {
        await c.close();
      }
    }));
    assert.deepEqual(others, [1, 1, 1, 1, 1]);
    await stuck.close();
    assert.ok((await hanging) instanceof LsmError);
    await daemon.waitForLog((l) => l.pluginPid === pid && l.message.startsWith('plug-in process'));
  });

  test('a plugin that ignores its client leaving is killed after exit_grace_ms', async () => {
    await assert.rejects(Client.connect('stubborn://', { env: env.env, mode: 'daemon', signal: AbortSignal.timeout(300) }), isCode(ErrorNumber.TIMEOUT));
    const killed = await daemon.waitForLog((l) => l.plugin === 'stubborn' && l.signal === 'SIGKILL');
    assert.equal(killed.level, 'warn');
  });

  test('listPlugins reports what the daemon serves, with description and version', async () => {
    const plugins = await listPlugins({ env: { ...env.env, OPENLSM_PLUGIN_DIR: path.join(env.dir, 'none') } });
    const echo = plugins.find((p) => p.name === 'echo');
    assert.deepEqual(echo, { name: 'echo', description: 'openlsm test plugin', version: '0.0.1', source: 'daemon' });
  });

  test('lsmcli list --type plugins shows what the daemon serves', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'cli/bin/lsmcli.js'), 'list', '--type', 'plugins'], { env: env.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /openlsm test plugin\s*\|\s*0\.0\.1/);
  });

  test('passwords never reach the daemon\'s logs', async () => {
    const secret = 'hunter2-very-secret';
    const client = await env.connect('echo://', { password: secret });
    await client.systems();
    await client.close();
    await assert.rejects(env.connect('echo://refuse', { password: secret }), isCode(ErrorNumber.PLUGIN_AUTH_FAILED));
    assert.ok(!daemon.stderr().includes(secret));
  });

  test('a connection speaking neither framing is told why in an openlsm error frame, refused and logged', async () => {
    const socket = net.connect({ path: path.join(env.socketDir, 'echo') });
    socket.on('error', () => {});
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    socket.write('GET / HTTP/1.1\r\n\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    const reply = Buffer.concat(received);
    const answer = decodeBody(reply.subarray(4, 4 + reply.readUInt32BE(0))) as { id: unknown; error: { code: number; message: string } };
    assert.equal(answer.id, null);
    assert.equal(answer.error.code, ErrorNumber.TRANSPORT_SERIALIZATION);
    assert.match(answer.error.message, /Frame of 1195725856 bytes .* exceeds the limit of 67108864 bytes/);
    await daemon.waitForLog((l) => l.message === 'refused connection' && /exceeds the limit/.test(String(l.reason)));
    assert.equal((await (await env.connect()).systems()).length, 1);
  });
});
