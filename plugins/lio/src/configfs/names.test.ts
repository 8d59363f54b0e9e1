import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { isTagName, normalizeIscsiName, parsePortal, portalDir, validateChapValue, validateFileioPath, validateVolumeName } from './names.js';

const invalid = (fn: () => unknown) => assert.throws(fn, (e: unknown) => e instanceof LsmError && e.code === ErrorNumber.INVALID_ARGUMENT);

test('volume names: openlsm\'s whitelist, 190 characters at most', () => {
  assert.equal(validateVolumeName('vol-1.a:b'), 'vol-1.a:b');
  for (const bad of ['../x', 'a/b', 'a b', 'x\ny', '', '-x', '.x', 'a'.repeat(191)]) invalid(() => validateVolumeName(bad));
});

test('iSCSI names as rtslib accepts them, lower-cased', () => {
  assert.equal(normalizeIscsiName('iqn.1994-05.com.Example:Host1', 'initiator'), 'iqn.1994-05.com.example:host1');
  assert.equal(normalizeIscsiName('NAA.5001405ABCDEF012', 'initiator'), 'naa.5001405abcdef012');
  assert.equal(normalizeIscsiName('eui.0123456789ABCDEF', 'initiator'), 'eui.0123456789abcdef');
  for (const bad of [
    'iqn.2003-01.com.example_x:y', 'iqn.2003-01.org:nodot', 'naa.6001405abcdef012', 'naa.5001405abcdef0123456789abcdef01',
    `iqn.2003-01.org.example:${'x'.repeat(230)}`, 'iqn.2003-01.org.example:a b', 'wwn.123', '10:00:00:00:c9:95:2f:de',
  ]) invalid(() => normalizeIscsiName(bad, 'initiator'));
});

test('tags: targetd\'s access-group rule, no dots, 63 characters', () => {
  assert.equal(isTagName('hosts_1-a'), true);
  for (const bad of ['', 'a.b', 'a b', 'x'.repeat(64), 'a/b']) assert.equal(isTagName(bad), false, bad);
});

test('portals: ip[:port] and [ipv6][:port], in LIO\'s directory form', () => {
  assert.equal(portalDir(parsePortal('0.0.0.0')), '0.0.0.0:3260');
  assert.equal(portalDir(parsePortal('192.0.2.10:3261')), '192.0.2.10:3261');
  assert.equal(portalDir(parsePortal('[::]:3260')), '[::]:3260');
  assert.equal(portalDir(parsePortal('[fe80::1]')), '[fe80::1]:3260');
  for (const bad of ['300.1.1.1:3260', '1.2.3.4:0', '1.2.3.4:70000', 'host:3260', '[::1', '::1:3260', '1.2.3.4:x']) invalid(() => parsePortal(bad));
});

test('fileio paths: what the control parser can carry', () => {
  assert.equal(validateFileioPath('/var/lib/x.img'), '/var/lib/x.img');
  for (const bad of ['relative.img', '/a,b.img', '/a\nb', '/a b', `/${'x'.repeat(255)}`]) invalid(() => validateFileioPath(bad));
});

test('CHAP values: printable, no spaces, not NULL, 255 at most', () => {
  assert.equal(validateChapValue('in_password', 'S3cret!#12'), 'S3cret!#12');
  for (const bad of ['two words', 'NULL', 'x'.repeat(256), 'a\tb', '', 'é']) invalid(() => validateChapValue('in_password', bad));
});
