// The ids must be libstoragemgmt's, character for character: the expected values below were computed with
// lsm's own expressions (Python's re.sub/hashlib.md5, as plugin/targetd/targetd.py applies them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidVpd83 } from '@openlsm/core';
import { exportId, isStandaloneGroupId, sharedExportOptions, standaloneGroupId, uuidToVpd83 } from './ids.js';

test('vpd83: 6 + 001405 + the first 25 hex digits of the lower-cased uuid, zero-padded', () => {
  assert.equal(uuidToVpd83('c9bada2a-4003-417c-9dbf-94eac9f83a49'), '6001405c9bada2a4003417c9dbf94eac');
  // An LVM uuid has few hex digits: the rest is zeros.
  assert.equal(uuidToVpd83('Ua8YXw-qLl4-Nnj3-m5yv-O3SM-2lpe-zc1jlJ'), '6001405a843532ec1000000000000000');
  assert.ok(isValidVpd83(uuidToVpd83('Ua8YXw-qLl4-Nnj3-m5yv-O3SM-2lpe-zc1jlJ')));
  assert.equal(uuidToVpd83(''), '60014050000000000000000000000000');
});

test('an initiator\'s own group is init.<md5 of its name>', () => {
  assert.equal(standaloneGroupId('iqn.1994-05.com.redhat:client1'), 'init.12262472c6c1d02cee53142ae457c564');
  assert.ok(isStandaloneGroupId('init.12262472c6c1d02cee53142ae457c564'));
  assert.ok(!isStandaloneGroupId('hosts'));
});

test('an NFS export is the md5 of its path and sorted shared options (per-host flags left out)', () => {
  assert.equal(sharedExportOptions(['sec=krb5', 'rw', 'no_root_squash', 'anonuid=99']), 'anonuid=99,sec=krb5');
  assert.equal(sharedExportOptions(['ro', 'root_squash']), '');
  assert.equal(exportId('/srv/targetd/targetd_fs/fs1', ['rw', 'sec=krb5', 'anonuid=99']), '1588351eb7239705801768781276f75c');
});
