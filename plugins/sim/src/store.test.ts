import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { STATE_FORMAT } from './schema-sql.js';
import { defaultStatePath, refuseSocketDirectory, resolveStatePath, SimStore } from './store.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-sim-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const isCode = (code: number, re?: RegExp) => (err: unknown) =>
  err instanceof LsmError && err.code === code && (!re || re.test(err.message));

test('a new state file is created 0600, seeded once, and marked with our format', (t) => {
  const file = path.join(tempDir(t), 's.sqlite3');
  const store = SimStore.open(file, { timeoutMs: 1000 });
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(store.value('SELECT value FROM meta WHERE key = ?', 'format'), STATE_FORMAT);
  assert.equal(store.value('SELECT count(*) FROM disks'), 20n);
  assert.equal(store.value('PRAGMA journal_mode'), 'wal');
  assert.equal(store.value('PRAGMA foreign_keys'), 1n);
  store.close();
  const again = SimStore.open(file, { timeoutMs: 1000 });
  assert.equal(again.value('SELECT count(*) FROM disks'), 20n);
  assert.deepEqual(again.integrityProblems(), []);
  again.close();
});

test('write() rolls back everything when the function throws', (t) => {
  const store = SimStore.open(path.join(tempDir(t), 's.sqlite3'), { timeoutMs: 1000 });
  assert.throws(() => store.write(() => {
    store.run('UPDATE systems SET read_cache_pct = 99');
    throw new LsmError(ErrorNumber.NAME_CONFLICT, 'refused');
  }), isCode(ErrorNumber.NAME_CONFLICT));
  assert.equal(store.value('SELECT read_cache_pct FROM systems'), 10n);
  // The CHECK on free space refuses an overdrawn pool even if a bug tried.
  assert.throws(() => store.write(() => store.run('UPDATE pools SET free_space = -1 WHERE id = 1')));
  assert.equal(store.value('SELECT free_space FROM pools WHERE id = 1'), 1649267441664n);
  store.close();
});

test('files that are not our state are refused with INVALID_ARGUMENT and not modified', (t) => {
  const dir = tempDir(t);
  const text = path.join(dir, 'text');
  writeFileSync(text, 'hello world, not sqlite at all '.repeat(200));
  assert.throws(() => SimStore.open(text, { timeoutMs: 1000 }), isCode(ErrorNumber.INVALID_ARGUMENT, /^Stored simulator state incompatible with simulator, please move or delete /));
  assert.equal(statSync(text).size, 31 * 200);
  // Another SQLite database (libstoragemgmt's own simulator file, for example) is refused too.
  const other = path.join(dir, 'other.sqlite3');
  const foreign = SimStore.open(other, { timeoutMs: 1000 });
  foreign.run("UPDATE meta SET value = 'LSM_SIMULATOR_DATA_4.1' WHERE key = 'format'");
  foreign.close();
  assert.throws(() => SimStore.open(other, { timeoutMs: 1000 }), isCode(ErrorNumber.INVALID_ARGUMENT, /incompatible/));
});

test('a symbolic link or a directory is not opened as a state file', (t) => {
  const dir = tempDir(t);
  const target = path.join(dir, 'target');
  writeFileSync(target, '');
  const link = path.join(dir, 'link');
  symlinkSync(target, link);
  assert.throws(() => SimStore.open(link, { timeoutMs: 1000 }), isCode(ErrorNumber.INVALID_ARGUMENT, /not a regular file/));
  assert.throws(() => SimStore.open(dir, { timeoutMs: 1000 }), isCode(ErrorNumber.INVALID_ARGUMENT, /not a regular file/));
});

test('a second writer waits for the lock, then fails with TIMEOUT "Timeout to require lock on state file"', (t) => {
  const file = path.join(tempDir(t), 's.sqlite3');
  const holder = SimStore.open(file, { timeoutMs: 1000 });
  const waiter = SimStore.open(file, { timeoutMs: 50 });
  holder.run('BEGIN IMMEDIATE');
  try {
    assert.throws(() => waiter.write(() => waiter.run('UPDATE systems SET read_cache_pct = 1')), isCode(ErrorNumber.TIMEOUT, /^Timeout to require lock on state file$/));
    // Readers are not blocked by a writer (WAL).
    assert.equal(waiter.value('SELECT count(*) FROM pools'), 4n);
  } finally {
    holder.run('COMMIT');
  }
  waiter.write(() => waiter.run('UPDATE systems SET read_cache_pct = 1'));
  holder.close();
  waiter.close();
});

test('state path: URI statefile, else LSM_SIM_DATA, else a per-user file in the temp dir', () => {
  assert.equal(resolveStatePath({ statefile: '/a/b' }, { LSM_SIM_DATA: '/c' }), '/a/b');
  assert.equal(resolveStatePath({}, { LSM_SIM_DATA: '/c' }), '/c');
  assert.equal(resolveStatePath({}, {}), defaultStatePath());
  assert.match(defaultStatePath(), /openlsm-sim-\d+\.sqlite3$/);
  assert.equal(path.dirname(defaultStatePath()), os.tmpdir());
  for (const bad of ['', 'a\nb', 'x'.repeat(5000)]) {
    assert.throws(() => resolveStatePath({ statefile: bad }, {}), isCode(ErrorNumber.INVALID_ARGUMENT));
  }
});

test('a state file inside a plug-in socket directory is refused, through symbolic links too', (t) => {
  const dir = tempDir(t);
  const openlsmd = path.join(dir, 'ipc');
  const lsmd = path.join(dir, 'lsm-ipc');
  const uds = path.join(dir, 'uds');
  for (const d of [openlsmd, lsmd, uds, path.join(uds, 'sub')]) mkdirSync(d);
  writeFileSync(path.join(openlsmd, '.openlsmd.lock'), '1\n');
  writeFileSync(path.join(lsmd, '.lsmd-ipc-lock'), '');
  symlinkSync(openlsmd, path.join(dir, 'link'));
  const refused = isCode(ErrorNumber.INVALID_ARGUMENT, /inside the plug-in socket directory/);
  for (const file of [path.join(openlsmd, 'targetd'), path.join(dir, 'link', 'targetd'), path.join(lsmd, 'sim'), path.join(openlsmd, '..', 'ipc', 'x')]) {
    assert.throws(() => refuseSocketDirectory(path.resolve(file), {}), refused, file);
  }
  assert.throws(() => refuseSocketDirectory(path.join(uds, 'sub', 'f'), { LSM_UDS_PATH: uds }), refused);
  assert.throws(() => refuseSocketDirectory(path.join(uds, 'f'), { LSM_UDS_PATH: `${uds}/` }), refused);
  refuseSocketDirectory(path.join(dir, 'state.sqlite3'), { LSM_UDS_PATH: uds });
  refuseSocketDirectory(path.join(dir, 'missing', 'state.sqlite3'), {});
  assert.equal(existsSync(path.join(openlsmd, 'targetd')), false);
});

test('a state file of the previous layout is upgraded in place, its RAID volumes marked', (t) => {
  const file = path.join(tempDir(t), 's.sqlite3');
  const store = SimStore.open(file, { timeoutMs: 1000 });
  // Back to layout 1: no hw_raid column; one volume on a pool volume_raid_create made, one on a seeded pool.
  store.write(() => {
    store.run('ALTER TABLE volumes DROP COLUMN hw_raid');
    store.run(`INSERT INTO pools (name, element_type, unsupported_actions, total_space, free_space, status, status_info,
      raid_type, member_type, parent_pool_id, strip_size) VALUES ('Pool for volume r1', 4, 3, 1024, 0, 2, '', 1, 2, NULL, 131072)`);
    const insert = `INSERT INTO volumes (name, vpd83, block_size, num_of_blocks, admin_state, pool_id, provisioning,
      write_cache_policy, read_cache_policy, physical_disk_cache) VALUES (?, '', 512, 2, 1, ?, 2, 1, 2, 3)`;
    store.run(insert, 'r1', 5);
    store.run(insert, 'plain', 4);
    store.run("UPDATE meta SET value = 'openlsm-sim-1' WHERE key = 'format'");
  });
  store.close();
  const upgraded = SimStore.open(file, { timeoutMs: 1000 });
  assert.equal(upgraded.value("SELECT value FROM meta WHERE key = 'format'"), STATE_FORMAT);
  assert.deepEqual(upgraded.all('SELECT name, hw_raid FROM volumes ORDER BY id'), [{ name: 'r1', hw_raid: 1n }, { name: 'plain', hw_raid: 0n }]);
  assert.deepEqual(upgraded.integrityProblems(), []);
  upgraded.close();
});

test('a path SQLite cannot use as a database is INVALID_ARGUMENT with a sentence, not a bare SQLite error', () => {
  // /proc/self/mem is a regular file to lstat, but reading it as a database is an I/O error.
  assert.throws(() => SimStore.open('/proc/self/mem', { timeoutMs: 1000 }), (err) =>
    isCode(ErrorNumber.INVALID_ARGUMENT, /^\/proc\/self\/mem cannot be used as the simulator state file \(.+SQLITE_[A-Z_]+\); name another with \?statefile=<path>$/)(err)
    && (err as LsmError).data === null);
});
