import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorNumber, LsmError } from '@openlsm/core';
import {
  backingPath, chapSecret, chapUser, formatPortal, initiatorName, isWildcardHost, parsePortal, scsiId, scsiSerial, targetName,
} from './payload.js';

// '..' alone is a valid tgtd target or account name (it never reaches a path); paths are tested for it separately.
const HOSTILE = ['', 'a,b', 'a;b', 'a b', 'a\nb', 'a\0b', '../etc', 'x'.repeat(10 * 1024 * 1024), 'é,', '$(id)', '`id`'];

function refused(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof LsmError);
    assert.equal(err.code, ErrorNumber.INVALID_ARGUMENT);
    assert.match(err.message, pattern);
    assert.ok(err.message.length < 400, 'a 10 MB input gives a short message');
    assert.ok(!/\n/.test(err.message));
    return true;
  });
}

test('target names: what tgtd itself accepts, nothing else (a missing name crashes tgtd)', () => {
  assert.equal(targetName('iqn.2024-01.org.openlsm:ag1.i1'), 'iqn.2024-01.org.openlsm:ag1.i1');
  for (const bad of [...HOSTILE, 'iqn.x/y', 'iqn_x', 'x'.repeat(224)]) refused(() => targetName(bad), /Invalid target name/);
});

test('backing store paths: absolute, no comma (tgtd\'s separator), no dot components', () => {
  assert.equal(backingPath('/srv/openlsm/pool-1/vol_1.img'), '/srv/openlsm/pool-1/vol_1.img');
  assert.equal(backingPath('/dev/disk/by-id/wwn-0x5000c500a1b2c3d4'), '/dev/disk/by-id/wwn-0x5000c500a1b2c3d4');
  for (const bad of [...HOSTILE, '..', '/..', 'relative/path', '/srv/../etc/shadow', '/srv/./x', '/srv/a,bsoflags=direct', '/srv/a b']) {
    refused(() => backingPath(bad), /Invalid backing store path/);
  }
});

test('initiator names: no comma, space or control character, at most 223 bytes', () => {
  assert.equal(initiatorName('iqn.1994-05.com.redhat:client-1'), 'iqn.1994-05.com.redhat:client-1');
  assert.equal(initiatorName('iqn.2024-01.org.example:ünïcode'), 'iqn.2024-01.org.example:ünïcode');
  for (const bad of ['', 'iqn.x,initiator-address=ALL', 'iqn.a b', 'iqn.a\nb', `iqn.${'é'.repeat(120)}`]) {
    refused(() => initiatorName(bad), /Invalid initiator name/);
  }
});

test('CHAP user names and secrets: the secret is never quoted', () => {
  assert.equal(chapUser('host1-chap'), 'host1-chap');
  for (const bad of [...HOSTILE, 'user,password=x']) refused(() => chapUser(bad), /Invalid CHAP user name/);
  assert.equal(chapSecret('p,a=s;s!w0rd#12'), 'p,a=s;s!w0rd#12', 'tgtd takes the secret to the end of the buffer: commas are fine');
  for (const bad of ['', 'with space', 'tab\there', 'nl\nhere', 'x'.repeat(256), 'ü-non-ascii']) {
    assert.throws(() => chapSecret(bad), (err) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT && (bad === '' || !err.message.includes(bad)));
  }
});

test('LU identity: 24 hex digits of SCSI id, 1-32 alphanumerics of serial', () => {
  assert.equal(scsiId('0123456789abcdef01234567'), '0123456789abcdef01234567');
  refused(() => scsiId('0123456789abcdef0123456'), /Invalid SCSI id/);
  refused(() => scsiId('0123456789ABCDEF01234567'), /Invalid SCSI id/);
  assert.equal(scsiSerial('beaf11'), 'beaf11');
  refused(() => scsiSerial('a,b'), /Invalid SCSI serial number/);
});

test('portals: addresses only, IPv6 in brackets; wildcards are recognised', () => {
  assert.deepEqual(parsePortal('127.0.0.1:3260'), { host: '127.0.0.1', port: 3260 });
  assert.deepEqual(parsePortal('[::1]:13260'), { host: '::1', port: 13260 });
  assert.equal(formatPortal({ host: '::1', port: 3260 }), '[::1]:3260');
  for (const bad of ['localhost:3260', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', '256.0.0.1:1', '[::1]', '1.2.3.4:3260,1']) {
    refused(() => parsePortal(bad), /Invalid portal/);
  }
  assert.ok(isWildcardHost('0.0.0.0') && isWildcardHost('::') && !isWildcardHost('127.0.0.1') && !isWildcardHost('::1'));
});
