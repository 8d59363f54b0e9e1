import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPluginExecutable, listPluginExecutables, pluginDirectories, socketDirectory } from './index.js';

test('the socket directory: LSM_UDS_PATH first', () => {
  assert.equal(socketDirectory({ LSM_UDS_PATH: '/tmp/x' }), '/tmp/x');
  const isRoot = process.getuid?.() === 0;
  assert.equal(socketDirectory({ XDG_RUNTIME_DIR: '/run/user/1000' }), isRoot ? '/run/openlsm/ipc' : '/run/user/1000/openlsm/ipc');
  assert.equal(socketDirectory({}), '/run/openlsm/ipc');
});

test('plugin executables are found in OPENLSM_PLUGIN_DIR, in order, then in node_modules/.bin', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'openlsm-locate-'));
  try {
    const first = path.join(root, 'first');
    const second = path.join(root, 'second');
    mkdirSync(first);
    mkdirSync(second);
    const write = (file: string, mode: number) => { writeFileSync(file, '#!/bin/false\n'); chmodSync(file, mode); };
    write(path.join(second, 'a_lsmplugin'), 0o755);
    write(path.join(first, 'a_lsmplugin'), 0o755);
    write(path.join(first, 'noexec_lsmplugin'), 0o644);
    write(path.join(second, 'b_lsmplugin'), 0o755);
    symlinkSync(path.join(second, 'b_lsmplugin'), path.join(first, 'link_lsmplugin'));
    symlinkSync(path.join(root, 'missing'), path.join(first, 'dangling_lsmplugin'));
    mkdirSync(path.join(first, 'dir_lsmplugin'));
    const env = { OPENLSM_PLUGIN_DIR: `${first}::${second}` };
    const dirs = pluginDirectories(env);
    assert.deepEqual(dirs.slice(0, 2), [first, second]);
    assert.ok(dirs.slice(2).every((d) => d.endsWith(path.join('node_modules', '.bin'))));
    assert.equal(findPluginExecutable('a', env), path.join(first, 'a_lsmplugin'));
    assert.equal(findPluginExecutable('b', env), path.join(second, 'b_lsmplugin'));
    assert.equal(findPluginExecutable('link', env), path.join(first, 'link_lsmplugin'));
    for (const missing of ['noexec', 'dangling', 'dir', 'none']) assert.equal(findPluginExecutable(missing, env), undefined, missing);
    // A relative entry is taken from the current directory, and what is found is an absolute path.
    const relative = { OPENLSM_PLUGIN_DIR: path.relative(process.cwd(), second) };
    assert.equal(pluginDirectories(relative)[0], second);
    assert.equal(findPluginExecutable('b', relative), path.join(second, 'b_lsmplugin'));
    const listed = listPluginExecutables(env);
    assert.equal(listed.get('a'), path.join(first, 'a_lsmplugin'));
    assert.equal(listed.get('b'), path.join(second, 'b_lsmplugin'));
    assert.equal(listed.has('noexec'), false);
    assert.equal(listed.has('dangling'), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
