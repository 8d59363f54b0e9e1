/**
 * The acceptance run: the built lsmcli drives the targetd double through targetd+ssl://, in embedded mode
 * (lsmcli starts targetd_lsmplugin itself) and through openlsmd (the plugin symlinked into the daemon's plugin
 * directory), and the failures a user meets, with lsmcli's exit codes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import type { AccessGroup, Volume } from '@openlsm/core';
import { type CliResult, type RunOptions } from '../cli/harness.js';
import { daemonEnv, type DaemonEnv, repoRoot } from '../daemon/daemon-env.js';
import { makeTestCa, type TestCa } from '../fixtures/test-ca.js';
import { IQN1, IQN2, targetdEnv, type TargetdEnv, THIN } from './targetd-env.js';

const targetdPluginPath = path.join(repoRoot, 'plugins/targetd/bin/targetd_lsmplugin.js');

let ca: TestCa;
before(() => { ca = makeTestCa(); });
after(() => ca.cleanup());

type Run = (argv: readonly string[], options?: RunOptions) => Promise<CliResult>;

function expectOk(r: CliResult, argv: readonly string[]): string {
  if (r.code !== 0 || r.stderr !== '') throw new Error(`lsmcli ${argv.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/**
 * Every acceptance command, in the order a user would run them, against `env`'s server through `run`. (Each
 * lsmcli run is two Node start-ups; the finer cases, such as the LUN ids of a second volume, are in
 * plugin.test.ts.)
 */
async function acceptance(env: TargetdEnv, run: Run, tag: string): Promise<void> {
  const ok = async (argv: readonly string[]) => expectOk(await run(argv), argv);
  const json = async <T>(argv: readonly string[]) => JSON.parse(await ok(['-o', 'json', ...argv])) as T;

  const systems = await ok(['list', '--type', 'systems']);
  assert.match(systems, /targetd\s+\|\s+127\.0\.0\.1/);
  const pools = await ok(['list', '--type', 'pools', '-t', ',']);
  assert.ok(pools.split('\n').some((l) => l.startsWith(`${THIN},`)), pools);

  const [vol] = await json<Volume[]>(['volume-create', '--name', `${tag}-v1`, '--size', '100MiB', '--pool', THIN]);
  assert.ok(vol);
  assert.equal(vol.id, env.server.state.block.pools.get(THIN)?.volumes.get(`${tag}-v1`)?.uuid);
  assert.ok((await json<Volume[]>(['list', '--type', 'volumes'])).some((v) => v.id === vol.id));
  const [grown] = await json<Volume[]>(['-f', 'volume-resize', '--vol', vol.id, '--size', '200MiB']);
  assert.equal(BigInt(grown?.num_of_blocks ?? 0) * 512n, 200n * 1024n * 1024n);

  const [copy] = await json<Volume[]>(['volume-replicate', '--vol', vol.id, '--name', `${tag}-copy`, '--rep-type', 'COPY']);
  assert.equal(copy?.name, `${tag}-copy`);
  // -b: the job id, exit 7; then job-status from another process finds the copy on targetd.
  const started = await run(['-b', 'volume-replicate', '--vol', vol.id, '--name', `${tag}-copy2`, '--rep-type', 'COPY']);
  assert.equal(started.code, 7, started.stderr);
  const jobId = started.stdout.trim();
  assert.match(jobId, /^COPY_[A-Za-z0-9_-]+$/);
  const status = await json<{ status: string; item: Volume }>(['job-status', '--job', jobId]);
  assert.equal(status.status, 'COMPLETE');
  assert.equal(status.item.name, `${tag}-copy2`);

  const [ag] = await json<AccessGroup[]>(['access-group-create', '--name', `${tag}-ag`, '--init', IQN1, '--sys', 'targetd']);
  assert.deepEqual(ag?.init_ids, [IQN1]);
  const [two] = await json<AccessGroup[]>(['access-group-add', '--ag', `${tag}-ag`, '--init', IQN2]);
  assert.deepEqual(two?.init_ids, [IQN1, IQN2]);
  const [one] = await json<AccessGroup[]>(['access-group-remove', '--ag', `${tag}-ag`, '--init', IQN2]);
  assert.deepEqual(one?.init_ids, [IQN1]);

  await ok(['volume-mask', '--vol', vol.id, '--ag', `${tag}-ag`]);
  assert.deepEqual(env.server.state.lio.accessGroupMapList().filter((m) => m.ag_name === `${tag}-ag`).map((m) => [m.vol_name, m.h_lun_id]), [[`${tag}-v1`, 0]]);
  assert.deepEqual((await json<Volume[]>(['access-group-volumes', '--ag', `${tag}-ag`])).map((v) => v.id), [vol.id]);
  assert.deepEqual((await json<AccessGroup[]>(['volume-access-group', '--vol', vol.id])).map((g) => g.id), [`${tag}-ag`]);

  await ok(['iscsi-chap', '--init', IQN1, '--in-user', 'chapuser', '--in-pass', 'chap-secret-1', '--out-user', 'mutual', '--out-pass', 'chap-secret-2']);
  assert.deepEqual(env.server.state.lio.chap(IQN1), { userid: 'chapuser', password: 'chap-secret-1', mutualUserid: 'mutual', mutualPassword: 'chap-secret-2' });

  await ok(['volume-unmask', '--vol', vol.id, '--ag', `${tag}-ag`]);
  assert.deepEqual(env.server.state.lio.accessGroupMapList().filter((m) => m.ag_name === `${tag}-ag`), []);
  await ok(['access-group-delete', '--ag', `${tag}-ag`]);
  await ok(['-f', 'volume-delete', '--vol', vol.id]);
  assert.deepEqual([...(env.server.state.block.pools.get(THIN)?.volumes.keys() ?? [])].filter((n) => n.startsWith(tag)), [`${tag}-copy`, `${tag}-copy2`]);
}

describe('lsmcli with targetd+ssl://, embedded', () => {
  let env: TargetdEnv;
  before(async () => { env = await targetdEnv({ ca, delays: { vol_copy: 300 } }); });
  after(() => env.cleanup());

  test('systems, pools, volumes, copies and their jobs, access groups, masks, CHAP', async () => {
    await acceptance(env, (argv, o) => env.cli(argv, o), 'emb');
  });

  test('a wrong password: exit 4, PLUGIN_AUTH_FAILED, after the tarpit, from a single request', async () => {
    const before = env.server.requests.length;
    const started = performance.now();
    const r = await env.cli(['list', '--type', 'pools'], { env: { LSMCLI_PASSWORD: 'wrong' } });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^PLUGIN_AUTH_FAILED\(300\): targetd at 127\.0\.0\.1:\d+ refused user "admin" \(HTTP 401\)/);
    assert.ok(performance.now() - started >= 1900);
    assert.deepEqual(env.server.requests.slice(before).map((q) => q.status), [401]);
  });

  test('an untrusted certificate: exit 4 naming the cause; no_ssl_verify=yes connects and says so in the log', async () => {
    const r = await env.cli(['list', '--type', 'systems'], { uri: env.server.uri() });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^NETWORK_ERROR\(142\): TLS: the certificate of targetd at .* is signed by a CA that is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
    const loose = await env.cli(['list', '--type', 'systems'], { uri: env.server.uri('no_ssl_verify=yes'), env: { OPENLSM_LOG_LEVEL: 'warn' } });
    assert.equal(loose.code, 0, loose.stderr);
    assert.match(loose.stdout, /targetd/);
    const warning = loose.stderr.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { level: string; message: string });
    assert.ok(warning.some((w) => w.level === 'warn' && /verification is OFF/.test(w.message)), loose.stderr);
  });

  test('server down: exit 4 NETWORK_CONNREFUSED; a server that never answers: TIMEOUT at -w', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((r) => server.close(r));
    const down = await env.cli(['list', '--type', 'pools'], { uri: `targetd://admin@127.0.0.1:${port}` });
    assert.equal(down.code, 4);
    assert.match(down.stderr, /^NETWORK_CONNREFUSED\(140\)/);

    env.server.setFault('hang');
    try {
      const started = performance.now();
      const hung = await env.cli(['-w', '1500', 'list', '--type', 'pools']);
      assert.equal(hung.code, 4);
      assert.match(hung.stderr, /^TIMEOUT\(11\)/);
      assert.ok(performance.now() - started >= 1400);
    } finally {
      env.server.setFault(null);
    }
  });

  test('garbage from the server: exit 4 with a clear message, no stack trace', async () => {
    env.server.setFault('garbage');
    try {
      const r = await env.cli(['list', '--type', 'pools']);
      assert.equal(r.code, 4);
      assert.match(r.stderr, /^NETWORK_ERROR\(142\): targetd at .* answered access_group_list with something that is not JSON/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    } finally {
      env.server.setFault(null);
    }
  });

  test('a hostile volume name is refused before anything is sent', async () => {
    const sent = env.server.requests.filter((q) => q.method === 'vol_create').length;
    // One name with every hazard ('/', '..', ';', a newline, 10,000 characters); errors.test.ts tries each
    // on its own through the SDK.
    const r = await env.cli(['volume-create', '--name', `../a;b\n${'x'.repeat(10_000)}`, '--size', '1MiB', '--pool', THIN]);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^INVALID_ARGUMENT\(101\): Invalid volume name/);
    assert.ok(r.stderr.length < 400);
    assert.equal(env.server.requests.filter((q) => q.method === 'vol_create').length, sent);
  });

  test('the debug log shows every targetd call and never the password or a CHAP secret', async () => {
    const r = await env.cli(['iscsi-chap', '--init', IQN2, '--in-user', 'u1', '--in-pass', 'Chap-Secret-XYZ', '--out-user', 'u2', '--out-pass', 'Mutual-Secret-XYZ'], { env: { OPENLSM_LOG_LEVEL: 'debug' } });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const calls = lines.filter((l) => l.message === 'targetd call');
    assert.deepEqual(calls.map((l) => l.method).slice(-1), ['initiator_set_auth']);
    const chap = calls.at(-1)?.params as Record<string, unknown>;
    assert.equal(chap.in_pass, '***');
    assert.equal(chap.out_pass, '***');
    for (const secret of [env.server.password, Buffer.from(`admin:${env.server.password}`).toString('base64'), 'Chap-Secret-XYZ', 'Mutual-Secret-XYZ']) {
      assert.ok(!r.stderr.includes(secret), `stderr leaks ${secret}`);
    }
  });
});

describe('lsmcli with targetd+ssl:// through openlsmd', () => {
  let env: TargetdEnv;
  let daemon: DaemonEnv;
  before(async () => {
    env = await targetdEnv({ ca, delays: { vol_copy: 300 } });
    daemon = daemonEnv({ plugins: [] });
    daemon.addPlugin('targetd', targetdPluginPath);
    await daemon.start();
  });
  after(async () => {
    await daemon.cleanup();
    await env.cleanup();
  });

  const viaDaemon: Run = (argv, o = {}) => env.cli(argv, { ...o, env: { LSM_UDS_PATH: daemon.socketDir, ...o.env } });

  test('the same acceptance run, with the plugin served by openlsmd', async () => {
    const check = await viaDaemon(['list', '--type', 'plugins']);
    assert.match(check.stdout, /Linux LIO target support/);
    await acceptance(env, viaDaemon, 'dmn');
  });

  test('a wrong password through the daemon: exit 4 PLUGIN_AUTH_FAILED', async () => {
    const r = await viaDaemon(['list', '--type', 'pools'], { env: { LSMCLI_PASSWORD: 'wrong' } });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^PLUGIN_AUTH_FAILED\(300\)/);
  });
});
