import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { test } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { attrValue, formatSaveConfig, parseSaveConfig, type SaveConfig } from './format.js';

const DOC = {
  targets: [{ wwn: 'iqn.2003-01.org.example:t', fabric: 'iscsi', tpgs: [{ tag: 1, enable: true, luns: [], portals: [], node_acls: [], parameters: { TargetAlias: 'LIO "Target"\\ é ☃ \u0001' } }] }],
  storage_objects: [{ name: 'v', plugin: 'fileio', alua_tpgs: [], attributes: { b: 1, a: 'x' }, size: 4096, write_back: false }],
  fabric_modules: [],
} as unknown as SaveConfig;

test('the text is what Python\'s json.dumps(sort_keys=True, indent=2) writes, plus a newline', () => {
  const text = formatSaveConfig(DOC);
  assert.ok(text.startsWith('{\n  "fabric_modules": [],\n  "storage_objects": [\n    {\n      "alua_tpgs": [],\n      "attributes": {\n        "a": "x",'));
  assert.ok(text.includes('"TargetAlias": "LIO \\"Target\\"\\\\ \\u00e9 \\u2603 \\u0001"'));
  assert.ok(text.endsWith('}\n'));
  if (fs.existsSync('/usr/bin/python3')) {
    const py = spawnSync('/usr/bin/python3', ['-c', 'import json,sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), sort_keys=True, indent=2) + "\\n")'], { input: JSON.stringify(DOC), encoding: 'utf8' });
    assert.equal(text, py.stdout);
  }
});

test('attribute values are integers where Python\'s int() takes them', () => {
  assert.equal(attrValue('128'), 128);
  assert.equal(attrValue('-1'), -1);
  assert.equal(attrValue('1_000'), 1000);
  assert.equal(attrValue('0x10'), '0x10');
  assert.equal(attrValue('CHAP,None'), 'CHAP,None');
});

test('a document that is not saveconfig.json is refused; missing lists are empty', () => {
  assert.deepEqual(parseSaveConfig('{}', 'f'), { fabric_modules: [], storage_objects: [], targets: [] });
  for (const bad of ['[]', '{"targets": {}}', '{"storage_objects": [1]}', 'not json']) {
    assert.throws(() => parseSaveConfig(bad, 'f'), (e: unknown) => e instanceof LsmError && e.code === ErrorNumber.INVALID_ARGUMENT);
  }
});
