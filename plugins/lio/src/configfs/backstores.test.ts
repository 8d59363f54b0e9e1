import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freeHbaIndex, infoValue, parseHbaName, soKey } from './backstores.js';

// The kernel's info texts (target_core_transport.c, target_core_file.c, target_core_iblock.c, target_core_rd.c).
const FILEIO = 'Status: ACTIVATED  Max Queue Depth: 128  SectorSize: 512  HwMaxSectors: 16384\n        TCM FILEIO ID: 0        File: /var/lib/lio/v1.img  Size: 1073741824  Mode: O_DSYNC Async: 1\n';
const IBLOCK = 'Status: DEACTIVATED  Max Queue Depth: 128  SectorSize: 4096  HwMaxSectors: 2560\n        iBlock device: sdb  UDEV PATH: /dev/sdb  readonly: 0\n        Major: 8 Minor: 16  CLAIMED: IBLOCK\n';
const RAMDISK = 'Status: DEACTIVATED  Max Queue Depth: 128  SectorSize: 512  HwMaxSectors: 1024\n        TCM RamDisk ID: 0  RamDisk Makeup: rd_mcp\n        PAGES/PAGE_SIZE: 256*4096  SG_table_count: 1  nullio: 0\n';

test('info values are found as rtslib finds them (the last "Key: value")', () => {
  assert.equal(infoValue(FILEIO, 'File'), '/var/lib/lio/v1.img');
  assert.equal(infoValue(FILEIO, 'Size'), '1073741824', 'not SectorSize');
  assert.equal(infoValue(FILEIO, 'SectorSize'), '512');
  assert.equal(infoValue(FILEIO, 'Async'), '1');
  assert.equal(infoValue(FILEIO, 'Status'), 'ACTIVATED');
  assert.equal(infoValue(IBLOCK, 'device'), 'sdb');
  assert.equal(infoValue(IBLOCK, 'readonly'), '0');
  assert.equal(infoValue(IBLOCK, 'SectorSize'), '4096');
  assert.equal(infoValue(RAMDISK, 'PAGES/PAGE_SIZE'), '256*4096');
  assert.equal(infoValue(RAMDISK, 'Nothing'), undefined);
});

test('HBA names split at the last underscore; indexes are the lowest free', () => {
  assert.deepEqual(parseHbaName('fileio_0'), { plugin: 'fileio', index: 0 });
  assert.deepEqual(parseHbaName('rd_mcp_12'), { plugin: 'ramdisk', index: 12 });
  assert.deepEqual(parseHbaName('iblock_3'), { plugin: 'block', index: 3 });
  for (const bad of ['alua', 'fileio', 'nosuch_1', 'fileio_x', '_1']) assert.equal(parseHbaName(bad), undefined, bad);
  assert.equal(freeHbaIndex([]), 0);
  assert.equal(freeHbaIndex(['fileio_0', 'iblock_1', 'fileio_3']), 2);
  assert.equal(freeHbaIndex(['fileio_0', 'iblock_1'], 1), 2);
  assert.equal(soKey({ plugin: 'block', name: 'vg:v1' }), '/backstores/block/vg:v1');
});
