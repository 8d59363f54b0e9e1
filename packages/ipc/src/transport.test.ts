import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listenUnix } from './transport.js';

test('listenUnix: the socket gets its mode, and the process umask is as it was, while it waits and after', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-listen-'));
  const original = process.umask();
  try {
    const socketPath = path.join(dir, 'sock');
    const pending = listenUnix(socketPath, 0o660, (s) => s.destroy());
    assert.equal(process.umask(), original, 'the umask is untouched while listenUnix waits');
    const server = await pending;
    assert.equal(statSync(socketPath).mode & 0o777, 0o660);
    assert.equal(process.umask(), original);
    await new Promise<void>((r) => server.close(() => r()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
