// The same calls against the kernel's own configfs, on a machine that has LIO (target_core_mod loaded, configfs
// on /sys/kernel/config, run as root). Everything the test makes is its own (a target with a unique IQN, a
// loopback portal on a spare port, a volume in a temporary pool, its own saveconfig.json) and is removed again.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import type { Volume } from '@openlsm/core';
import { lsmcli } from '../cli/harness.js';

function skipReason(): string | false {
  if (!fs.existsSync('/sys/kernel/config/target/version')) return 'no /sys/kernel/config/target here (configfs or target_core_mod missing): the emulated tests cover this';
  if (process.getuid?.() !== 0) return 'the kernel\'s configfs needs root';
  return false;
}

describe('lio:// on the real /sys/kernel/config/target', { skip: skipReason() }, () => {
  test('create, group, mask, query, unmask, delete on the kernel, then leave it as it was', async (t) => {
    const id = randomBytes(4).toString('hex');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-lio-real-'));
    const iqn = `iqn.2003-01.org.openlsm.test:${id}`;
    const port = 32000 + (parseInt(id.slice(0, 4), 16) % 20000);
    fs.mkdirSync(path.join(dir, 'images'));
    fs.writeFileSync(path.join(dir, 'lio.yaml'), `target_iqn: ${iqn}\nportals: ["127.0.0.1:${port}"]\npools:\n  images: { directory: ${dir}/images }\n`);
    const uri = `lio://?config=${dir}/lio.yaml&saveconfig=${dir}/saveconfig.json`;
    const T = `/sys/kernel/config/target/iscsi/${iqn}`;
    t.after(() => {
      // The plugin leaves the target and its portal in place (as targetd does): remove them.
      if (fs.existsSync(`${T}/tpgt_1`)) {
        fs.writeFileSync(`${T}/tpgt_1/enable`, '0');
        for (const np of fs.readdirSync(`${T}/tpgt_1/np`)) fs.rmdirSync(`${T}/tpgt_1/np/${np}`);
        fs.rmdirSync(`${T}/tpgt_1`);
      }
      if (fs.existsSync(T)) fs.rmdirSync(T);
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const ok = async (...argv: string[]) => {
      const r = await lsmcli(['-u', uri, '-o', 'json', ...argv]);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout ? JSON.parse(r.stdout) as unknown : undefined;
    };
    const [vol] = await ok('volume-create', '--name', `openlsm-test-${id}`, '--size', '8MiB', '--pool', 'images') as Volume[];
    assert.ok(vol);
    await ok('access-group-create', '--name', `g${id}`, '--init', `iqn.1994-05.org.openlsm.test:${id}`, '--sys', 'lio');
    await ok('volume-mask', '--vol', vol.id, '--ag', `g${id}`);
    assert.deepEqual((await ok('access-group-volumes', '--ag', `g${id}`) as Volume[]).map((v) => v.id), [vol.id]);
    await ok('-f', 'volume-unmask', '--vol', vol.id, '--ag', `g${id}`);
    await ok('-f', 'access-group-delete', '--ag', `g${id}`);
    await ok('-f', 'volume-delete', '--vol', vol.id);
    assert.equal(fs.existsSync(`${dir}/images/openlsm-test-${id}.img`), false);
  });
});
