// Without LIO: lsmcli and openlsm-lio exit 4 with one line that says what to load or mount, and no stack trace.
// On this kind of machine (no configfs, no kernel modules) the real /sys/kernel/config is missing; the emulation
// (a FUSE stand-in for configfs) provides a root without target_core_mod and one without iscsi_target_mod.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { LSMCLI, lsmcli } from '../cli/harness.js';
import { emulationUnavailable } from '../fixtures/configfs/index.js';
import { INITIATOR_1, newLio, openlsmLio } from './harness.js';

const realLio = fs.existsSync('/sys/kernel/config/target/version');

function oneLineNoStack(stderr: string): void {
  assert.equal(stderr.split('\n').filter((l) => l !== '').length, 1, stderr);
  assert.doesNotMatch(stderr, /\n\s+at |Error:|node:internal/, 'no stack trace');
}

describe('lio:// without LIO', () => {
  test('the real configfs missing: exit 4, what to load or mount, no stack', { skip: realLio ? 'this machine has LIO' : false }, async () => {
    const r = await lsmcli(['-u', 'lio://', 'list', '--type', 'pools']);
    assert.equal(r.code, process.getuid?.() === 0 ? 4 : 13);
    oneLineNoStack(r.stderr);
    assert.match(r.stderr, /^(NO_SUPPORT\(153\): .*(modprobe configfs|mount -t configfs none \/sys\/kernel\/config|modprobe target_core_mod)|PERMISSION_DENIED\(13\): .*needs root)/);
    const restore = await openlsmLio(['restore']);
    assert.equal(restore.code, process.getuid?.() === 0 ? 4 : 13);
    oneLineNoStack(restore.stderr);
    assert.match(restore.stderr, /^openlsm-lio: /);
  });

  test('not root on the real configfs: exit 13, saying root is needed', { skip: process.getuid?.() === 0 ? false : 'needs root to run lsmcli as another user' }, async () => {
    const r = spawnSync(process.execPath, [LSMCLI, '-u', 'lio://', 'list', '--type', 'pools'], {
      uid: 65534, gid: 65534, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp' },
    });
    assert.equal(r.status, 13, r.stderr);
    oneLineNoStack(r.stderr);
    assert.match(r.stderr, /^PERMISSION_DENIED\(13\): lio:\/\/ manages the kernel's iSCSI target, which needs root/);
  });

  test('no target core under the configfs root: exit 4 naming it', { skip: emulationUnavailable() }, async (t) => {
    const lio = await newLio(t, { emulator: { targetCore: false } });
    const r = await lio.cli(['list', '--type', 'volumes']);
    assert.equal(r.code, 4);
    oneLineNoStack(r.stderr);
    assert.match(r.stderr, /^NO_SUPPORT\(153\): .*\/target does not exist: there is no LIO target core under this configfs root\n$/);
  });

  test('no iSCSI fabric module: the first change that needs it says so and changes nothing', { skip: emulationUnavailable() }, async (t) => {
    const lio = await newLio(t, { emulator: { iscsi: 'missing' } });
    await lio.ok(['volume-create', '--name', 'v', '--size', '1MiB', '--pool', 'images']);
    const before = lio.snapshot();
    const r = await lio.cli(['access-group-create', '--name', 'g', '--init', INITIATOR_1, '--sys', 'lio']);
    assert.equal(r.code, 4);
    oneLineNoStack(r.stderr);
    assert.match(r.stderr, /^NO_SUPPORT\(153\): The kernel could not load its iSCSI target \(iscsi_target_mod\): install it or load it with "modprobe iscsi_target_mod"\n$/);
    assert.deepEqual(lio.snapshot(), before);
  });
});
