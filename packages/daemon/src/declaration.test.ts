import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { declaresRoot } from './declaration.js';

test('a plugin declares root in its package.json; found through npm\'s .bin link', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-declaration-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const pkg = (name: string, body: string) => {
    fs.mkdirSync(path.join(dir, name, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(dir, name, 'package.json'), body);
    fs.writeFileSync(path.join(dir, name, 'bin', `${name}_lsmplugin.js`), '');
    return path.join(dir, name, 'bin', `${name}_lsmplugin.js`);
  };
  const rooty = pkg('rooty', JSON.stringify({ name: 'rooty', openlsm: { requireRoot: true } }));
  const plain = pkg('plain', JSON.stringify({ name: 'plain' }));
  const odd = pkg('odd', JSON.stringify({ openlsm: { requireRoot: 'yes' } }));
  const broken = pkg('broken', '{ not json');
  fs.mkdirSync(path.join(dir, '.bin'));
  fs.symlinkSync(rooty, path.join(dir, '.bin', 'rooty_lsmplugin'));
  assert.equal(declaresRoot(path.join(dir, '.bin', 'rooty_lsmplugin')), true);
  assert.equal(declaresRoot(rooty), true);
  assert.equal(declaresRoot(plain), false);
  assert.equal(declaresRoot(odd), false, 'only true declares');
  assert.equal(declaresRoot(broken), false);
  assert.equal(declaresRoot(path.join(dir, 'missing')), false);
});

test('a package of several plugins names the ones that need root by their bin', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-declaration-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'bin'));
  for (const name of ['rooty', 'plain']) fs.writeFileSync(path.join(dir, 'bin', `${name}_lsmplugin.js`), '');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'several',
    bin: { rooty_lsmplugin: 'bin/rooty_lsmplugin.js', plain_lsmplugin: 'bin/plain_lsmplugin.js' },
    openlsm: { requireRoot: ['rooty_lsmplugin'] },
  }));
  assert.equal(declaresRoot(path.join(dir, 'bin', 'rooty_lsmplugin.js')), true);
  assert.equal(declaresRoot(path.join(dir, 'bin', 'plain_lsmplugin.js')), false);
});
