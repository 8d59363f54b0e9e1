import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { checkKernel, isConfigfsMount, REAL_CONFIGFS } from './kernel.js';

const MOUNTED = '36 25 0:32 / /sys/kernel/config rw,nosuid,nodev,noexec,relatime shared:15 - configfs configfs rw\n';

test('configfs is recognised in mountinfo by mount point and type', () => {
  assert.equal(isConfigfsMount(MOUNTED, REAL_CONFIGFS), true);
  assert.equal(isConfigfsMount(MOUNTED.replace('- configfs', '- tmpfs'), REAL_CONFIGFS), false);
  assert.equal(isConfigfsMount(MOUNTED, '/mnt'), false);
});

test('each missing layer has its own message saying what to load or mount', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-kernel-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const proc = path.join(dir, 'proc');
  const sys = path.join(dir, 'sys');
  fs.mkdirSync(path.join(proc, 'self'), { recursive: true });
  fs.mkdirSync(path.join(sys, 'module'), { recursive: true });
  const check = () => {
    try {
      checkKernel({ configfs: REAL_CONFIGFS, proc, sys });
      return 'ok';
    } catch (err) {
      assert.ok(err instanceof LsmError && err.code === ErrorNumber.NO_SUPPORT);
      return err.message;
    }
  };
  fs.writeFileSync(path.join(proc, 'filesystems'), 'nodev\tsysfs\nnodev\ttmpfs\n');
  assert.match(check(), /no configfs.*modprobe configfs/);
  fs.writeFileSync(path.join(proc, 'filesystems'), 'nodev\tsysfs\nnodev\tconfigfs\n');
  fs.writeFileSync(path.join(proc, 'self/mountinfo'), '');
  assert.match(check(), /not mounted on \/sys\/kernel\/config: mount it with "mount -t configfs none \/sys\/kernel\/config"/);
  fs.writeFileSync(path.join(proc, 'self/mountinfo'), MOUNTED);
  if (!fs.existsSync('/sys/kernel/config/target/version')) {
    assert.match(check(), /target_core_mod\) is not loaded: load it with "modprobe target_core_mod"/);
    fs.mkdirSync(path.join(sys, 'module/target_core_mod'));
    assert.match(check(), /target_core_mod is loaded but \/sys\/kernel\/config\/target is missing/);
  }
  assert.match((() => { try { checkKernel({ configfs: dir }); return ''; } catch (e) { return (e as Error).message; } })(), /target does not exist: there is no LIO target core under this configfs root/);
});
