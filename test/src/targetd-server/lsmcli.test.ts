/**
 * The acceptance workflow, end to end, on each backend of backends.ts: the built `lsmcli`,
 * through openlsm's targetd plugin (`targetd+ssl://`, verifying the server's certificate against a CA made in
 * the test), drives the built openlsm-targetd on 127.0.0.1, itself backed by an openlsm backend: the
 * simulator, or lio:// on the configfs emulation (backends.ts). Every step is then checked on the server's own
 * API as a targetd client sees it (LUN numbers included) and, where the backend holds them (lio), against
 * what the backend really gives initiators.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CliResult, lsmcli } from '../cli/harness.js';
import { type BackendArray, type HostLun, LIO_BACKEND, SIM_BACKEND } from './backends.js';
import { RpcClient, rpcError } from './rpc-client.js';
import { PASSWORD, POOL, type RunningServer, startServer, USER } from './server-env.js';

const H1 = 'iqn.1994-05.com.example:e2e-host1';
const H2 = 'iqn.1994-05.com.example:e2e-host2';
const H3 = 'iqn.1994-05.com.example:e2e-host3';

interface Row { id: string; name: string; [k: string]: unknown }

for (const backend of [SIM_BACKEND, LIO_BACKEND]) {
  describe(`lsmcli and the targetd plugin drive openlsm-targetd over HTTPS (${backend.name} backend)`, { skip: backend.skip }, () => {
    let array: BackendArray;
    let server: RunningServer;
    let rpc: RpcClient;
    let uri: string;

    before(async () => {
      array = await backend.create();
      server = await startServer({ tls: true, config: array.config });
      rpc = new RpcClient(server.target, USER, PASSWORD);
      uri = `targetd+ssl://${USER}@127.0.0.1:${server.port}?ca_cert_file=${server.ca!.ca.certFile}`;
    });
    after(async () => {
      rpc.close();
      assert.equal(await server.stop(), 0);
      await array.dispose();
    });

    /** What export_list says initiators see equals what the backend gives them (where it can tell). */
    async function backendAgrees(): Promise<void> {
      const listed = await rpc.call<{ initiator_wwn: string; vol_name: string; lun: number }[]>('export_list');
      if (array.inspect) assert.deepEqual(array.inspect.hostLuns(), listed.map((e): HostLun => [e.initiator_wwn, e.vol_name, e.lun]).sort());
    }

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
      if (array.inspect) assert.deepEqual(array.inspect.volumes(), ['e2e_v1', 'e2e_v1_copy']);
      await ok(['-f', 'volume-delete', '--vol', copy!.id]);
      await ok(['-f', 'volume-delete', '--vol', v1!.id]);
      assert.deepEqual((await rpc.call<{ name: string }[]>('vol_list', { pool: POOL })).filter((v) => v.name.startsWith('e2e_')), []);
      if (array.inspect) assert.deepEqual(array.inspect.volumes(), []);
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
      if (backend.choosesLuns) {
        await assert.rejects(rpc.call('access_group_map_create', { pool_name: POOL, vol_name: 'e2e_a', ag_name: 'e2eag', h_lun_id: 3 }),
          rpcError(-1, /LUN 3 cannot be given to access group e2eag: .* would map this volume as LUN 0/));
        await backendAgrees();
      }
      await ok(['volume-mask', '--vol', a!.id, '--ag', ag!.id]);
      await ok(['volume-mask', '--vol', b!.id, '--ag', ag!.id]);
      const maps = await rpc.call<{ vol_name: string; h_lun_id: number }[]>('access_group_map_list');
      assert.deepEqual(maps.map((m) => [m.vol_name, m.h_lun_id]).sort(), [['e2e_a', 0], ['e2e_b', 1]]);
      await backendAgrees();
      assert.deepEqual((await json(['volume-access-group', '--vol', a!.id])).map((g) => g.name), ['e2eag']);
      assert.deepEqual((await json(['access-group-volumes', '--ag', ag!.id])).map((v) => v.name).sort(), ['e2e_a', 'e2e_b']);
      await ok(['iscsi-chap', '--init', H1, '--in-user', 'e2e-user', '--in-pass', 'e2e-Chap-Secret']);
      if (array.inspect) assert.equal(array.inspect.chapUser(H1), 'e2e-user');
      await ok(['volume-unmask', '--vol', a!.id, '--ag', ag!.id]);
      await ok(['volume-unmask', '--vol', b!.id, '--ag', ag!.id]);
      assert.deepEqual(await rpc.call('access_group_map_list'), []);
      await backendAgrees();
      await ok(['-f', 'access-group-delete', '--ag', ag!.id]);
      assert.deepEqual(await rpc.call('access_group_list'), []);
      if (array.inspect) assert.deepEqual(array.inspect.initiators(), []);

      // A per-initiator export (targetd's standalone initiator) shows up as a group lsmcli can mask to. A backend
      // that numbers LUNs itself would give the first export LUN 0: another number is refused, nothing made.
      let first = 4;
      if (backend.choosesLuns) {
        await assert.rejects(rpc.call('export_create', { pool: POOL, vol: 'e2e_a', initiator_wwn: H3, lun: 4 }),
          rpcError(-1, /LUN 4 cannot be given to .*e2e-host3: the backend \(lio:\/\/\) numbers LUNs itself and would map this volume as LUN 0/));
        assert.deepEqual(array.inspect?.initiators(), []);
        first = 0;
      }
      await rpc.call('export_create', { pool: POOL, vol: 'e2e_a', initiator_wwn: H3, lun: first });
      const standalone = (await json(['list', '--type', 'access_groups'])).find((g) => (g.init_ids as string[]).includes(H3));
      assert.ok(standalone);
      await ok(['volume-mask', '--vol', b!.id, '--ag', standalone.id]);
      const exports = await rpc.call<{ vol_name: string; lun: number; initiator_wwn: string }[]>('export_list');
      assert.deepEqual(exports.map((e) => [e.initiator_wwn, e.vol_name, e.lun]).sort(), backend.choosesLuns ? [[H3, 'e2e_a', 0], [H3, 'e2e_b', 1]] : [[H3, 'e2e_a', 4], [H3, 'e2e_b', 0]]);
      await backendAgrees();
      await ok(['volume-unmask', '--vol', b!.id, '--ag', standalone.id]);
      await backendAgrees();
      await rpc.call('export_destroy', { pool: POOL, vol: 'e2e_a', initiator_wwn: H3 });
      assert.deepEqual(await rpc.call('export_list'), []);
      await backendAgrees();
      if (array.inspect) assert.deepEqual(array.inspect.initiators(), [], 'the initiator goes with its last export');

      // CHAP for an initiator the backend does not know: targetd creates its ACL, so on lio it gets one.
      await ok(['iscsi-chap', '--init', H3, '--in-user', 'e2e-user3', '--in-pass', 'e2e-Chap-Secret3']);
      if (array.inspect) {
        assert.deepEqual(array.inspect.initiators(), [H3]);
        assert.equal(array.inspect.chapUser(H3), 'e2e-user3');
        await rpc.call('export_create', { pool: POOL, vol: 'e2e_a', initiator_wwn: H3, lun: 0 });
        await backendAgrees();
        await rpc.call('export_destroy', { pool: POOL, vol: 'e2e_a', initiator_wwn: H3 });
        assert.deepEqual(array.inspect.initiators(), []);
      }
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
}
