import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArgError } from './errors.js';
import { checkPasswordUser, chooseUri, parseWait, pluginEnvironment, uriFromConfigFile } from './settings.js';

describe('connection settings', () => {
  test('URI precedence: -u, then LSMCLI_URI, then ~/.lsmcli', (t) => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'lsmcli-home-'));
    t.after(() => rmSync(home, { recursive: true, force: true }));
    writeFileSync(path.join(home, '.lsmcli'), '# settings\nfoo=bar\nuri = sim://?statefile=/x\n');
    assert.equal(uriFromConfigFile({ HOME: home }), 'sim://?statefile=/x');
    assert.equal(chooseUri(undefined, { HOME: home }), 'sim://?statefile=/x');
    assert.equal(chooseUri(undefined, { HOME: home, LSMCLI_URI: 'sim://env' }), 'sim://env');
    assert.equal(chooseUri('sim://flag', { HOME: home, LSMCLI_URI: 'sim://env' }), 'sim://flag');
    assert.equal(chooseUri(undefined, { HOME: path.join(home, 'none') }), undefined);
  });

  test('-w must be a positive integer', () => {
    assert.equal(parseWait(undefined), 30000);
    assert.equal(parseWait('500'), 500);
    for (const bad of ['0', '-1', 'abc', '1.5', '']) {
      assert.throws(() => parseWait(bad), (e) => e instanceof ArgError && e.message === '[-w|--wait] requires a non-zero positive integer');
    }
  });

  test('a password needs a user name in the URI', () => {
    checkPasswordUser('targetd://admin@host', 'pw');
    checkPasswordUser('sim://', null);
    assert.throws(() => checkPasswordUser('sim://', 'pw'), /password specified with no user name in uri/);
    assert.throws(() => checkPasswordUser('sim://?x=a@b', 'pw'), ArgError);
  });
});

describe('pluginEnvironment', () => {
  test('passes the environment on without the password', () => {
    const env = pluginEnvironment({ PATH: '/bin', LSMCLI_PASSWORD: 's3cret', LSM_SIM_TIME: '0' });
    assert.deepEqual(env, { PATH: '/bin', LSM_SIM_TIME: '0' });
  });
});
