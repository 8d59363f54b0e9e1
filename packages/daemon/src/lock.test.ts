import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InstanceLock, LOCK_FILE } from './lock.js';

describe('single-instance lock', () => {
  test('is taken once, refused while held by a live openlsmd-like process, and released', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsmd-lock-'));
    try {
      const lock = await InstanceLock.acquire(dir);
      assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(process.pid));
      lock.release();
      assert.equal(existsSync(path.join(dir, LOCK_FILE)), false);

      // A live process whose command line says openlsmd holds it.
      const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', 'openlsmd'], { stdio: 'ignore' });
      await new Promise((r) => holder.once('spawn', r));
      try {
        writeFileSync(path.join(dir, LOCK_FILE), `${holder.pid}\n`);
        await assert.rejects(InstanceLock.acquire(dir), new RegExp(`An instance of openlsmd is already using ${dir} \\(pid ${holder.pid}\\)`));
      } finally {
        holder.kill('SIGKILL');
        await new Promise((r) => holder.once('exit', r));
      }
      // Its pid is gone now: the lock is stale and is replaced.
      const again = await InstanceLock.acquire(dir);
      assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(process.pid));
      again.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a lock naming a live process that is not openlsmd, with no socket answering, is stale', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsmd-lock-'));
    try {
      // pid 1 is alive and is not openlsmd.
      writeFileSync(path.join(dir, LOCK_FILE), '1\n');
      const lock = await InstanceLock.acquire(dir);
      lock.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
