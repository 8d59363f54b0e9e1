import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorNumber, LsmError, parseUri } from '@openlsm/core';
import { endpointFromUri } from './endpoint.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-targetd-endpoint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function invalid(pattern: RegExp) {
  return (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT && pattern.test(err.message);
}

test('targetd:// is HTTP on 18700 by default; +ssl is HTTPS with verification', () => {
  const plain = endpointFromUri(parseUri('targetd://admin@array.example.com'));
  assert.deepEqual(plain, { host: 'array.example.com', port: 18700, user: 'admin', ssl: false, origin: 'http://array.example.com:18700', label: 'array.example.com:18700', ca: undefined, verify: true });
  const tls = endpointFromUri(parseUri('targetd+ssl://root@[fe80::1]:9999'));
  assert.equal(tls.origin, 'https://[fe80::1]:9999');
  assert.equal(tls.verify, true);
  assert.equal(endpointFromUri(parseUri('targetd+ssl://u@h?no_ssl_verify=yes')).verify, false);
});

test('user and host are required; TLS parameters are checked', () => {
  assert.throws(() => endpointFromUri(parseUri('targetd://array')), invalid(/username/));
  assert.throws(() => endpointFromUri(parseUri('targetd://')), invalid(/host/));
  assert.throws(() => endpointFromUri(parseUri('targetd://u@h?ca_cert_file=/x')), invalid(/HTTPS only/));
  assert.throws(() => endpointFromUri(parseUri('targetd+ssl://u@h?no_ssl_verify=no')), invalid(/only "yes"/));
  assert.throws(() => endpointFromUri(parseUri(`targetd+ssl://u@h?ca_cert_file=${encodeURIComponent(path.join(dir, 'none.pem'))}`)), invalid(/ca_cert_file URI parameter does not exist/));
  const junk = path.join(dir, 'junk.pem');
  writeFileSync(junk, 'not a certificate');
  assert.throws(() => endpointFromUri(parseUri(`targetd+ssl://u@h?ca_cert_file=${encodeURIComponent(junk)}`)), invalid(/no PEM certificate/));
  const broken = path.join(dir, 'broken.pem');
  writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  assert.throws(() => endpointFromUri(parseUri(`targetd+ssl://u@h?ca_cert_file=${encodeURIComponent(broken)}`)), invalid(/no PEM certificate/));
  assert.throws(() => endpointFromUri(parseUri(`targetd+ssl://u@h?ca_cert_file=${encodeURIComponent(junk)}&no_ssl_verify=yes`)), invalid(/together/));
});
