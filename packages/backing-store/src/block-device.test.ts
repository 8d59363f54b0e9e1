import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { blockDeviceInfo, splitDevno } from './block-device.js';

test('splitDevno follows glibc: 8:17 and a large minor', () => {
  assert.deepEqual(splitDevno(0x811n), { major: 8n, minor: 17n });
  // major 259, minor 0x12345: minor's low 8 bits at 0..7, major at 8..19, minor's high bits at 20..31
  const rdev = (0x45n) | (259n << 8n) | (0x123n << 20n);
  assert.deepEqual(splitDevno(rdev), { major: 259n, minor: 0x12345n });
});

test('a file or a missing path is INVALID_ARGUMENT', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-blk-'));
  try {
    writeFileSync(path.join(dir, 'f'), '');
    await assert.rejects(blockDeviceInfo(path.join(dir, 'f')), (e: unknown) => e instanceof LsmError && e.code === ErrorNumber.INVALID_ARGUMENT && /not a block device/.test(e.message));
    await assert.rejects(blockDeviceInfo(path.join(dir, 'none')), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A real device node (the machine's loop devices) with a sysfs tree laid out as the kernel's, for a partition
// (whose queue/ is its parent's) and for a whole disk.
test('size and block size come from sysfs for the device number of the node', { skip: !existsSync('/dev/loop0') && 'no /dev/loop0 here' }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-sys-'));
  try {
    const { rdev } = statSync('/dev/loop0', { bigint: true });
    const { major, minor } = splitDevno(rdev);
    const disk = path.join(dir, 'devices/virtual/block/sdz');
    const part = path.join(disk, 'sdz1');
    mkdirSync(path.join(part), { recursive: true });
    mkdirSync(path.join(disk, 'queue'));
    writeFileSync(path.join(part, 'size'), '2048\n');
    writeFileSync(path.join(disk, 'queue/logical_block_size'), '4096\n');
    mkdirSync(path.join(dir, 'dev/block'), { recursive: true });
    symlinkSync(part, path.join(dir, 'dev/block', `${major}:${minor}`));
    const info = await blockDeviceInfo('/dev/loop0', { sysRoot: dir });
    assert.deepEqual(info, { path: '/dev/loop0', devno: `${major}:${minor}`, kernelName: 'sdz1', sizeBytes: 1048576n, blockSize: 4096 });
    writeFileSync(path.join(part, 'size'), 'garbage');
    await assert.rejects(blockDeviceInfo('/dev/loop0', { sysRoot: dir }), (e: unknown) => e instanceof LsmError && e.code === ErrorNumber.PLUGIN_BUG);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
