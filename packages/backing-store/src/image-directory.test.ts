import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { ImageDirectory, validateImageName } from './image-directory.js';

let dir: string;
let pool: ImageDirectory;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-images-'));
  pool = await ImageDirectory.open(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function lsmCode(code: number) {
  return (err: unknown) => err instanceof LsmError && err.code === code;
}

test('open refuses relative paths, missing directories and files', async () => {
  await assert.rejects(ImageDirectory.open('images'), lsmCode(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(ImageDirectory.open(path.join(dir, 'missing')), /ENOENT/);
  writeFileSync(path.join(dir, 'f'), '');
  await assert.rejects(ImageDirectory.open(path.join(dir, 'f')), /not a directory/);
});

test('create makes a sparse 0600 image of the exact size; a second create of the name is NAME_CONFLICT', async () => {
  const image = await pool.create('vol1', 10n * 2n ** 30n);
  const s = statSync(image.path);
  assert.equal(s.size, 10 * 2 ** 30);
  assert.equal(s.mode & 0o777, 0o600);
  assert.ok(s.blocks * 512 < 1024 * 1024, 'nothing written: the image is sparse');
  await assert.rejects(pool.create('vol1', 1024n), lsmCode(ErrorNumber.NAME_CONFLICT));
  assert.equal(statSync(image.path).size, 10 * 2 ** 30, 'the existing image is untouched');
});

test('a size beyond the free space is NOT_ENOUGH_SPACE and creates nothing', async () => {
  // Larger than the whole file system rather than one byte past its free space: other processes (a parallel
  // test run) move the free space between space() and create().
  const { totalBytes } = await pool.space();
  await assert.rejects(pool.create('big', totalBytes + 1n), lsmCode(ErrorNumber.NOT_ENOUGH_SPACE));
  assert.deepEqual(await pool.list(), []);
  await assert.rejects(pool.create('zero', 0n), lsmCode(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(pool.create('neg', -1n), lsmCode(ErrorNumber.INVALID_ARGUMENT));
});

test('hostile names are refused before any path is built', async () => {
  for (const name of ['../x', 'a/b', '.hidden', '-rf', '..', '.', '', 'a\nb', 'a b', 'a;b', 'x'.repeat(201), 'é']) {
    assert.throws(() => validateImageName(name), lsmCode(ErrorNumber.INVALID_ARGUMENT), JSON.stringify(name));
    await assert.rejects(pool.create(name, 1024n), lsmCode(ErrorNumber.INVALID_ARGUMENT));
  }
  assert.equal(validateImageName('vol_1.img:2+a-b'), 'vol_1.img:2+a-b');
  assert.deepEqual(await pool.list(), []);
});

test('list shows images only: not dot files, directories or badly named files', async () => {
  await pool.create('b', 2048n);
  await pool.create('a', 1024n);
  writeFileSync(path.join(dir, '.a.openlsm-tmp-1-abcd'), 'x');
  writeFileSync(path.join(dir, 'has space'), 'x');
  rmSync(path.join(dir, 'sub'), { force: true });
  const names = (await pool.list()).map((i) => [i.name, i.sizeBytes]);
  assert.deepEqual(names, [['a', 1024n], ['b', 2048n]]);
});

test('resize grows and shrinks; unknown image is NOT_FOUND_VOLUME; growth beyond free space refused', async () => {
  await pool.create('v', 4096n);
  assert.equal((await pool.resize('v', 8192n)).sizeBytes, 8192n);
  assert.equal((await pool.resize('v', 1024n)).sizeBytes, 1024n);
  await assert.rejects(pool.resize('nope', 1024n), lsmCode(ErrorNumber.NOT_FOUND_VOLUME));
  const { freeBytes } = await pool.space();
  await assert.rejects(pool.resize('v', freeBytes + 4096n), lsmCode(ErrorNumber.NOT_ENOUGH_SPACE));
  assert.equal((await pool.stat('v'))?.sizeBytes, 1024n);
});

test('remove deletes; removing again is NOT_FOUND_VOLUME', async () => {
  await pool.create('v', 4096n);
  await pool.remove('v');
  assert.equal(await pool.stat('v'), null);
  await assert.rejects(pool.remove('v'), lsmCode(ErrorNumber.NOT_FOUND_VOLUME));
});

test('copy keeps data and holes, reports progress in order, and refuses an existing target', async () => {
  const src = await pool.create('src', 64n * 1024n * 1024n);
  const { openSync, writeSync, closeSync } = await import('node:fs');
  const fd = openSync(src.path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 0);
  writeSync(fd, Buffer.alloc(4096, 0xcd), 0, 4096, 40 * 1024 * 1024);
  closeSync(fd);
  const seen: number[] = [];
  const { image } = await pool.copy('src', 'dst', { chunkBytes: 1024 * 1024, onProgress: (p) => seen.push(p) });
  assert.equal(image.sizeBytes, src.sizeBytes);
  assert.ok(readFileSync(image.path).equals(readFileSync(src.path)), 'same bytes');
  assert.ok(image.allocatedBytes < 4n * 1024n * 1024n, `holes stay holes (${image.allocatedBytes} bytes allocated)`);
  assert.equal(seen[0], 0);
  assert.equal(seen.at(-1), 100);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'progress never goes back');
  await assert.rejects(pool.copy('src', 'dst'), lsmCode(ErrorNumber.NAME_CONFLICT));
  await assert.rejects(pool.copy('missing', 'x'), lsmCode(ErrorNumber.NOT_FOUND_VOLUME));
});

test('an aborted copy leaves neither the target nor a temporary file', async () => {
  await pool.create('src', 32n * 1024n * 1024n);
  const controller = new AbortController();
  await assert.rejects(
    pool.copy('src', 'dst', { reflink: false, chunkBytes: 1024 * 1024, signal: controller.signal, onProgress: (p) => { if (p >= 10) controller.abort(); } }),
    { name: 'AbortError' },
  );
  const { readdirSync } = await import('node:fs');
  assert.deepEqual(readdirSync(dir), ['src']);
});
