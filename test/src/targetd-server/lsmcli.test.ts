/**
 * The acceptance workflow, end to end: the built `lsmcli`, through openlsm's targetd plugin
 * (`targetd+ssl://`, verifying the server's certificate against a CA made in the test), drives the built
 * openlsm-targetd on 127.0.0.1, itself backed by an openlsm backend. Every step is then checked on the server's
 * own API as a targetd client sees it (LUN numbers included).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CliResult, lsmcli } from '../cli/harness.js';
import { RpcClient } from './rpc-client.js';
import { PASSWORD, POOL, type RunningServer, startServer, USER } from './server-env.js';

const H1 = 'iqn.1994-05.com.example:e2e-host1';
const H2 = 'iqn.1994-05.com.example:e2e-host2';
const H3 = 'iqn.1994-05.com.example:e2e-host3';

interface Row { id: string; name: string; [k: string]: unknown }

describe('lsmcli and the targetd plugin drive openlsm-targetd over HTTPS (sim backend)', () => {
  let server: RunningServer;
  let rpc: RpcClient;
  let uri: string;

  before(async () => {
    server = await startServer({ tls: true });
    rpc = new RpcClient(server.target, USER, PASSWORD);
    uri = `targetd+ssl://${USER}@127.0.0.1:${server.port}?ca_cert_file=${server.ca!.ca.certFile}`;
  });
  after(async () => {
    rpc.close();
    assert.equal(await server.stop(), 0);
  });

  const cli = (argv: string[]): Promise<CliResult> => lsmcli(['-u', uri, ...argv], { env: { LSMCLI_PASSWORD: PASSWORD } });
  async function ok(argv: string[]): Promise<string> {
    const r = await cli(argv);
    assert.equal(r.code, 0, `lsmcli ${argv.join(' ')}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }
  const json = async <T = Row[]>(argv: string[]): Promise<T> => JSON.parse(await ok(['-o', 'json', ...argv])) as T;

  it('pools, volume create, list, resize, copy, delete', async () => {
    const pools = await json(['list', '--type', 'pools']);
    const pool = pools.find((p) => p.name === POOL);
    assert.ok(pool, JSON.stringify(pools));
    const [v1] = await json(['volume-create', '--name', 'e2e_v1', '--size', '1GiB', '--pool', pool.id]);
    assert.equal(v1?.name, 'e2e_v1');
    assert.equal(v1?.size_bytes, 1024 ** 3);
    assert.ok((await json(['list', '--type', 'volumes'])).some((v) => v.id === v1?.id));
    await ok(['-f', 'volume-resize', '--vol', v1!.id, '--size', '2GiB']);
    const [copy] = await json(['volume-replicate', '--vol', v1!.id, '--name', 'e2e_v1_copy', '--rep-type', 'COPY']);
    assert.equal(copy?.size_bytes, 2 * 1024 ** 3);
    const onServer = await rpc.call<{ name: string; size: number }[]>('vol_list', { pool: POOL });
    assert.deepEqual(onServer.filter((v) => v.name.startsWith('e2e_')).map((v) => [v.name, v.size]).sort(), [['e2e_v1', 2 * 1024 ** 3], ['e2e_v1_copy', 2 * 1024 ** 3]]);
    await ok(['-f', 'volume-delete', '--vol', copy!.id]);
    await ok(['-f', 'volume-delete', '--vol', v1!.id]);
    assert.deepEqual((await rpc.call<{ name: string }[]>('vol_list', { pool: POOL })).filter((v) => v.name.startsWith('e2e_')), []);
  });

  it('access groups, initiators, masking with LUN numbers that do not collide, CHAP', async () => {
    const [system] = await json(['list', '--type', 'systems']);
    const pool = (await json(['list', '--type', 'pools'])).find((p) => p.name === POOL)!;
    const [a] = await json(['volume-create', '--name', 'e2e_a', '--size', '1GiB', '--pool', pool.id]);
    const [b] = await json(['volume-create', '--name', 'e2e_b', '--size', '1GiB', '--pool', pool.id]);
    const [ag] = await json(['access-group-create', '--name', 'e2eag', '--init', H1, '--sys', system!.id]);
    await ok(['access-group-add', '--ag', ag!.id, '--init', H2]);
    assert.deepEqual(await rpc.call('access_group_list'), [{ name: 'e2eag', init_ids: [H1, H2], init_type: 'iscsi' }]);
    await ok(['access-group-remove', '--ag', ag!.id, '--init', H2]);
    await ok(['volume-mask', '--vol', a!.id, '--ag', ag!.id]);
    await ok(['volume-mask', '--vol', b!.id, '--ag', ag!.id]);
    const maps = await rpc.call<{ vol_name: string; h_lun_id: number }[]>('access_group_map_list');
    assert.deepEqual(maps.map((m) => [m.vol_name, m.h_lun_id]).sort(), [['e2e_a', 0], ['e2e_b', 1]]);
    assert.deepEqual((await json(['volume-access-group', '--vol', a!.id])).map((g) => g.name), ['e2eag']);
    assert.deepEqual((await json(['access-group-volumes', '--ag', ag!.id])).map((v) => v.name).sort(), ['e2e_a', 'e2e_b']);
    await ok(['iscsi-chap', '--init', H1, '--in-user', 'e2e-user', '--in-pass', 'e2e-Chap-Secret']);
    await ok(['volume-unmask', '--vol', a!.id, '--ag', ag!.id]);
    await ok(['volume-unmask', '--vol', b!.id, '--ag', ag!.id]);
    assert.deepEqual(await rpc.call('access_group_map_list'), []);
    await ok(['-f', 'access-group-delete', '--ag', ag!.id]);
    assert.deepEqual(await rpc.call('access_group_list'), []);

    // A per-initiator export (targetd's standalone initiator) shows up as a group lsmcli can mask to.
    await rpc.call('export_create', { pool: POOL, vol: 'e2e_a', initiator_wwn: H3, lun: 4 });
    const standalone = (await json(['list', '--type', 'access_groups'])).find((g) => (g.init_ids as string[]).includes(H3));
    assert.ok(standalone);
    await ok(['volume-mask', '--vol', b!.id, '--ag', standalone.id]);
    const exports = await rpc.call<{ vol_name: string; lun: number; initiator_wwn: string }[]>('export_list');
    assert.deepEqual(exports.map((e) => [e.initiator_wwn, e.vol_name, e.lun]).sort(), [[H3, 'e2e_a', 4], [H3, 'e2e_b', 0]]);
    await ok(['volume-unmask', '--vol', b!.id, '--ag', standalone.id]);
    await rpc.call('export_destroy', { pool: POOL, vol: 'e2e_a', initiator_wwn: H3 });
    assert.deepEqual(await rpc.call('export_list'), []);
    await ok(['-f', 'volume-delete', '--vol', a!.id]);
    await ok(['-f', 'volume-delete', '--vol', b!.id]);
    assert.ok(!server.stderr().includes('e2e-Chap-Secret'), 'a CHAP secret reached the log');
  });

  it('a wrong password fails with PLUGIN_AUTH_FAILED after the tarpit', async () => {
    const r = await lsmcli(['-u', uri, 'list', '--type', 'pools'], { env: { LSMCLI_PASSWORD: 'wrong' } });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /PLUGIN_AUTH_FAILED|auth/i);
  });
});
