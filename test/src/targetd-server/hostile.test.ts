/**
 * Hostile input against the built openlsm-targetd: random arguments of random types for every method (a
 * time-boxed fast-check run; OPENLSM_FUZZ_MS lengthens it), malformed HTTP, oversized headers and bodies, and
 * clients that vanish mid-request. The server must answer each with a targetd error, never a JavaScript
 * exception dressed as -1, and keep serving.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseLsmJson, stringifyLsmJson } from '@openlsm/core';
import { basic, exchange, requestBytes, RpcClient } from './rpc-client.js';
import { PASSWORD, POOL, type RunningServer, startServer, USER } from './server-env.js';

const fuzzMs = Number(process.env.OPENLSM_FUZZ_MS ?? 3_000);

/** Every method with its keyword arguments (targetd 0.10.4). */
const METHODS: Record<string, string[]> = {
  pool_list: [], vol_list: ['pool'], vol_create: ['pool', 'name', 'size'], vol_destroy: ['pool', 'name'],
  vol_copy: ['pool', 'vol_orig', 'vol_new', 'size', 'timeout'], vol_resize: ['pool', 'name', 'size'], export_list: [],
  export_create: ['pool', 'vol', 'initiator_wwn', 'lun'], export_destroy: ['pool', 'vol', 'initiator_wwn'],
  initiator_set_auth: ['initiator_wwn', 'in_user', 'in_pass', 'out_user', 'out_pass'], initiator_list: ['standalone_only'],
  access_group_list: [], access_group_create: ['ag_name', 'init_id', 'init_type'], access_group_destroy: ['ag_name'],
  access_group_init_add: ['ag_name', 'init_id', 'init_type'], access_group_init_del: ['ag_name', 'init_id', 'init_type'],
  access_group_map_list: [], access_group_map_create: ['pool_name', 'vol_name', 'ag_name', 'h_lun_id'],
  access_group_map_destroy: ['pool_name', 'vol_name', 'ag_name'], fs_list: [], fs_create: ['pool_name', 'name', 'size_bytes'],
  fs_destroy: ['uuid'], fs_clone: ['fs_uuid', 'dest_fs_name', 'snapshot_id'], ss_list: ['fs_uuid'],
  fs_snapshot: ['fs_uuid', 'dest_ss_name'], fs_snapshot_delete: ['fs_uuid', 'ss_uuid'], nfs_export_auth_list: [],
  nfs_export_list: [], nfs_export_add: ['host', 'path', 'options', 'chown', 'export_path'], nfs_export_remove: ['host', 'path'],
};

/** Values that are often almost right: names, pools, initiators, sizes, and their broken neighbours. */
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(POOL, '/srv/targetd', 'v1', 'iscsi', 'iqn.1994-05.com.example:fuzz', 'rw', '*', 0, 1, 255, 256, -1, 1048576, 2 ** 53, null, true, 'False', '', '../..', 'a;b', 'x\n', '\u0000'),
  fc.string({ maxLength: 300 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
);

describe('openlsm-targetd under hostile input', () => {
  let server: RunningServer;

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  it('fuzz: random arguments for every method get targetd errors, never a JavaScript exception', async () => {
    const rpc = new RpcClient(server.target, USER, PASSWORD);
    try {
      await fc.assert(fc.asyncProperty(
        fc.constantFrom(...Object.keys(METHODS)).chain((method) => fc.record({
          method: fc.constant(method),
          params: fc.dictionary(fc.oneof(fc.constantFrom(...(METHODS[method] as string[]), 'extra'), fc.string({ maxLength: 8 })), value, { maxKeys: 6 }),
          full: fc.boolean(),
        })),
        async ({ method, params, full }) => {
          // Half of the cases pass every argument, so that the checks behind the "missing argument" one are reached.
          const args: Record<string, unknown> = full ? Object.fromEntries((METHODS[method] as string[]).map((k) => [k, params[k] ?? 'v1'])) : params;
          // Integers past 2^53 go out as digits (stringifyLsmJson), as a Python client sends them.
          const sent = stringifyLsmJson({ jsonrpc: '2.0', id: 1, method, params: args });
          const { status, body } = await rpc.post(sent);
          assert.equal(status, 200, body);
          const reply = parseLsmJson(body) as { error?: { code: number; message: string } };
          if (reply.error) {
            assert.ok(Number.isInteger(reply.error.code) && reply.error.code < 0, body);
            assert.doesNotMatch(reply.error.message, /^(TypeError|RangeError|ReferenceError|SyntaxError|Error): /, sent.slice(0, 300));
          }
        },
      ), { interruptAfterTimeLimit: fuzzMs, numRuns: 2_000 });
    } finally {
      rpc.close();
    }
    assert.ok(!server.logLines().some((l) => l.message === 'method failed unexpectedly' || l.message === 'request failed'), server.stderr().slice(-2000));
  });

  it('malformed HTTP is refused by the parser and the server goes on', async () => {
    const t = server.target;
    const bigHeader = await exchange(t, requestBytes(t, { authorization: basic(USER, PASSWORD), headers: { 'X-Big': 'x'.repeat(20_000) }, body: '{}' }));
    assert.equal(bigHeader.status, 431);
    assert.equal((await exchange(t, '\u0000\u0001\u0002 garbage\r\n\r\n')).status, 400);
    assert.equal((await exchange(t, 'POST /targetrpc HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n')).status, 400);
    assert.equal((await exchange(t, 'POST /targetrpc HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}')).status, 400);
  });

  it('a 10 MB body is refused from its Content-Length, without being read', async () => {
    const t = server.target;
    const head = `POST /targetrpc HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(USER, PASSWORD)}\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`;
    const reply = await exchange(t, Buffer.concat([Buffer.from(head), Buffer.alloc(64 * 1024, 0x20)]));
    assert.equal(reply.status, 413);
    assert.equal(reply.headers.connection, 'close');
  });

  it('clients that vanish halfway (headers, body, or while their call runs) leave the server serving', async () => {
    const t = server.target;
    const cut = (bytes: string) => new Promise<void>((resolve) => {
      const s = net.connect(t.port, t.host, () => { s.write(bytes); setTimeout(() => { s.destroy(); resolve(); }, 50); });
      s.on('error', () => resolve());
    });
    await cut('POST /targetrpc HTTP/1.1\r\nHost: x\r\nAuthoriz');
    await cut(`POST /targetrpc HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(USER, PASSWORD)}\r\nContent-Length: 100\r\n\r\n{"jsonrpc"`);
    await cut(requestBytes(t, { authorization: basic(USER, PASSWORD), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'vol_create', params: { pool: POOL, name: 'vanished', size: 1048576 } }) }).toString());
    const rpc = new RpcClient(t, USER, PASSWORD);
    try {
      assert.ok(Array.isArray(await rpc.call('vol_list', { pool: POOL })));
    } finally {
      rpc.close();
    }
    assert.ok(!server.logLines().some((l) => l.level === 'error'), server.stderr().slice(-2000));
  });
});
