import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { defaultSaveconfig, defaultTargetIqn, loadConfig } from './config.js';

test('settings from lio.yaml, URI parameters over them, strict checks', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-lio-config-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'lio.yaml');
  fs.writeFileSync(file, [
    'target_iqn: iqn.2003-01.COM.example:Array1', 'portals: ["192.0.2.1", "[::1]:3261"]',
    'pools:', '  images: { directory: /srv/lio }', '  disks: { devices: [/dev/sdb, /dev/sdc] }', 'saveconfig: /etc/target/saveconfig.json',
  ].join('\n'));
  const c = loadConfig({ config: file, configfs: '/tmp/cfs' });
  assert.equal(c.targetIqn, 'iqn.2003-01.com.example:array1');
  assert.deepEqual(c.portals, [{ ip: '192.0.2.1', port: 3260 }, { ip: '[::1]', port: 3261 }]);
  assert.deepEqual(c.pools, [{ name: 'images', kind: 'directory', directory: '/srv/lio' }, { name: 'disks', kind: 'block', devices: ['/dev/sdb', '/dev/sdc'] }]);
  assert.equal(c.configfs, '/tmp/cfs');
  assert.equal(c.saveconfig, '/etc/target/saveconfig.json');
  assert.equal(c.stateFile, '/etc/target/openlsm-lio.json');
  assert.equal(loadConfig({ config: file, saveconfig: '/x/s.json' }).stateFile, '/x/s.json'.replace('s.json', 'openlsm-lio.json'));
  const refused = (yaml: string, params: Record<string, string> = {}) => {
    fs.writeFileSync(file, yaml);
    assert.throws(() => loadConfig({ config: file, ...params }), (e: unknown) => e instanceof LsmError && e.code === ErrorNumber.INVALID_ARGUMENT, yaml);
  };
  refused('pools:\n  external: { directory: /x }\n');
  refused('pools:\n  a: { directory: relative }\n');
  refused('pools:\n  a: { directory: /x, devices: [/dev/sdb] }\n');
  refused('pools:\n  "../x": { directory: /x }\n');
  refused('pools:\n  a: { directory: "/with,comma" }\n');
  refused('target_iqn: not-an-iqn\n');
  refused('unknown_key: 1\n');
  refused('portals: "0.0.0.0"\n');
  refused('', { nosuch: 'x' });
  refused('', { configfs: 'relative' });
  assert.throws(() => loadConfig({ config: path.join(dir, 'missing.yaml') }), /Cannot read the lio configuration/);
});

test('defaults: targetcli\'s saveconfig path for the distribution, a stable target name', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-os-release-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const release = path.join(dir, 'os-release');
  fs.writeFileSync(release, 'ID=debian\nVERSION_ID="12"\n');
  assert.equal(defaultSaveconfig(release), '/etc/rtslib-fb-target/saveconfig.json');
  fs.writeFileSync(release, 'ID=linuxmint\nID_LIKE="ubuntu debian"\n');
  assert.equal(defaultSaveconfig(release), '/etc/rtslib-fb-target/saveconfig.json');
  fs.writeFileSync(release, 'ID="rhel"\nID_LIKE="fedora"\n');
  assert.equal(defaultSaveconfig(release), '/etc/target/saveconfig.json');
  assert.equal(defaultSaveconfig(path.join(dir, 'none')), '/etc/target/saveconfig.json');
  assert.match(defaultTargetIqn(), /^iqn\.2003-01\.org\.linux-iscsi\.[a-z0-9-]+\.[a-z0-9]+:openlsm$/);
  assert.equal(defaultTargetIqn(), defaultTargetIqn());
});
