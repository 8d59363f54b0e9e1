import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { makeDirectories, secureSocketDirectory } from './directories.js';

test('makeDirectories creates missing parents and accepts an existing directory', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'openlsm-dirs-'));
  try {
    const dir = path.join(root, 'a', 'b', 'ipc');
    makeDirectories(dir, 0o750);
    assert.ok(statSync(dir).isDirectory());
    assert.equal(statSync(dir).mode & 0o777, 0o750 & ~process.umask());
    makeDirectories(dir, 0o750);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('makeDirectories fails with the OS error instead of looping', { timeout: 10_000 }, () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'openlsm-dirs-'));
  try {
    writeFileSync(path.join(root, 'file'), '');
    assert.throws(() => makeDirectories(path.join(root, 'file', 'ipc'), 0o755), { code: 'ENOTDIR' });
    // Node 20's recursive mkdirSync never returns for this path; ours must report an error.
    assert.throws(() => makeDirectories('/proc/openlsm-nonexistent/ipc', 0o755));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('secureSocketDirectory: the owner must be the daemon\'s user; group/other write bits are removed; open parents refused', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'openlsm-dirs-'));
  const uid = process.getuid?.() ?? 0;
  try {
    const dir = path.join(root, 'ipc');
    mkdirSync(dir, { mode: 0o755 });
    assert.deepEqual(secureSocketDirectory(dir, uid), []);
    chmodSync(dir, 0o777);
    const [warning] = secureSocketDirectory(dir, uid);
    assert.match(warning ?? '', /writable by its group or by others \(mode 0777\).*changed it to 0755/);
    assert.equal(statSync(dir).mode & 0o777, 0o755);
    // Through a symbolic link the real directory is checked.
    symlinkSync(dir, path.join(root, 'link'));
    assert.deepEqual(secureSocketDirectory(path.join(root, 'link'), uid), []);
    assert.throws(() => secureSocketDirectory(dir, uid + 4242), /belongs to .*not to openlsmd's user/);
    const open = path.join(root, 'open');
    mkdirSync(path.join(open, 'ipc'), { recursive: true, mode: 0o755 });
    chmodSync(open, 0o777);
    assert.throws(() => secureSocketDirectory(path.join(open, 'ipc'), uid), /which others may write to \(mode 0777, not sticky\)/);
    chmodSync(open, 0o1777);
    assert.deepEqual(secureSocketDirectory(path.join(open, 'ipc'), uid), []);
    if (uid === 0) {
      chownSync(open, 4242, 4242);
      assert.throws(() => secureSocketDirectory(path.join(open, 'ipc'), uid), /inside .*open, which belongs to uid 4242/);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
