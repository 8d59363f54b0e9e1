import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { makeDirectories } from './directories.js';

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
