import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { generatePlugin, nameFromDirectory, validatePluginName } from './generate.js';

function scratch(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'openlsm-create-plugin-'));
}

test('the template becomes a plugin of the given name', () => {
  const root = scratch();
  try {
    const dir = path.join(root, 'acme-plugin');
    const files = generatePlugin(dir, 'acme');
    assert.deepEqual(files, ['.gitignore', 'README.md', 'bin/acme_lsmplugin', 'package.json', 'src/main.ts', 'src/plugin.test.ts', 'src/plugin.ts', 'tsconfig.json']);
    const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
    const manifest = JSON.parse(read('package.json')) as { name: string; bin: Record<string, string> };
    assert.equal(manifest.name, 'openlsm-plugin-acme');
    assert.deepEqual(manifest.bin, { acme_lsmplugin: 'bin/acme_lsmplugin' });
    assert.match(read('src/plugin.ts'), /export class AcmePlugin implements Plugin/);
    assert.match(read('src/plugin.ts'), /'acme:\/\/ needs a host: acme:\/\/admin@array\.example'/);
    assert.match(read('src/plugin.ts'), /id: 'ACME_POOL_1'/);
    assert.match(read('src/main.ts'), /new AcmePlugin\(\)/);
    for (const f of files) assert.ok(!/demo/i.test(read(f)), `${f} still says demo`);
    assert.equal(statSync(path.join(dir, 'bin/acme_lsmplugin')).mode & 0o777, 0o755);
    assert.match(read('.gitignore'), /^node_modules\/$/m);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('names that cannot be a URI scheme and a file name are refused, and so is a directory in use', () => {
  for (const bad of ['', 'Acme', '1acme', 'ac-me', 'a/b', '../x', 'a;b', 'x'.repeat(33), 'acme\n']) {
    assert.throws(() => validatePluginName(bad), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT && !err.message.includes('\n'), JSON.stringify(bad));
  }
  const root = scratch();
  try {
    writeFileSync(path.join(root, 'keep.txt'), 'mine');
    assert.throws(() => generatePlugin(root, 'acme'), /is not empty/);
    assert.equal(readFileSync(path.join(root, 'keep.txt'), 'utf8'), 'mine');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the default name comes from the directory', () => {
  assert.equal(nameFromDirectory('/tmp/acme-plugin'), 'acme');
  assert.equal(nameFromDirectory('openlsm-plugin-acme'), 'acme');
  assert.equal(nameFromDirectory('Acme_Storage'), 'acmestorage');
});
