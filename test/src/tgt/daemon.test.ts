// tgt served through openlsmd: tgtd's management socket admits only tgtd's own uid and gid (root, as Debian starts
// it), so the tgt plugin's package declares that it needs root ("openlsm": { "requireRoot": true }), as does
// openlsm's for its tgt_lsmplugin (["lio_lsmplugin", "tgt_lsmplugin"]). A root daemon with allow_plugin_root then
// runs it as root behind a socket closed to other users (0600), and it reaches a real tgtd; without
// allow_plugin_root the declaration is not honoured.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Pool } from '@openlsm/core';
import { lsmcli } from '../cli/harness.js';
import { daemonEnv, repoRoot } from '../daemon/daemon-env.js';
import { tgtEnv } from './tgt-env.js';

const TGT_BIN = path.join(repoRoot, 'plugins/tgt/bin/tgt_lsmplugin.js');
const OPENLSM_TGT_BIN = path.join(repoRoot, 'packages/openlsm/bin/tgt_lsmplugin.js');

function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'running plugins as root needs a root daemon';
  return existsSync('/usr/sbin/tgtd') ? undefined : '/usr/sbin/tgtd is missing (apt-get install tgt)';
}

describe('tgt:// through openlsmd', { skip: unavailable() }, () => {
  for (const [pkg, bin] of [['@openlsm/plugin-tgt', TGT_BIN], ['openlsm', OPENLSM_TGT_BIN]] as const) {
    test(`declared root (${pkg}): a root-only socket with allow_plugin_root, and the plugin reaches tgtd through it`, async (t) => {
      const tgt = await tgtEnv();
      t.after(() => tgt.cleanup());
      const env = daemonEnv({ config: 'allow_plugin_root: true\nexit_grace_ms: 500\n', plugins: [] });
      t.after(() => env.cleanup());
      env.addPlugin('tgt', bin);
      const daemon = await env.start();
      assert.equal(statSync(path.join(env.socketDir, 'tgt')).mode & 0o777, 0o600);
      const served = await daemon.waitForLog((l) => l.message === 'serving plug-in' && l.plugin === 'tgt');
      assert.equal(served.mode, '0600');
      assert.equal(served.uid, 0);
      const r = await lsmcli(['-u', tgt.uri, '-o', 'json', 'list', '--type', 'pools'], { env: env.env });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((JSON.parse(r.stdout) as Pool[]).map((p) => p.id), ['images']);
      await daemon.waitForLog((l) => l.message === 'session started' && l.plugin === 'tgt');
    });
  }

  test('without allow_plugin_root the declaration is not honoured', async (t) => {
    const env = daemonEnv({ config: 'exit_grace_ms: 500\n', plugins: [] });
    t.after(() => env.cleanup());
    env.addPlugin('tgt', TGT_BIN);
    const daemon = await env.start();
    const served = await daemon.waitForLog((l) => l.message === 'serving plug-in' && l.plugin === 'tgt');
    assert.notEqual(served.mode, '0600');
  });
});
