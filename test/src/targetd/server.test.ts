/**
 * The targetd double itself, over raw sockets: what it sends byte for byte must be what targetd 0.10.4 sends
 * (targetd.md §1-§4, §10), since the plugin, and other suites, are tested against it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTargetdServer, type TargetdServer } from '../fixtures/targetd/index.js';

interface RawReply {
  text: string;
  /** The status line's code, or 0 when the reply has no status line. */
  status: number;
  headers: Map<string, string>;
  body: string;
}

function exchange(port: number, request: string | Buffer): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => { text += d; });
    socket.on('error', reject);
    socket.on('close', () => {
      const m = /^HTTP\/1\.0 (\d{3}) [^\r]*\r\n/.exec(text);
      if (!m) return resolve({ text, status: 0, headers: new Map(), body: text });
      const end = text.indexOf('\r\n\r\n');
      const headers = new Map(text.slice(m[0].length, end).split('\r\n').filter((l) => l).map((l) => {
        const c = l.indexOf(':');
        return [l.slice(0, c).toLowerCase(), l.slice(c + 1).trim()] as [string, string];
      }));
      resolve({ text, status: Number(m[1]), headers, body: text.slice(end + 4) });
    });
  });
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function post(server: TargetdServer, body: string, options: { auth?: string | null; path?: string; length?: number | null } = {}): Promise<RawReply> {
  const auth = options.auth === undefined ? basic(server.user, server.password) : options.auth;
  const length = options.length === undefined ? Buffer.byteLength(body) : options.length;
  const head = [`POST ${options.path ?? '/targetrpc'} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json',
    ...(auth === null ? [] : [`Authorization: ${auth}`]), ...(length === null ? [] : [`Content-Length: ${length}`])];
  return exchange(server.port, `${head.join('\r\n')}\r\n\r\n${body}`);
}

async function rpc(server: TargetdServer, request: unknown): Promise<Record<string, unknown>> {
  const reply = await post(server, typeof request === 'string' ? request : JSON.stringify(request));
  assert.equal(reply.status, 200, reply.text);
  return JSON.parse(reply.body) as Record<string, unknown>;
}

const call = (method: string, params?: unknown, id: unknown = 1) => ({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });

describe('the targetd double on the wire', () => {
  let server: TargetdServer;
  before(async () => { server = await startTargetdServer({ tarpitMs: 400 }); });
  after(() => server.close());

  test('a success is HTTP/1.0 without Content-Length, closed after the body, in Python\'s JSON', async () => {
    const reply = await post(server, JSON.stringify(call('pool_list', null, 7)));
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('content-type'), 'application/json');
    assert.equal(reply.headers.has('content-length'), false);
    assert.match(reply.body, /^\{"result": \[\{"name": "vg-targetd", "size": \d+, "free_size": \d+, "type": "block", "uuid": "[^"]+"\}, /);
    assert.match(reply.body, /, "id": 7, "jsonrpc": "2\.0"\}$/);
    // The ZFS pool's guid is a bare JSON number beyond 2^53.
    const guid = /"name": "tank\/targetd", [^}]*"uuid": (\d+)\}/.exec(reply.body)?.[1];
    assert.ok(guid && BigInt(guid) > 2n ** 53n, reply.body);
  });

  test('checks in targetd\'s order: 501, 400, 401 after the tarpit, 404, 413', async () => {
    const get = await exchange(server.port, 'GET /targetrpc HTTP/1.1\r\n\r\n');
    assert.equal(get.status, 501);
    assert.match(get.body, /Unsupported method \('GET'\)/);
    assert.equal(get.headers.get('content-length'), String(Buffer.byteLength(get.body)), 'error pages do have a length');
    assert.equal((await post(server, '{}', { auth: null })).status, 400);
    assert.equal((await post(server, '{}', { auth: 'Basic %%%' })).status, 400);
    assert.equal((await post(server, '{}', { auth: basic('admin:x', 'y') })).status, 400, 'three parts after the split');
    const started = performance.now();
    assert.equal((await post(server, '{}', { auth: basic('admin', 'wrong'), path: '/elsewhere' })).status, 401, 'credentials before path');
    assert.ok(performance.now() - started >= 380);
    assert.equal((await post(server, '{}', { path: '/elsewhere' })).status, 404);
    assert.equal((await post(server, 'x'.repeat(10), { length: 131073 })).status, 413);
  });

  test('the tarpit: four bad logins at once give one 401 and three 503; a good one meanwhile gets 503 too', async () => {
    // A long tarpit, so that every request surely arrives while the first bad login sleeps.
    const slow = await startTargetdServer({ tarpitMs: 3000 });
    try {
      const bad = basic('admin', 'wrong');
      const replies = await Promise.all([...Array.from({ length: 4 }, () => post(slow, '{}', { auth: bad })), post(slow, JSON.stringify(call('pool_list')))]);
      const statuses = replies.map((r) => r.status);
      assert.deepEqual(statuses.slice(0, 4).sort(), [401, 503, 503, 503]);
      assert.equal(statuses[4], 503, 'even good credentials are refused while the address is in the tarpit');
      assert.equal((await post(slow, JSON.stringify(call('pool_list')))).status, 200, 'over once the sleep ends');
    } finally {
      await slow.close();
    }
  });

  test('the header-less replies: no Content-Length, a body that is not JSON or not UTF-8', async () => {
    assert.equal((await post(server, '', { length: null })).text, '{"error": {"code": -1, "message": "jsonrpc error"}, "id": 0, "jsonrpc": "2.0"}');
    assert.equal((await post(server, '{"id": 1,')).text, '{"error": {"code": -32700, "message": "parse error"}, "id": 0, "jsonrpc": "2.0"}');
    const latin1 = Buffer.concat([Buffer.from(`POST /targetrpc HTTP/1.1\r\nAuthorization: ${basic(server.user, server.password)}\r\nContent-Length: 3\r\n\r\n`), Buffer.from([0x22, 0xe9, 0x22])]);
    assert.equal((await exchange(server.port, latin1)).status, 0);
  });

  test('JSON-RPC envelope rules', async () => {
    const invalid = { error: { code: -32600, message: 'not a valid jsonrpc-2.0 request' }, id: 0, jsonrpc: '2.0' };
    assert.deepEqual(await rpc(server, { id: 1, method: 'pool_list' }), invalid);
    assert.deepEqual(await rpc(server, { ...call('pool_list'), jsonrpc: '1.0' }), invalid);
    assert.deepEqual(await rpc(server, { jsonrpc: '2.0', id: 1 }), invalid);
    assert.deepEqual(await rpc(server, { jsonrpc: '2.0', method: 'pool_list' }), invalid, 'a notification');
    assert.deepEqual(await rpc(server, call('pool_list', null, 'abc')), invalid);
    assert.equal((await rpc(server, call('pool_list', null, '42'))).id, 42, 'int("42")');
    const generic = { error: { code: -1, message: 'jsonrpc error' }, id: 0, jsonrpc: '2.0' };
    assert.deepEqual(await rpc(server, call('pool_list', null, null)), generic);
    assert.deepEqual(await rpc(server, [call('pool_list')]), generic, 'a batch');
    for (const params of [null, {}, [], '', 0, false]) assert.ok(Array.isArray((await rpc(server, call('pool_list', params))).result), JSON.stringify(params));
    const badArgs = { error: { code: -32602, message: 'invalid method arguments(s)' }, id: 1, jsonrpc: '2.0' };
    assert.deepEqual(await rpc(server, call('pool_list', [1])), badArgs);
    assert.deepEqual(await rpc(server, call('pool_list', 'x')), badArgs);
    assert.deepEqual(await rpc(server, call('vol_list', { pool: 'vg-targetd', extra: 1 })), badArgs);
    assert.deepEqual(await rpc(server, call('vol_list')), badArgs);
    assert.deepEqual(await rpc(server, call('no_such')), { error: { code: -32601, message: 'method no_such not found' }, id: 1, jsonrpc: '2.0' });
    assert.deepEqual(await rpc(server, call('vol_list', { pool: 'é' })), { error: { code: -110, message: 'Invalid pool (é)' }, id: 1, jsonrpc: '2.0' });
    assert.match((await post(server, JSON.stringify(call('vol_list', { pool: 'é' })))).body, /Invalid pool \(\\u00e9\)/, 'ensure_ascii');
    assert.deepEqual(await rpc(server, call('vol_create', { pool: 'vg-targetd', name: 'raw1', size: 1 })), { result: null, id: 1, jsonrpc: '2.0' });
  });

  test('quirks clients must steer around: LVM names unchecked, initiators compared raw, "False" is truthy, -303 twice over', async () => {
    const lvm = (await rpc(server, call('vol_create', { pool: 'vg-targetd', name: 'bad name/..', size: 1 }))).error as { code: number; message: string };
    assert.equal(lvm.code, -1, 'the name reached lvcreate');
    assert.match(lvm.message, /^GLib\.GError: .*Logical volume name "bad name\/\.\." is invalid/);
    assert.equal(((await rpc(server, call('vol_create', { pool: 'tank/targetd', name: 'bad name', size: 1 }))).error as { code: number }).code, -32602);
    await rpc(server, call('initiator_set_auth', { initiator_wwn: 'iqn.1994-05.com.example:q1', in_user: null, in_pass: null, out_user: null, out_pass: null }));
    const upper = await rpc(server, call('access_group_create', { ag_name: 'q', init_id: 'iqn.1994-05.com.example:Q1', init_type: 'iscsi' }));
    assert.equal(upper.result, null, 'the upper-case form slips past the "in use" check and re-tags the ACL');
    const standalone = await rpc(server, call('initiator_list', { standalone_only: 'False' }));
    assert.deepEqual(standalone.result, []);
    await rpc(server, call('export_create', { pool: 'vg-targetd', vol: 'raw1', initiator_wwn: 'iqn.1994-05.com.example:q2', lun: 0 }));
    assert.deepEqual((await rpc(server, call('vol_destroy', { pool: 'vg-targetd', name: 'raw1' }))).error, { code: -303, message: 'Volume \'raw1\' cannot be removed while exported' });
    assert.equal(((await rpc(server, call('export_destroy', { pool: 'vg-targetd', vol: 'raw1', initiator_wwn: 'iqn.1994-05.com.example:q9' }))).error as { code: number }).code, -151);
  });

  test('bug 1: access_group_map_create without h_lun_id collides on the second volume and leaves an orphan', async () => {
    await rpc(server, call('access_group_create', { ag_name: 'b1', init_id: 'iqn.1994-05.com.example:b1', init_type: 'iscsi' }));
    for (const name of ['b1a', 'b1b']) await rpc(server, call('vol_create', { pool: 'vg-targetd', name, size: 1 }));
    assert.equal((await rpc(server, call('access_group_map_create', { pool_name: 'vg-targetd', vol_name: 'b1a', ag_name: 'b1' }))).result, null);
    const second = await rpc(server, call('access_group_map_create', { pool_name: 'vg-targetd', vol_name: 'b1b', ag_name: 'b1' }));
    assert.deepEqual(second.error, { code: -1, message: 'RTSLibError: This MappedLUN already exists in configFS' });
    assert.equal(((await rpc(server, call('vol_destroy', { pool: 'vg-targetd', name: 'b1b' }))).error as { code: number }).code, -303, 'the orphan TPG LUN');
    assert.equal((await rpc(server, call('access_group_map_create', { pool_name: 'vg-targetd', vol_name: 'b1b', ag_name: 'b1', h_lun_id: 1 }))).result, null);
    const maps = (await rpc(server, call('access_group_map_list'))).result as { ag_name: string; h_lun_id: number }[];
    assert.deepEqual(maps.filter((m) => m.ag_name === 'b1').map((m) => m.h_lun_id), [0, 1]);
  });

  test('one method at a time: two slow calls sent together take the time of both', async () => {
    const slow = await startTargetdServer({ delays: { vol_list: 400 } });
    try {
      const started = performance.now();
      await Promise.all([rpc(slow, call('vol_list', { pool: 'vg-targetd' })), rpc(slow, call('vol_list', { pool: 'vg-targetd' }, 2))]);
      assert.ok(performance.now() - started >= 790, 'the second waited for the first');
    } finally {
      await slow.close();
    }
  });
});
