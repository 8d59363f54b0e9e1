import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBody, encodeFrame } from '@openlsm/ipc';
import { encodeLsmFrame } from './lsm-compat/framing.js';
import { detectFraming } from './session.js';

describe('framing detection', () => {
  test('lsm frames start with an ASCII digit; everything else is read as an openlsm length (above 0x04: too large)', () => {
    assert.equal(detectFraming(encodeFrame(encodeBody({ id: 1, method: 'plugin_info', params: {} }))[0] as number), 'openlsm');
    assert.equal(detectFraming(Buffer.alloc(4).fill(0)[0] as number), 'openlsm');
    const big = Buffer.alloc(4);
    big.writeUInt32BE(64 * 1024 * 1024);
    assert.equal(detectFraming(big[0] as number), 'openlsm');
    assert.equal(detectFraming(encodeLsmFrame('{"method": "plugin_info"}')[0] as number), 'lsm');
    assert.equal(detectFraming(0x39), 'lsm');
    for (const b of [0x05, 0x2f, 0x3a, 0x7b, 0x47, 0x80, 0xff]) assert.equal(detectFraming(b), 'openlsm');
  });
});
