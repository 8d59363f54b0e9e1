/**
 * VPD page decoders on byte-exact pages: designators encoded as SPC-5 specifies them (as a SAS drive, LIO,
 * libata and a USB bridge return them), then truncated and foreign pages that must decode to "nothing".
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { designator, naaLu, t10VendorId, vpd80, vpd83, vpdB1, vpdPage } from '../test/fake-sysfs.js';
import { naaFromVpd83, parseDesignators, rotationRateFromVpdB1, serialFromVpd80, targetPortProtocol } from './vpd.js';

function sasNaa(association: number, hex: string): Buffer {
  return designator({ protocolId: 6, codeSet: 1, piv: true, association, type: 3, value: Buffer.from(hex, 'hex') });
}

describe('VPD page 0x83', () => {
  test('decodes the descriptor header bits', () => {
    const page = Buffer.from('0083000c6193000850000c5000000001', 'hex');
    assert.deepEqual(parseDesignators(page), [
      { protocolId: 6, codeSet: 1, piv: true, association: 1, type: 3, value: Buffer.from('50000c5000000001', 'hex') },
    ]);
  });

  test('picks the logical unit NAA, not the target port or device NAA', () => {
    const page = vpd83(
      sasNaa(1, '5000c500a1b2c3d5'), // target port
      sasNaa(2, '5000c500a1b2c3d7'), // target device
      naaLu('5000C500A1B2C3D4'),
    );
    assert.equal(naaFromVpd83(page), '5000c500a1b2c3d4');
    assert.equal(targetPortProtocol(page), 6);
  });

  test('NAA 6 is 16 bytes, NAA 2/3/5 are 8', () => {
    assert.equal(naaFromVpd83(vpd83(naaLu('6001405e2c5f0e0b6a4ab4b1d3a2c1f0'))), '6001405e2c5f0e0b6a4ab4b1d3a2c1f0');
    assert.equal(naaFromVpd83(vpd83(naaLu('2000001b32812345'))), '2000001b32812345');
    assert.equal(naaFromVpd83(vpd83(naaLu('3000001b32812345'))), '3000001b32812345');
    assert.equal(naaFromVpd83(vpd83(naaLu('6001405e2c5f0e0b'))), ''); // NAA 6 cut short
    assert.equal(naaFromVpd83(vpd83(naaLu('1000001b32812345'))), ''); // NAA 1 is not an lsm vpd83
  });

  test('ignores NAA text in ASCII descriptors and non-NAA designators', () => {
    const page = vpd83(
      designator({ codeSet: 2, association: 0, type: 3, value: Buffer.from('5000c500a1b2c3d4', 'latin1') }),
      t10VendorId('LIO-ORG e2c5f0e0'),
      designator({ codeSet: 1, association: 0, type: 2, value: Buffer.from('0025388b71b2c4d5', 'hex') }),
    );
    assert.equal(naaFromVpd83(page), '');
    assert.equal(targetPortProtocol(page), null);
  });

  test('a truncated or foreign page decodes to nothing, without reading out of bounds', () => {
    const full = vpd83(naaLu('5000c500a1b2c3d4'));
    for (let cut = 0; cut < full.length; cut += 1) {
      assert.equal(naaFromVpd83(full.subarray(0, cut)), '', `cut at ${cut}`);
    }
    assert.equal(naaFromVpd83(vpdPage(0x80, full.subarray(4))), '');
    const lying = Buffer.from(full);
    lying.writeUInt16BE(0xffff, 2); // header claims more than there is
    assert.equal(naaFromVpd83(lying), '5000c500a1b2c3d4');
    const short = Buffer.from(full);
    short.writeUInt16BE(4, 2); // header claims less: the descriptor is outside the page
    assert.equal(naaFromVpd83(short), '');
  });
});

describe('VPD pages 0x80 and 0xB1', () => {
  test('serial number without padding or control bytes', () => {
    assert.equal(serialFromVpd80(vpd80('ZC12ABCD', 20)), 'ZC12ABCD');
    assert.equal(serialFromVpd80(vpdPage(0x80, Buffer.from('S3Z\0\x1b[2JX  ', 'latin1'))), 'S3Z[2JX');
    assert.equal(serialFromVpd80(vpd83(naaLu('5000c500a1b2c3d4'))), '');
    assert.equal(serialFromVpd80(Buffer.alloc(2)), '');
  });

  test('medium rotation rate', () => {
    assert.equal(rotationRateFromVpdB1(vpdB1(7200)), 7200);
    assert.equal(rotationRateFromVpdB1(vpdB1(1)), 1);
    assert.equal(rotationRateFromVpdB1(vpdB1(0)), 0);
    assert.equal(rotationRateFromVpdB1(vpdB1(15000).subarray(0, 5)), null);
    assert.equal(rotationRateFromVpdB1(vpd80('x')), null);
  });
});
