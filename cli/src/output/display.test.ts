import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminStateText, bitmapText, diskRpmText, diskStatusNames, enumText, linkSpeedText, linkTypeNames,
  poolElementTypeNames, poolMemberTypeNames, raidTypeNames, systemModeText,
} from './display.js';

describe('display strings', () => {
  test('pool element type 1054 prints in lsm\'s order', () => {
    assert.equal(bitmapText(1054, poolElementTypeNames), 'POOL,VOLUME,FS,SYSTEM_RESERVED,DELTA');
    assert.equal(bitmapText(28, poolElementTypeNames), 'VOLUME,FS,DELTA');
  });

  test('bitmaps: free disks, unknown bits, zero', () => {
    assert.equal(bitmapText(8194, diskStatusNames), 'OK,Free');
    assert.equal(bitmapText(2 | 0x100000, diskStatusNames), 'OK,Unknown(0x100000)');
    assert.equal(bitmapText(0, diskStatusNames), '');
  });

  test('enumerations and their unknown values', () => {
    assert.equal(enumText(8, linkTypeNames), 'PATA/SATA');
    assert.equal(enumText(99, linkTypeNames), 'Unknown(99)');
    assert.equal(enumText(22, raidTypeNames), 'OTHER');
    assert.equal(enumText(1, poolMemberTypeNames), 'Unknown');
  });

  test('special fields', () => {
    assert.equal(systemModeText(0), 'HW RAID');
    assert.equal(systemModeText(-2), '');
    assert.equal(adminStateText(0), 'Yes');
    assert.equal(adminStateText(1), 'No');
    assert.equal(diskRpmText(0), 'Non-Rotating Medium');
    assert.equal(diskRpmText(7200), '7200');
    assert.equal(linkSpeedText(6000), '6.0 Gbps');
    assert.equal(linkSpeedText(0), 'Unknown');
  });
});
