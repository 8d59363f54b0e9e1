import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { DEFAULT_PORT, parseServerConfig } from './config.js';

const BASE = 'backend: "sim://"\npassword: "pw"\n';

function refused(text: string, pattern: RegExp): void {
  assert.throws(() => parseServerConfig(text, 'targetd.yaml'), (err: unknown) => {
    assert.ok(err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT, String(err));
    assert.match(err.message, pattern);
    return true;
  });
}

describe('openlsm-targetd configuration', () => {
  it('defaults: loopback, port 18700, every backend pool, targetd cert paths, info', () => {
    const c = parseServerConfig(BASE, 'targetd.yaml');
    assert.equal(c.listen, '127.0.0.1');
    assert.equal(c.port, DEFAULT_PORT);
    assert.equal(c.user, 'admin');
    assert.equal(c.blockPools, undefined);
    assert.deepEqual(c.fsPools, []);
    assert.equal(c.ssl, false);
    assert.equal(c.sslCert, '/etc/target/targetd_cert.pem');
    assert.equal(c.sslKey, '/etc/target/targetd_key.pem');
    assert.equal(c.logLevel, 'info');
    assert.equal(c.backendPassword, null);
    assert.equal(c.targetName, undefined);
  });

  it('binding to every address is possible, but only when written', () => {
    assert.equal(parseServerConfig(`${BASE}listen: 0.0.0.0\n`, 'f').listen, '0.0.0.0');
    assert.equal(parseServerConfig(`${BASE}listen: "::"\n`, 'f').listen, '::');
    refused(`${BASE}listen: ""\n`, /listen must be an IPv4 or IPv6 address/);
    refused(`${BASE}listen: my-host\n`, /listen must be an IPv4 or IPv6 address/);
  });

  it("targetd's keys with targetd's meaning: pools, levels, the legacy pool_name", () => {
    const c = parseServerConfig(`${BASE}block_pools: [vg1, {name: thin, pool: POOL_ID_00004}]\nfs_pools: [{name: /srv/fs, pool: P2}]\nlog_level: warning\n`, 'f');
    assert.deepEqual(c.blockPools, [{ name: 'vg1', pool: 'vg1' }, { name: 'thin', pool: 'POOL_ID_00004' }]);
    assert.deepEqual(c.fsPools, [{ name: '/srv/fs', pool: 'P2' }]);
    assert.equal(c.logLevel, 'warn');
    assert.equal(parseServerConfig(`${BASE}log_level: critical\n`, 'f').logLevel, 'error');
    const legacy = parseServerConfig(`${BASE}pool_name: vg0\n`, 'f');
    assert.deepEqual(legacy.blockPools, [{ name: 'vg0', pool: 'vg0' }]);
    assert.match(legacy.warnings[0] ?? '', /pool_name is deprecated/);
    refused(`${BASE}pool_name: a\nblock_pools: [b]\n`, /keep only block_pools/);
    refused(`${BASE}block_pools: [a, a]\n`, /names "a" twice/);
    refused(`${BASE}block_pools: [/x]\n`, /must not start with "\/"/);
    refused(`${BASE}block_pools: [{name: a}]\n`, /entries must be pool names or ids/);
    refused(`${BASE}block_pools: [{name: a, pool: b, extra: c}]\n`, /entries must be pool names or ids/);
    refused(`${BASE}block_pools: ["a\\tb"]\n`, /printable characters/);
  });

  it('unknown keys and bad values name the key and its place', () => {
    refused(`${BASE}\nsssl: true\n`, /^targetd\.yaml:4:1: sssl is not a setting/);
    refused(`${BASE}port: -1\n`, /^targetd\.yaml:3:7: port must be an integer from 0 to 65535$/);
    refused(`${BASE}call_timeout_ms: 10\n`, /call_timeout_ms must be an integer from 100/);
    refused(`${BASE}backend_sessions: 0\n`, /backend_sessions must be an integer from 1 to 16/);
    refused(`${BASE}state_file: relative.json\n`, /state_file must be an absolute path/);
    refused(`${BASE}user: "\\u0007"\n`, /user must not contain control characters/);
    refused(`${BASE}portal_addresses: [192.0.2.1, nope]\n`, /portal_addresses must be an IPv4 or IPv6 address/);
    refused('password: "pw"\nbackend: "sim://"\nbackend: "lio://"\n', /Map keys must be unique/);
    refused('backend: [unclosed\n', /^targetd\.yaml:2:1: /);
  });

  it('the password: required, a string, and may hold ":"', () => {
    assert.equal(parseServerConfig('backend: "sim://"\npassword: "a:b:c"\n', 'f').password, 'a:b:c');
    refused('backend: "sim://"\npassword: 1234\n', /password must be a string: quote it/);
    refused('backend: "sim://"\npassword:\n', /^password not set in targetd\.yaml$/);
    refused('backend: "sim://"\npassword: ""\n', /^password not set in targetd\.yaml$/);
    refused('backend: "sim://"\n', /^password not set in targetd\.yaml$/);
  });

  it('the example in packaging/ is a valid configuration', () => {
    const file = new URL('../../../packaging/targetd.yaml', import.meta.url);
    const c = parseServerConfig(readFileSync(file, 'utf8'), 'packaging/targetd.yaml');
    assert.equal(c.backend, 'lio://');
    assert.equal(c.listen, '127.0.0.1');
    assert.deepEqual(c.blockPools, [{ name: 'vg-targetd', pool: 'POOL_ID_00004' }]);
  });
});
