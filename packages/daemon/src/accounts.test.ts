import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lookupGroup, lookupUser } from './accounts.js';
import { DEFAULT_PLUGIN_SETTINGS, defaultConfig } from './config.js';
import { pluginIdentity } from './daemon.js';

describe('accounts and plugin identity', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsmd-accounts-'));
  const passwd = path.join(dir, 'passwd');
  const group = path.join(dir, 'group');
  writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/sh\nopenlsm:x:990:985:openlsm:/:/usr/sbin/nologin\n# comment\n');
  writeFileSync(group, 'root:x:0:\nopenlsm:x:985:\nstorage:x:970:alice\n');

  test('names and numbers resolve from passwd and group files', () => {
    assert.deepEqual(lookupUser('openlsm', passwd), { name: 'openlsm', uid: 990, gid: 985 });
    assert.deepEqual(lookupUser('990', passwd), { name: 'openlsm', uid: 990, gid: 985 });
    assert.equal(lookupUser('nobody-here', passwd), undefined);
    assert.equal(lookupGroup('storage', group), 970);
    assert.equal(lookupGroup('1234', group), 1234);
    assert.equal(lookupGroup('nogroup-here', group), undefined);
    assert.equal(lookupUser('x', path.join(dir, 'missing')), undefined);
  });

  test('lsm\'s rules: root only when allowed, required, and the daemon is root', () => {
    const files = { passwd, group };
    const base = defaultConfig('/run/openlsm/ipc');
    const plain = DEFAULT_PLUGIN_SETTINGS;
    const needsRoot = { ...plain, requireRoot: true };
    assert.deepEqual(pluginIdentity(base, plain, 0, files), { uid: 990, gid: 985, runsAsRoot: false });
    assert.deepEqual(pluginIdentity(base, needsRoot, 0, files), { uid: 990, gid: 985, runsAsRoot: false });
    assert.deepEqual(pluginIdentity({ ...base, allowPluginRoot: true }, needsRoot, 0, files), { uid: undefined, gid: undefined, runsAsRoot: true });
    assert.deepEqual(pluginIdentity({ ...base, allowPluginRoot: true }, plain, 0, files), { uid: 990, gid: 985, runsAsRoot: false });
    assert.deepEqual(pluginIdentity({ ...base, group: 'storage' }, plain, 0, files), { uid: 990, gid: 970, runsAsRoot: false });
    // A daemon that is not root starts plugins as itself.
    assert.deepEqual(pluginIdentity(base, needsRoot, 1000, files), { uid: undefined, gid: undefined, runsAsRoot: false });
    // The user does not exist: like lsmd, keep the current user.
    assert.deepEqual(pluginIdentity({ ...base, user: 'ghost' }, plain, 0, files), { uid: undefined, gid: undefined, runsAsRoot: true });
  });

  test.after(() => rmSync(dir, { recursive: true, force: true }));
});
