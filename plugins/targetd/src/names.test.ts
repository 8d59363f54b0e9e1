import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { chapValue, checkName, iscsiInitiator, NAME_MAX_LENGTH, nfsHost } from './names.js';

const invalid = (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT;

test('names: targetd\'s [A-Za-z0-9_-], not starting with "-", at most 127 characters', () => {
  for (const ok of ['v', 'vol_1-a', 'A'.repeat(NAME_MAX_LENGTH), '_x']) assert.equal(checkName('volume', ok), ok);
  for (const bad of ['', ';', 'a;b', 'a/b', '..', '.', 'a.b', 'a b', 'a\nb', '-rf', 'vg:vol', 'é', 'A'.repeat(NAME_MAX_LENGTH + 1), 'x'.repeat(10_000)]) {
    assert.throws(() => checkName('volume', bad), (err: unknown) => invalid(err) && (err as Error).message.length < 250, JSON.stringify(bad.slice(0, 20)));
  }
  assert.throws(() => checkName('volume', 5 as unknown as string), invalid);
});

test('initiators: lower-cased as LIO stores them, and of a form rtslib accepts', () => {
  assert.equal(iscsiInitiator('IQN.1994-05.COM.RedHat:Client1'), 'iqn.1994-05.com.redhat:client1');
  assert.equal(iscsiInitiator('naa.5000C500A1B2C3D4'), 'naa.5000c500a1b2c3d4');
  for (const bad of ['iqn.2020-01.com:one-label', 'iqn.1994-05.com.example:a_b', 'iqn.1994-05.com.example:a;b', '10:00:00:00:c9:95:2f:de', 'x']) {
    assert.throws(() => iscsiInitiator(bad), invalid, bad);
  }
});

test('CHAP values: printable ASCII, no spaces; empty or null clears; a bad secret is never quoted', () => {
  assert.equal(chapValue('in_password', 'S3cret!#'), 'S3cret!#');
  assert.equal(chapValue('in_password', ''), null);
  assert.equal(chapValue('in_password', null), null);
  for (const bad of ['has space', 'new\nline', 'é', 'x'.repeat(256)]) {
    assert.throws(() => chapValue('in_password', bad), (err: unknown) => invalid(err) && !(err as Error).message.includes(bad.slice(0, 3)));
  }
});

test('NFS hosts: names, addresses, networks, wildcards, netgroups; nothing that ends an exports line', () => {
  for (const ok of ['host.example.com', '10.0.0.1', '10.0.0.0/24', '*.example.com', '@trusted', 'fe80::1', '[fe80::1]']) assert.equal(nfsHost(ok), ok);
  for (const bad of ['', 'a b', 'a;b', 'a\nb', '-x', 'a(rw)', 'x'.repeat(300)]) assert.throws(() => nfsHost(bad), invalid, bad);
});
