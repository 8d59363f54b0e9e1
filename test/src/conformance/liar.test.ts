/**
 * The conformance suite must fail a plugin that claims what it does not honour (test/src/fixtures/liar-plugin.ts:
 * volumes it forgets, deletes that delete nothing, access groups it cannot remove), name each broken check and
 * what it left behind, list every skipped check with the capability that gates it, and exit 1.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pluginDir, pluginTest, pluginTestJson, scratch } from './conformance-env.js';

const liar = fileURLToPath(new URL('../fixtures/liar-plugin.js', import.meta.url));

function liarEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, OPENLSM_PLUGIN_DIR: pluginDir(dir, 'liar', liar), LSM_UDS_PATH: path.join(dir, 'no-daemon') };
}

test('a plugin that claims capabilities it does not honour fails, check by check', async () => {
  const { dir, cleanup } = scratch('openlsm-liar-');
  try {
    const { run, report } = await pluginTestJson(['--uri', 'liar://'], liarEnv(dir));
    assert.equal(run.code, 1, run.stderr);
    const status = new Map(report.results.map((r) => [r.id, r]));
    const failedWith = (id: string, message: RegExp) => {
      const r = status.get(id);
      assert.equal(r?.status, 'fail', `${id} should fail: ${JSON.stringify(r)}`);
      assert.match(r.message ?? '', message, id);
    };
    // What the kit does for it is right.
    for (const id of ['session.plugin_info', 'protocol.flags', 'protocol.search_key', 'session.unregister', 'pools']) {
      assert.equal(status.get(id)?.status, 'pass', id);
    }
    failedWith('volume_create', /is not listed by volumes\(\)/);
    failedWith('volume_create.name_conflict', /expected NAME_CONFLICT \(50\), but it succeeded/);
    failedWith('volume_create.not_found_pool', /expected NOT_FOUND_POOL \(203\), but it succeeded/);
    failedWith('volume_delete', /expected NOT_FOUND_VOLUME \(205\), but it succeeded/);
    failedWith('access_group_create.iscsi', /unexpected NO_SUPPORT \(153\).*left behind: access group olsmct_ag_\w+ \(LAG_\d+\): NO_SUPPORT/);
    failedWith('access_group_create.iscsi.conflicts', /expected NAME_CONFLICT \(50\), but it succeeded/);
    // Checks of capabilities it does not claim are skipped, each naming what it needs.
    assert.deepEqual(status.get('fs_create')?.missing, ['FS', 'FS_CREATE', 'FS_DELETE']);
    assert.deepEqual(status.get('volume_resize')?.missing, ['VOLUME_RESIZE']);
    assert.equal(status.get('access_group_create.wwpn')?.status, 'skip');
    assert.equal(report.failed, report.results.filter((r) => r.status === 'fail').length);
    assert.ok(report.failed >= 6);
  } finally {
    cleanup();
  }
});

test('the human report: a line per check, skips with their capabilities, failures again at the end', async () => {
  const { dir, cleanup } = scratch('openlsm-liar-');
  try {
    const run = await pluginTest(['--uri', 'liar://', '--only', 'volume_create', '--only', 'fs_delete'], liarEnv(dir));
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^plug-in: a plugin that claims more than it does 0\.0\.1 \(liar:\/\/\)$/m);
    assert.match(run.stdout, /^FAIL {2}volume_create \[liar-01\] {2}volume_create makes .*\n {8}the new volume LV_olsmct_v_\w+ is not listed by volumes\(\)$/m);
    assert.match(run.stdout, /^skip {2}fs_delete \[liar-01\] {2}needs FS, FS_CREATE, FS_DELETE \(not claimed\)$/m);
    assert.match(run.stdout, /^failed \(4\):\n {2}volume_create \[liar-01\]: /m);
    assert.match(run.stdout, /^FAIL {2}0 passed, 4 failed, 1 skipped$/m);
  } finally {
    cleanup();
  }
});

test('bad usage is exit code 2 with the usage text; a password file that cannot be read is named', async () => {
  const { dir, cleanup } = scratch('openlsm-liar-');
  try {
    const env = liarEnv(dir);
    const noUri = await pluginTest([], env);
    assert.equal(noUri.code, 2);
    assert.match(noUri.stderr, /--uri is required\nusage: openlsm-plugin-test --uri URI/);
    const unknown = await pluginTest(['--uri', 'liar://', '--bogus'], env);
    assert.equal(unknown.code, 2);
    const nothing = await pluginTest(['--uri', 'liar://', '--only', 'no_such_check'], env);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /no check id contains "no_such_check"; the ids are: session\.plugin_info, /);
    const missing = await pluginTest(['--uri', 'liar://', '--password-file', path.join(dir, 'none')], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read the password file: ENOENT/);
    const help = await pluginTest(['--help'], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: openlsm-plugin-test/);
  } finally {
    cleanup();
  }
});

test('a plugin without systems fails, and its session and protocol are still checked', async () => {
  const { dir, cleanup } = scratch('openlsm-liar-');
  try {
    const { run, report } = await pluginTestJson(['--uri', 'liar://?systems=none'], liarEnv(dir));
    assert.equal(run.code, 1);
    assert.match(report.results.find((r) => r.id === 'systems')?.message ?? '', /systems\(\) is empty/);
    assert.equal(report.results.find((r) => r.id === 'protocol.flags')?.status, 'pass');
    assert.ok(!report.results.some((r) => r.system !== undefined), 'no per-system check ran');
  } finally {
    cleanup();
  }
});

test('a URI whose plugin does not exist fails the run with PLUGIN_NOT_EXIST', async () => {
  const { dir, cleanup } = scratch('openlsm-liar-');
  try {
    const { run, report } = await pluginTestJson(['--uri', 'nosuchplugin://'], liarEnv(dir));
    assert.equal(run.code, 1);
    assert.equal(report.results.length, 1);
    assert.match(report.results[0]?.message ?? '', /^PLUGIN_NOT_EXIST \(311\)/);
  } finally {
    cleanup();
  }
});
