/**
 * lsm's conformance suite (`openlsm-plugin-test`) through openlsm's targetd plugin against openlsm-targetd over
 * HTTPS, backed by the simulator: every check the plugin's capabilities call for passes when the appliance on the
 * other end is this server, and the run leaves nothing behind on it.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { leftovers, passwordFile, pluginTestJson, scratch } from '../conformance/conformance-env.js';
import { PASSWORD, startServer, USER } from './server-env.js';

test('openlsm-plugin-test: targetd+ssl:// to openlsm-targetd (sim backend)', async () => {
  const { dir, cleanup } = scratch('openlsm-targetd-conformance-');
  const server = await startServer({ tls: true });
  try {
    const uri = `targetd+ssl://${USER}@127.0.0.1:${server.port}?ca_cert_file=${encodeURIComponent(server.ca!.ca.certFile)}`;
    const env: NodeJS.ProcessEnv = { ...process.env, LSM_UDS_PATH: path.join(dir, 'no-daemon') };
    const { run, report } = await pluginTestJson(['--uri', uri, '--password-file', passwordFile(dir, PASSWORD)], env);
    const failed = report.results.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.message}`);
    assert.deepEqual(failed, [], `failed checks:\n${failed.join('\n')}\nstderr: ${run.stderr}`);
    assert.equal(run.code, 0);
    const passed = new Set(report.results.filter((r) => r.status === 'pass').map((r) => r.id));
    for (const id of ['volume_create', 'volume_create.name_conflict', 'volume_delete', 'volume_resize', 'volume_mask', 'access_group_create.iscsi', 'access_group_initiator.iscsi']) {
      assert.ok(passed.has(id), `${id} did not pass (${report.results.find((r) => r.id === id)?.status ?? 'not run'})`);
    }
    assert.deepEqual(await leftovers(uri, PASSWORD, env), [], 'the run left objects behind');
    assert.ok(!server.logLines().some((l) => l.level === 'error'), server.stderr().slice(-3000));
  } finally {
    await server.stop();
    cleanup();
  }
});
