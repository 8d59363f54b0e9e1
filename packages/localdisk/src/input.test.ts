/** Input whitelists, LED request decoding, device-name ordering and LED write error mapping. */

import { ErrorNumber, LedStatus, LsmError } from '@openlsm/core';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ledWriteError } from './enclosure.js';
import { compareDeviceNames, diskNameOfPath, isSafeDiskName, parseLedRequest, validateSlotId } from './input.js';

const invalidArgument = (e: unknown): boolean => e instanceof LsmError && e.code === ErrorNumber.INVALID_ARGUMENT;

describe('input checks', () => {
  test('disk paths', () => {
    assert.equal(diskNameOfPath('/dev/sda', '/dev'), 'sda');
    assert.equal(diskNameOfPath('/dev/nvme0n1', '/dev/'), 'nvme0n1');
    for (const bad of ['/dev/../etc', '/dev/sda/x', '/dev/.', '/dev/-rf', '/devsda', 'sda', '/dev/sda ', 42, null]) {
      assert.throws(() => diskNameOfPath(bad, '/dev'), invalidArgument);
    }
    assert.equal(isSafeDiskName('a..b'), false);
    const huge = `/dev/${'a'.repeat(10_000_000)}`;
    assert.throws(() => diskNameOfPath(huge, '/dev'), (e: unknown) => e instanceof LsmError && e.message.length < 200);
  });

  test('slot ids', () => {
    assert.equal(validateSlotId('0:0:12:0/SLOT 002,3FE3A3C0'), '0:0:12:0/SLOT 002,3FE3A3C0');
    for (const bad of ['', 'a', 'a/', '/a', 'a/b/c', '../a', 'a/..', 'a/\u0007', 'a/b\r', 7]) {
      assert.throws(() => validateSlotId(bad), invalidArgument);
    }
  });

  test('LED requests', () => {
    assert.deepEqual(parseLedRequest(LedStatus.IDENT_ON), { ident: true });
    assert.deepEqual(parseLedRequest(LedStatus.FAULT_OFF), { fault: false });
    assert.deepEqual(parseLedRequest(LedStatus.IDENT_OFF | LedStatus.FAULT_ON), { ident: false, fault: true });
    for (const bad of [0, 1, 8, 64, 2 ** 40, -2, 2.5, '2', LedStatus.IDENT_ON | LedStatus.IDENT_OFF]) {
      assert.throws(() => parseLedRequest(bad), invalidArgument);
    }
  });

  test('device names sort as the kernel numbers them', () => {
    const names = ['sdaa', 'vda', 'sdb', 'nvme10n1', 'sda', 'nvme2n1', 'sdz', 'nvme2n10', 'nvme2n2', 'xvdb', 'mmcblk0'];
    assert.deepEqual(names.sort(compareDeviceNames), [
      'mmcblk0', 'nvme2n1', 'nvme2n2', 'nvme2n10', 'nvme10n1', 'sda', 'sdb', 'sdz', 'sdaa', 'vda', 'xvdb',
    ]);
  });

  test('LED write errors name the cause', () => {
    const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });
    assert.equal(ledWriteError(err('EACCES'), 'e/s', 'locate').code, ErrorNumber.PERMISSION_DENIED);
    assert.equal(ledWriteError(err('EPERM'), 'e/s', 'fault').code, ErrorNumber.PERMISSION_DENIED);
    assert.equal(ledWriteError(err('EROFS'), 'e/s', 'fault').code, ErrorNumber.PERMISSION_DENIED);
    assert.match(ledWriteError(err('EACCES'), 'e/s', 'locate').message, /ident LED of slot e\/s.*needs root/);
    assert.equal(ledWriteError(err('ENOENT'), 'e/s', 'fault').code, ErrorNumber.NO_SUPPORT);
    assert.equal(ledWriteError(err('EIO'), 'e/s', 'fault').code, ErrorNumber.LIB_BUG);
  });
});
