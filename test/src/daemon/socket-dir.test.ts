/**
 * The socket directory belongs to openlsmd alone (issue 9, item 3): checked at start, sockets recreated when
 * removed or replaced, the sim plugin kept out of it, and the packaged tmpfiles.d entry to match.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ErrorNumber } from '@openlsm/core';
import { daemonEnv, repoRoot, sleep } from './daemon-env.js';
import { lsmcli, openlsmMessages, rawConnect } from './wire.js';
import { encodeBody, encodeFrame } from '@openlsm/ipc';

const isRoot = process.getuid?.() === 0;

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** What answers `plugin_info` on a socket: the plugin's description, or what a fake listener says. */
async function whoAnswers(socketPath: string): Promise<string> {
  const c = await rawConnect(socketPath);
  c.socket.write(encodeFrame(encodeBody({ id: 1, method: 'plugin_info', params: { flags: 0 } })));
  await waitFor(() => openlsmMessages(c.received()).length > 0 || c.socket.destroyed, 'an answer');
  c.socket.destroy();
  const [answer] = openlsmMessages(c.received()) as [{ result?: [string, string] } | undefined];
  return answer?.result?.[0] ?? '(nothing)';
}

describe('the socket directory', () => {
  test('a directory writable by others is tightened, with a warning; one owned by another user is refused', async () => {
    const env = daemonEnv();
    try {
      mkdirSync(env.socketDir, { mode: 0o777 });
      chmodSync(env.socketDir, 0o777);
      const daemon = await env.start();
      const warning = await daemon.waitForLog((l) => l.level === 'warn' && /writable by its group or by others \(mode 0777\)/.test(l.message));
      assert.match(warning.message, /changed it to 0755/);
      assert.equal(statSync(env.socketDir).mode & 0o777, 0o755);
      assert.equal((await (await env.connect()).systems()).length, 1);
    } finally {
      await env.cleanup();
    }
  });

  test('a socket directory owned by another user, or inside a world-writable parent, stops the start', { skip: !isRoot && 'needs root to chown' }, async () => {
    const env = daemonEnv();
    try {
      mkdirSync(env.socketDir, { mode: 0o755 });
      chownSync(env.socketDir, 4242, 4242);
      const refused = env.spawnDaemon();
      assert.equal((await refused.exited).code, 1);
      assert.match(refused.stderr(), /The socket directory .*ipc belongs to uid 4242, not to openlsmd's user \(root\)/);
      chownSync(env.socketDir, 0, 0);
      chmodSync(env.dir, 0o777);
      const open = env.spawnDaemon();
      assert.equal((await open.exited).code, 1);
      assert.match(open.stderr(), /which others may write to \(mode 0777, not sticky\)/);
      assert.equal(existsSync(path.join(env.socketDir, 'echo')), false);
    } finally {
      chmodSync(env.dir, 0o700);
      await env.cleanup();
    }
  });

  test('a socket that is removed, or replaced by another listener, is recreated', async () => {
    const env = daemonEnv();
    try {
      const daemon = await env.start();
      const socketPath = path.join(env.socketDir, 'echo');
      assert.equal(await whoAnswers(socketPath), 'openlsm test plugin');
      unlinkSync(socketPath);
      await daemon.waitForLog((l) => l.message === 'plug-in socket was removed; recreating it');
      await waitFor(() => existsSync(socketPath), 'the socket back');
      assert.equal(await whoAnswers(socketPath), 'openlsm test plugin');

      // An impostor puts its own socket in its place (what a plug-in could do when the directory was writable
      // to it): bound elsewhere, then renamed over the daemon's, so the path is never free.
      const impostorPath = path.join(env.dir, 'impostor');
      const impostor = net.createServer((s) => { s.end(encodeFrame(encodeBody({ id: 1, result: ['impostor', '6.6.6'] }))); });
      await new Promise<void>((resolve) => impostor.listen(impostorPath, resolve));
      try {
        renameSync(impostorPath, socketPath);
        await daemon.waitForLog((l) => l.message === 'plug-in socket was replaced by another file; recreating it');
        // Between the daemon's unlink and bind the path is briefly free: ask until the daemon answers.
        let answer = '';
        for (let i = 0; i < 100 && answer !== 'openlsm test plugin'; i++) {
          answer = existsSync(socketPath) ? await whoAnswers(socketPath).catch(() => '') : '';
          if (answer !== 'openlsm test plugin') await sleep(50);
        }
        assert.equal(answer, 'openlsm test plugin');
      } finally {
        impostor.close();
      }
    } finally {
      await env.cleanup();
    }
  });

  test('the sim plugin refuses a state file inside the socket directory', async () => {
    const env = daemonEnv({ plugins: ['echo', 'sim'] });
    try {
      await env.start();
      const target = path.join(env.socketDir, 'targetd');
      const r = await lsmcli(['-u', `sim://?statefile=${target}`, 'ls'], env.env);
      assert.equal(r.status, 4, r.stderr);
      assert.match(r.stderr, new RegExp(`INVALID_ARGUMENT\\(${ErrorNumber.INVALID_ARGUMENT}\\): The simulator state file .*targetd.* is inside the plug-in socket directory`));
      assert.equal(existsSync(target), false);
      // Through a symbolic link too, and embedded (the client starts the plugin itself).
      const embedded = await lsmcli(['-u', `sim://?statefile=${env.socketDir}/../ipc/x`, 'ls'], { ...env.env, LSM_UDS_PATH: path.join(env.dir, 'none') });
      assert.equal(embedded.status, 4, embedded.stderr);
      assert.match(embedded.stderr, /inside the plug-in socket directory/);
    } finally {
      await env.cleanup();
    }
  });

  test('packaging creates the socket directory 0755 root:root', () => {
    const lines = readFileSync(path.join(repoRoot, 'packaging/tmpfiles.d/openlsmd.conf'), 'utf8').split('\n').filter((l) => l.startsWith('d '));
    const ipc = lines.find((l) => l.split(/\s+/)[1] === '/run/openlsm/ipc');
    assert.deepEqual(ipc?.split(/\s+/).slice(2, 5), ['0755', 'root', 'root']);
  });
});
