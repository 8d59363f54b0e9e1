// The lock across real processes: a child holds it, the parent waits (TIMEOUT past its deadline), and a SIGKILL of
// the holder frees it at once, with no stale-lock guessing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { ExclusiveLock } from './lock.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const lockModule = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lock.js');

test('sections in one process run one at a time, in order, even when one throws', async () => {
  const lock = ExclusiveLock.open(path.join(dir, 'a.lock'));
  assert.equal(statSync(lock.path).mode & 0o777, 0o600);
  const events: string[] = [];
  const section = (name: string, fail = false) => lock.run(async () => {
    events.push(`${name}+`);
    await new Promise((r) => setTimeout(r, 5));
    events.push(`${name}-`);
    if (fail) throw new Error(name);
  });
  const results = await Promise.allSettled([section('a'), section('b', true), section('c')]);
  assert.deepEqual(events, ['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  assert.equal(results[1]?.status, 'rejected');
  await lock.close();
});

test('two locks on one path in one process exclude each other', async () => {
  const file = path.join(dir, 'b.lock');
  const one = ExclusiveLock.open(file);
  const two = ExclusiveLock.open(file);
  let release!: () => void;
  const held = one.run(() => new Promise<void>((r) => { release = r; }));
  await new Promise((r) => setTimeout(r, 10));
  await assert.rejects(two.run(() => 'never', { timeoutMs: 50 }), (e: unknown) => e instanceof LsmError && e.code === ErrorNumber.TIMEOUT && e.message.includes(file));
  release();
  await held;
  assert.equal(await two.run(() => 'now'), 'now');
  await one.close();
  await two.close();
});

test('another process holding the lock makes us wait; its SIGKILL releases the lock at once', async () => {
  const file = path.join(dir, 'c.lock');
  const holder = spawn(process.execPath, ['--input-type=module', '-e', `
    const { ExclusiveLock } = await import(${JSON.stringify(lockModule)});
    const lock = ExclusiveLock.open(${JSON.stringify(file)});
    lock.run(() => { process.stdout.write('held\\n'); return new Promise(() => {}); });
    setInterval(() => {}, 1000); // a pending promise alone would let the process exit
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(holder.stdout!, 'data');
  const lock = ExclusiveLock.open(file);
  await assert.rejects(lock.run(() => 'x', { timeoutMs: 100 }), (e: unknown) => e instanceof LsmError && e.code === ErrorNumber.TIMEOUT);
  const waiting = lock.run(() => 'acquired', { timeoutMs: 20_000 });
  holder.kill('SIGKILL');
  assert.equal(await waiting, 'acquired');
  await lock.close();
});

test('an aborted wait rejects with the abort reason', async () => {
  const file = path.join(dir, 'd.lock');
  const one = ExclusiveLock.open(file);
  const two = ExclusiveLock.open(file);
  let release!: () => void;
  const held = one.run(() => new Promise<void>((r) => { release = r; }));
  const controller = new AbortController();
  const waiting = two.run(() => 'never', { signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(waiting, { name: 'AbortError' });
  release();
  await held;
  await one.close();
  await two.close();
});
