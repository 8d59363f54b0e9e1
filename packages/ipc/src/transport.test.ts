import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { listenUnix } from './transport.js';

test('listenUnix: the socket gets its mode, and the narrowed umask does not outlive bind()', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-listen-'));
  const original = process.umask();
  // What other code of the process sees once the socket is listening (the first moment after bind() that
  // anything else can run): the umask is process-wide, so a file or child made then would inherit a narrowed one.
  let atListening: number | undefined;
  const listen = net.Server.prototype.listen;
  t.mock.method(net.Server.prototype, 'listen', function (this: net.Server, ...args: unknown[]) {
    this.once('listening', () => { atListening = process.umask(); });
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  });
  const socketPath = path.join(dir, 'sock');
  const server = await listenUnix(socketPath, 0o660, (s) => s.destroy());
  try {
    assert.equal(atListening, original, 'the umask was back when the socket started listening');
    assert.equal(statSync(socketPath).mode & 0o777, 0o660);
    assert.equal(process.umask(), original);
  } finally {
    process.umask(original);
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
});
