// The JSON-RPC client against undici's MockAgent: what goes on the wire, and what comes back wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorNumber, LsmError, parseUri } from '@openlsm/core';
import { createLogger } from '@openlsm/log';
import { MockAgent } from 'undici';
import { endpointFromUri } from './endpoint.js';
import { MAX_REPLY_BYTES, TargetdRpc } from './rpc.js';

const endpoint = endpointFromUri(parseUri('targetd+ssl://admin@array.example:18700'));
const call = { signal: new AbortController().signal, timeoutMs: 5000 };
const log = createLogger({ component: 'test', level: 'error' });

function mock(): { agent: MockAgent; rpc: TargetdRpc; pool: ReturnType<MockAgent['get']> } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const rpc = new TargetdRpc({ endpoint, password: 'pw', timeoutMs: 5000, log, dispatcher: agent });
  return { agent, rpc, pool: agent.get('https://array.example:18700') };
}

test('each call: POST /targetrpc, Basic auth, JSON with increasing ids and keyword params, exact bigints', async () => {
  const { rpc, pool, agent } = mock();
  const seen: { body: string; headers: Record<string, string> }[] = [];
  pool.intercept({ path: '/targetrpc', method: 'POST' }).reply(200, (opts) => {
    seen.push({ body: String(opts.body), headers: opts.headers as Record<string, string> });
    return '{"result": [{"name": "p", "size": 2305843009213693953}], "id": 1, "jsonrpc": "2.0"}';
  });
  pool.intercept({ path: '/targetrpc', method: 'POST' }).reply(200, (opts) => {
    seen.push({ body: String(opts.body), headers: opts.headers as Record<string, string> });
    return '{"result": null, "id": 2, "jsonrpc": "2.0"}';
  });
  assert.deepEqual(await rpc.call('pool_list', null, call), [{ name: 'p', size: 2305843009213693953n }]);
  assert.equal(await rpc.call('vol_create', { pool: 'p', name: 'v', size: 2n ** 62n }, call), null);
  assert.equal(seen[0]?.body, '{"id": 1, "method": "pool_list", "params": null, "jsonrpc": "2.0"}');
  assert.equal(seen[1]?.body, '{"id": 2, "method": "vol_create", "params": {"pool": "p", "name": "v", "size": 4611686018427387904}, "jsonrpc": "2.0"}');
  assert.equal(seen[0]?.headers.authorization, `Basic ${Buffer.from('admin:pw').toString('base64')}`);
  assert.equal(seen[0]?.headers['content-type'], 'application/json');
  await agent.close();
});

test('a 401 fails this call and every later one at once, without asking targetd again', async () => {
  const { rpc, pool, agent } = mock();
  pool.intercept({ path: '/targetrpc', method: 'POST' }).reply(401, 'no');
  await assert.rejects(rpc.call('pool_list', null, call), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.PLUGIN_AUTH_FAILED);
  // No interceptor is left: a second request would fail with a MockNotMatchedError instead.
  await assert.rejects(rpc.call('pool_list', null, call), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.PLUGIN_AUTH_FAILED);
  await agent.close();
});

test('replies that are not what was asked: error objects, wrong ids, missing result, too large', async () => {
  const { rpc, pool, agent } = mock();
  const reply = (text: string) => pool.intercept({ path: '/targetrpc', method: 'POST' }).reply(200, text);
  reply('{"error": {"code": -110, "message": "Invalid pool (x)"}, "id": 1, "jsonrpc": "2.0"}');
  await assert.rejects(rpc.call('vol_list', { pool: 'x' }, call), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.NOT_FOUND_POOL);
  reply('{"result": [], "id": 99, "jsonrpc": "2.0"}');
  await assert.rejects(rpc.call('vol_list', { pool: 'x' }, call), /with the id 99/);
  reply('{"id": 3, "jsonrpc": "2.0"}');
  await assert.rejects(rpc.call('vol_list', { pool: 'x' }, call), /without a result/);
  reply('{"error": "a string", "id": 4}');
  await assert.rejects(rpc.call('vol_list', { pool: 'x' }, call), /malformed JSON-RPC error/);
  reply(`[${'0,'.repeat(MAX_REPLY_BYTES / 2)}0]`);
  await assert.rejects(rpc.call('vol_list', { pool: 'x' }, call), /more than 33554432 bytes/);
  await agent.close();
});

test('a request larger than targetd accepts is refused before sending', async () => {
  const { rpc, agent } = mock();
  await assert.rejects(rpc.call('vol_create', { pool: 'p', name: 'x'.repeat(200_000), size: 1 }, call),
    (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT && /131072/.test(err.message));
  await agent.close();
});
