import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vpd83FromSerial } from './ids.js';

test('VPD 0x83 as LIO reports it: NAA 6, OUI 001405, then the serial\'s hex digits', () => {
  assert.equal(vpd83FromSerial('3f6d1c2e-5b7a-4e1d-9a0b-2c4d6e8f0a1b'), '60014053f6d1c2e5b7a4e1d9a0b2c4d6');
  assert.equal(vpd83FromSerial('ZpXkGz'), `6001405${'0'.repeat(25)}`, 'no hex digit: zeros');
  assert.equal(vpd83FromSerial('ABC'), `6001405abc${'0'.repeat(22)}`);
});
