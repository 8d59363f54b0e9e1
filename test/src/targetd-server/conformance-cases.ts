/**
 * targetd's documented behaviour as a table: each case is one raw HTTP request and what targetd 0.10.4 answers
 * (shared/reference/targetd.md sections 1-3). `runCase` sends a case to any server (openlsm-targetd, or the
 * targetd double of the plugin tests) and checks the answer. Where openlsm-targetd answers otherwise on purpose,
 * the case says so in `ours`, with the reason; docs/targetd-server.md lists the same differences.
 */
import assert from 'node:assert/strict';
import { parseLsmJson } from '@openlsm/core';
import { basic, exchange, type RawReply, type RequestParts, requestBytes, type Target } from './rpc-client.js';

export interface ConformanceTarget extends Target {
  /** Which server this is: 'openlsm' answers `ours` where a case has one. */
  kind: 'openlsm' | 'targetd';
  user: string;
  password: string;
  /** A block pool of that server. */
  pool: string;
}

export interface Expected {
  /** The HTTP status, or null for a reply without a status line. */
  status: number | null;
  /** The JSON-RPC error expected. */
  error?: { code: number; message?: string | RegExp };
  /** A JSON-RPC result is expected. */
  result?: true;
  id?: number;
  /** The body, byte for byte. */
  body?: string;
  /** Headers that must be present (value or pattern). */
  headers?: Record<string, RegExp>;
  /** The reply may not come sooner (the tarpit). */
  atLeastMs?: number;
}

export interface ConformanceCase {
  name: string;
  /** Requests sent first; their answers are not checked. */
  setup?: (t: ConformanceTarget) => RequestParts[];
  request: (t: ConformanceTarget) => RequestParts;
  expect: Expected;
  /** openlsm-targetd's answer where it differs from targetd's on purpose. */
  ours?: { expect: Expected; why: string };
}

const auth = (t: ConformanceTarget) => basic(t.user, t.password);
const rpc = (t: ConformanceTarget, body: unknown): RequestParts => ({
  authorization: auth(t), body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
});
const call = (t: ConformanceTarget, method: string, params?: Record<string, unknown>, id = 1) => rpc(t, { jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });

const INVALID_REQUEST = { code: -32600, message: 'not a valid jsonrpc-2.0 request' };
const JSONRPC_ERROR = { code: -1, message: 'jsonrpc error' };
const INVALID_ARGS = { code: -32602, message: 'invalid method arguments(s)' };
const PARSE_ERROR_BODY = '{"error": {"code": -32700, "message": "parse error"}, "id": 0, "jsonrpc": "2.0"}';

export const CONFORMANCE_CASES: ConformanceCase[] = [
  {
    name: 'no Authorization header',
    request: () => ({ body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'pool_list' }) }),
    expect: { status: 400 },
    ours: { expect: { status: 401, headers: { 'www-authenticate': /^Basic realm="targetd"/ } }, why: 'RFC 7235: missing credentials are 401 with a challenge' },
  },
  {
    name: 'an Authorization header that is not Basic base64',
    request: () => ({ authorization: 'Basic !!not base64!!', body: '{}' }),
    expect: { status: 400 },
  },
  {
    name: 'wrong password: 401 after the 2 s tarpit',
    request: (t) => ({ authorization: basic(t.user, `${t.password}-wrong`), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'pool_list' }) }),
    expect: { status: 401, atLeastMs: 1_900 },
  },
  {
    name: 'wrong path',
    request: (t) => ({ ...call(t, 'pool_list'), path: '/rpc' }),
    expect: { status: 404 },
  },
  {
    name: 'wrong path without credentials: authentication comes first',
    request: () => ({ path: '/nothing-here', body: '{}' }),
    expect: { status: 400 },
    ours: { expect: { status: 401 }, why: 'missing credentials are 401 (see the first case); still not 404' },
  },
  {
    name: 'GET',
    request: (t) => ({ method: 'GET', authorization: auth(t) }),
    expect: { status: 501 },
  },
  {
    name: 'PUT, even with credentials',
    request: (t) => ({ ...call(t, 'pool_list'), method: 'PUT' }),
    expect: { status: 501 },
  },
  {
    name: 'unparsable JSON: targetd writes the error without a status line',
    request: (t) => rpc(t, '{"jsonrpc": "2.0", "id": 1, "method": '),
    expect: { status: null, body: PARSE_ERROR_BODY },
    ours: { expect: { status: 200, body: PARSE_ERROR_BODY, headers: { 'content-type': /^application\/json$/ } }, why: 'the same body in a valid HTTP reply; a strict HTTP client (Node\'s llhttp) cannot read a reply without a status line' },
  },
  {
    name: 'a body that is not UTF-8',
    request: (t) => rpc(t, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
    expect: { status: null, body: PARSE_ERROR_BODY },
    ours: { expect: { status: 200, body: PARSE_ERROR_BODY }, why: 'as for unparsable JSON' },
  },
  {
    name: 'no Content-Length (a chunked body): targetd answers -1 without a status line',
    request: (t) => ({ ...call(t, 'pool_list'), contentLength: false }),
    expect: { status: null, error: JSONRPC_ERROR, id: 0 },
    ours: { expect: { status: 200, result: true, id: 1 }, why: 'HTTP/1.1 allows chunked bodies; they are read up to the same 128 KiB limit' },
  },
  { name: 'jsonrpc missing', request: (t) => rpc(t, { id: 3, method: 'pool_list' }), expect: { status: 200, error: INVALID_REQUEST, id: 0 } },
  { name: 'jsonrpc "1.0"', request: (t) => rpc(t, { jsonrpc: '1.0', id: 3, method: 'pool_list' }), expect: { status: 200, error: INVALID_REQUEST, id: 0 } },
  { name: 'method missing', request: (t) => rpc(t, { jsonrpc: '2.0', id: 3 }), expect: { status: 200, error: INVALID_REQUEST, id: 0 } },
  { name: 'a notification (no id) is refused, not run', request: (t) => rpc(t, { jsonrpc: '2.0', method: 'pool_list' }), expect: { status: 200, error: INVALID_REQUEST, id: 0 } },
  { name: 'a non-numeric string id', request: (t) => rpc(t, { jsonrpc: '2.0', id: 'abc', method: 'pool_list' }), expect: { status: 200, error: INVALID_REQUEST, id: 0 } },
  { name: 'a numeric string id is echoed as a number', request: (t) => rpc(t, { jsonrpc: '2.0', id: '42', method: 'pool_list' }), expect: { status: 200, result: true, id: 42 } },
  { name: 'id null', request: (t) => rpc(t, { jsonrpc: '2.0', id: null, method: 'pool_list' }), expect: { status: 200, error: JSONRPC_ERROR, id: 0 } },
  { name: 'a batch is refused', request: (t) => rpc(t, [{ jsonrpc: '2.0', id: 1, method: 'pool_list' }]), expect: { status: 200, error: JSONRPC_ERROR, id: 0 } },
  { name: 'params null: no arguments', request: (t) => rpc(t, { jsonrpc: '2.0', id: 5, method: 'pool_list', params: null }), expect: { status: 200, result: true, id: 5 } },
  { name: 'unknown method', request: (t) => call(t, 'no_such_method', undefined, 7), expect: { status: 200, error: { code: -32601, message: 'method no_such_method not found' }, id: 7 } },
  { name: 'unknown keyword argument', request: (t) => call(t, 'pool_list', { verbose: true }, 8), expect: { status: 200, error: INVALID_ARGS, id: 8 } },
  { name: 'missing keyword argument', request: (t) => call(t, 'vol_list', undefined, 9), expect: { status: 200, error: INVALID_ARGS, id: 9 } },
  { name: 'params as a list', request: (t) => rpc(t, { jsonrpc: '2.0', id: 10, method: 'vol_list', params: [t.pool] }), expect: { status: 200, error: INVALID_ARGS, id: 10 } },
  { name: 'unknown pool', request: (t) => call(t, 'vol_list', { pool: 'nosuchpool' }, 11), expect: { status: 200, error: { code: -110, message: 'Invalid pool (nosuchpool)' }, id: 11 } },
  {
    name: 'vol_create of a name that exists',
    setup: (t) => [call(t, 'vol_create', { pool: t.pool, name: 'conformance_dup', size: 1048576 })],
    request: (t) => call(t, 'vol_create', { pool: t.pool, name: 'conformance_dup', size: 1048576 }, 12),
    expect: { status: 200, error: { code: -50 }, id: 12 },
  },
  { name: 'vol_destroy of a volume that does not exist', request: (t) => call(t, 'vol_destroy', { pool: t.pool, name: 'conformance_none' }, 13), expect: { status: 200, error: { code: -103 }, id: 13 } },
  {
    name: 'export_destroy of an export that does not exist',
    setup: (t) => [call(t, 'vol_create', { pool: t.pool, name: 'conformance_unexported', size: 1048576 })],
    request: (t) => call(t, 'export_destroy', { pool: t.pool, vol: 'conformance_unexported', initiator_wwn: 'iqn.1994-05.com.example:nobody' }, 14),
    expect: { status: 200, error: { code: -151 }, id: 14 },
  },
  {
    name: 'access_group_create with an init_type other than iscsi',
    request: (t) => call(t, 'access_group_create', { ag_name: 'ag1', init_id: '10:00:00:00:c9:95:2f:de', init_type: 'fc' }, 15),
    expect: { status: 200, error: { code: -153, message: 'Only support iscsi' }, id: 15 },
  },
  {
    name: 'access_group_create with an illegal name',
    request: (t) => call(t, 'access_group_create', { ag_name: 'bad name;', init_id: 'iqn.1994-05.com.example:h1', init_type: 'iscsi' }, 16),
    expect: { status: 200, error: { code: -32602, message: /^Illegal name, should match: \^\[a-zA-Z0-9_-\]\+\$/ }, id: 16 },
  },
  {
    name: 'a body over 128 KiB',
    request: (t) => call(t, 'pool_list', { padding: 'x'.repeat(140 * 1024) }),
    expect: { status: 413 },
  },
];

/** The expectation that applies to `target`. */
export function expectationFor(target: ConformanceTarget, c: ConformanceCase): Expected {
  return target.kind === 'openlsm' && c.ours ? c.ours.expect : c.expect;
}

/** Sends `c` to `target` and checks the reply. */
export async function runCase(target: ConformanceTarget, c: ConformanceCase): Promise<RawReply> {
  for (const parts of c.setup?.(target) ?? []) await exchange(target, requestBytes(target, parts));
  const expected = expectationFor(target, c);
  const started = performance.now();
  const reply = await exchange(target, requestBytes(target, c.request(target)));
  const elapsed = performance.now() - started;
  const where = `${c.name} (${target.kind}): got ${JSON.stringify(reply.raw.slice(0, 400))}`;
  assert.equal(reply.status, expected.status, where);
  if (expected.atLeastMs !== undefined) assert.ok(elapsed >= expected.atLeastMs, `${where}: answered after ${elapsed.toFixed(0)} ms`);
  for (const [name, pattern] of Object.entries(expected.headers ?? {})) assert.match(reply.headers[name] ?? '', pattern, `${where}: header ${name}`);
  if (expected.body !== undefined) assert.equal(reply.body, expected.body, where);
  if (reply.status === 200 && target.kind === 'openlsm') {
    assert.equal(reply.headers['content-length'], String(Buffer.byteLength(reply.body)), `${where}: Content-Length`);
  }
  if (expected.error || expected.result) {
    const doc = parseLsmJson(reply.body) as { result?: unknown; error?: { code: number; message: string }; id: number; jsonrpc?: string };
    if (expected.result) assert.ok('result' in doc && !('error' in doc), where);
    if (expected.error) {
      assert.equal(doc.error?.code, expected.error.code, where);
      const m = expected.error.message;
      if (typeof m === 'string') assert.equal(doc.error?.message, m, where);
      else if (m) assert.match(doc.error?.message ?? '', m, where);
    }
    if (expected.id !== undefined) assert.equal(doc.id, expected.id, where);
  }
  return reply;
}
