import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { DEFAULT_SOCKET, DEFAULT_STATE_DIR, loadConfig, parseConfig } from './config.js';

function invalid(pattern: RegExp) {
  return (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT && pattern.test(err.message);
}

test('a full configuration, and the defaults of an empty one', () => {
  const c = parseConfig([
    'socket: /run/tgtd/socket.3',
    'state_dir: /var/lib/openlsm/tgt-3',
    'target_prefix: iqn.2024-05.com.example.storage',
    'portals: [192.0.2.10:3260, "[2001:db8::1]:3260"]',
    'system_name: lab tgtd',
    'pools:',
    '  - { name: images, directory: /srv/images/ }',
    '  - { name: disks, devices: [/dev/disk/by-id/wwn-0x5000c500a1b2c3d4, /dev/sdz] }',
  ].join('\n'), 'tgt.yaml');
  assert.equal(c.socket, '/run/tgtd/socket.3');
  assert.deepEqual(c.portals, [{ host: '192.0.2.10', port: 3260 }, { host: '2001:db8::1', port: 3260 }]);
  assert.deepEqual(c.pools, [
    { kind: 'directory', name: 'images', directory: '/srv/images/' },
    { kind: 'devices', name: 'disks', devices: ['/dev/disk/by-id/wwn-0x5000c500a1b2c3d4', '/dev/sdz'] },
  ]);
  const d = parseConfig('', 'tgt.yaml');
  assert.deepEqual([d.socket, d.stateDir, d.portals, d.pools], [DEFAULT_SOCKET, DEFAULT_STATE_DIR, [], []]);
});

test('a portal on every address is refused unless asked for in so many words', () => {
  assert.throws(() => parseConfig('portals: [0.0.0.0:3260]', 'f'), invalid(/listens on every address/));
  assert.throws(() => parseConfig('portals: ["[::]:3260"]', 'f'), invalid(/listens on every address/));
  assert.equal(parseConfig('portals: [0.0.0.0:3260]\nlisten_on_all_addresses: true', 'f').portals.length, 1);
});

test('typos, bad values and hostile paths are errors naming the file and the setting', () => {
  const cases: [string, RegExp][] = [
    ['sockett: /x', /"sockett" is not a setting/],
    ['socket: relative/path', /socket must be an absolute path/],
    [`socket: /${'x'.repeat(120)}`, /longer than a Unix socket path/],
    ['target_prefix: IQN.2024-01.ORG.X', /target_prefix must be a lower-case/],
    ['target_prefix: iqn.2024-13.org.x', /target_prefix/],
    ['pools: [{ name: a, directory: /srv/a, devices: [/dev/sda] }]', /needs either directory or devices/],
    ['pools: [{ name: "a b", directory: /srv/a }]', /name must be 1-64/],
    ['pools: [{ name: a, directory: "/srv/a,bsoflags=direct" }]', /Invalid backing store path/],
    ['pools: [{ name: a, directory: /srv/a }, { name: a, directory: /srv/b }]', /used twice/],
    ['pools: [{ name: d, devices: [/dev/a/sdb, /dev/b/sdb] }]', /same file name/],
    ['pools: [{ name: a, dir: /srv/a }]', /pools\[0\]\.dir is not a pool setting/],
    ['portals: [localhost:3260]', /Invalid portal/],
    ['a: [unclosed', /tgt\.yaml/],
  ];
  for (const [text, pattern] of cases) assert.throws(() => parseConfig(text, 'tgt.yaml'), invalid(pattern), text);
});

test('a configuration file others could have written is refused', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-tgt-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'tgt.yaml');
  writeFileSync(file, 'pools: []\n', { mode: 0o600 });
  assert.deepEqual(loadConfig(file).pools, []);
  chmodSync(file, 0o620);
  assert.throws(() => loadConfig(file), invalid(/writable by its group/));
  chmodSync(file, 0o602);
  assert.throws(() => loadConfig(file), invalid(/writable by everyone/));
  assert.throws(() => loadConfig(path.join(dir, 'missing.yaml')), invalid(/no such configuration file/));
  assert.throws(() => loadConfig(dir), invalid(/not a regular file/));
  assert.throws(() => loadConfig('relative.yaml'), invalid(/absolute path/));
});
