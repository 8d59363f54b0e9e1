// lio served through openlsmd: its package declares that it needs root ("openlsm": { "requireRoot": true }), as
// does openlsm's for its lio_lsmplugin (["lio_lsmplugin"]), so a root daemon with allow_plugin_root runs it as root with a socket closed to other users (0600), and without
// allow_plugin_root does not (the plugin then says it needs root). On the emulated configfs.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Pool } from '@openlsm/core';
import { lsmcli } from '../cli/harness.js';
import { daemonEnv, repoRoot } from '../daemon/daemon-env.js';
import { emulationUnavailable } from '../fixtures/configfs/index.js';
import { newLio } from './harness.js';

const LIO_BIN = path.join(repoRoot, 'plugins/lio/bin/lio_lsmplugin.js');
const OPENLSM_LIO_BIN = path.join(repoRoot, 'packages/openlsm/bin/lio_lsmplugin.js');

describe('lio:// through openlsmd', { skip: emulationUnavailable() }, () => {
  for (const [pkg, bin] of [['@openlsm/plugin-lio', LIO_BIN], ['openlsm', OPENLSM_LIO_BIN]] as const) {
    test(`declared root (${pkg}): a root-only socket with allow_plugin_root, and the plugin works through it`, async (t) => {
      const lio = await newLio(t);
      const env = daemonEnv({ config: 'allow_plugin_root: true\nexit_grace_ms: 500\n', plugins: [] });
      t.after(() => env.cleanup());
      env.addPlugin('lio', bin);
      const daemon = await env.start();
      assert.equal(statSync(path.join(env.socketDir, 'lio')).mode & 0o777, 0o600);
      const served = await daemon.waitForLog((l) => l.message === 'serving plug-in' && l.plugin === 'lio');
      assert.equal(served.mode, '0600');
      assert.equal(served.uid, 0);
      const r = await lsmcli(['-u', lio.uri, '-o', 'json', 'list', '--type', 'pools'], { env: env.env });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((JSON.parse(r.stdout) as Pool[]).map((p) => p.id), ['images', 'external']);
      await daemon.waitForLog((l) => l.message === 'session started' && l.plugin === 'lio');
    });
  }

  test('without allow_plugin_root the declaration is not honoured', async (t) => {
    const env = daemonEnv({ config: 'exit_grace_ms: 500\n', plugins: [] });
    t.after(() => env.cleanup());
    env.addPlugin('lio', LIO_BIN);
    const daemon = await env.start();
    const served = await daemon.waitForLog((l) => l.message === 'serving plug-in' && l.plugin === 'lio');
    assert.notEqual(served.mode, '0600');
  });
});
