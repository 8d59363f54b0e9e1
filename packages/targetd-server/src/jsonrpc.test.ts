import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TargetdCode, TargetdError } from './errors.js';
import { answerRpc, type Dispatch, methodNotFound } from './jsonrpc.js';

const seen: [string, unknown][] = [];
const dispatch: Dispatch = async (method, params) => {
  seen.push([method, params]);
  if (method === 'echo') return params ?? 'no params';
  if (method === 'big') return { size: 2n ** 63n - 1n };
  if (method === 'fails') throw new TargetdError(-103, 'Volume v not found');
  if (method === 'bug') throw new RangeError('oops');
  throw methodNotFound(method);
};

async function answer(body: string | Uint8Array) {
  const outcome = await answerRpc(typeof body === 'string' ? Buffer.from(body) : body, dispatch);
  return { ...outcome, doc: JSON.parse(outcome.body) as Record<string, unknown> };
}

describe("targetd's JSON-RPC rules", () => {
  it('replies in targetd\'s member order and spacing; bigints stay exact', async () => {
    const ok = await answer('{"jsonrpc": "2.0", "id": 3, "method": "echo", "params": {"a": 1}}');
    assert.equal(ok.body, '{"result": {"a": 1}, "id": 3, "jsonrpc": "2.0"}');
    assert.equal((await answer('{"jsonrpc":"2.0","id":1,"method":"big"}')).body, '{"result": {"size": 9223372036854775807}, "id": 1, "jsonrpc": "2.0"}');
    const err = await answer('{"jsonrpc":"2.0","id":4,"method":"fails"}');
    assert.equal(err.body, '{"error": {"code": -103, "message": "Volume v not found"}, "id": 4, "jsonrpc": "2.0"}');
    assert.equal(err.errorCode, -103);
  });

  it('ids as Python int() reads them', async () => {
    const id = async (raw: string) => (await answer(`{"jsonrpc":"2.0","method":"echo","id":${raw}}`)).doc;
    assert.equal((await id('"42"')).id, 42);
    assert.equal((await id('" 7 "')).id, 7);
    assert.equal((await id('3.9')).id, 3);
    assert.equal((await id('true')).id, 1);
    assert.match((await answer('{"jsonrpc":"2.0","method":"echo","id":12345678901234567890}')).body, /"id": 12345678901234567890, /);
    assert.deepEqual((await id('"x"')).error, { code: -32600, message: 'not a valid jsonrpc-2.0 request' });
    assert.deepEqual((await id('null')).error, { code: -1, message: 'jsonrpc error' });
    assert.deepEqual((await id('[]')).error, { code: -1, message: 'jsonrpc error' });
    assert.equal((await id('null')).id, 0);
  });

  it('params: falsy means none, a non-object is -32602; a non-string method is -32600', async () => {
    for (const p of ['null', '{}', '[]', '""', '0', 'false']) {
      seen.length = 0;
      assert.equal((await answer(`{"jsonrpc":"2.0","id":1,"method":"echo","params":${p}}`)).doc.result, 'no params', p);
      assert.deepEqual(seen, [['echo', undefined]]);
    }
    for (const p of ['[1]', '"x"', '5', 'true']) {
      assert.deepEqual((await answer(`{"jsonrpc":"2.0","id":1,"method":"echo","params":${p}}`)).doc.error, { code: -32602, message: 'invalid method arguments(s)' }, p);
    }
    assert.deepEqual((await answer('{"jsonrpc":"2.0","id":9,"method":5}')).doc, { error: { code: -32600, message: 'not a valid jsonrpc-2.0 request' }, id: 9, jsonrpc: '2.0' });
  });

  it('bodies that are not one request object', async () => {
    for (const body of ['[]', '[{"jsonrpc":"2.0","id":1,"method":"echo"}]', '"text"', '7', 'null']) {
      assert.deepEqual((await answer(body)).doc, { error: { code: -1, message: 'jsonrpc error' }, id: 0, jsonrpc: '2.0' }, body);
    }
    for (const body of ['', '{', '{"a": 1} x', '{"a": NaN}', new Uint8Array([0x22, 0xc3, 0x28, 0x22])]) {
      assert.equal((await answer(body)).body, '{"error": {"code": -32700, "message": "parse error"}, "id": 0, "jsonrpc": "2.0"}');
    }
    // Deep nesting is refused by the reader instead of exhausting the stack.
    assert.equal((await answer('['.repeat(100_000))).doc.id, 0);
  });

  it('an unexpected exception is -1 "<Class>: <message>" and reported for the log', async () => {
    const bug = await answer('{"jsonrpc":"2.0","id":2,"method":"bug"}');
    assert.deepEqual(bug.doc.error, { code: -1, message: 'RangeError: oops' });
    assert.ok(bug.unexpected instanceof RangeError);
  });

  it('an unknown method is quoted safely', async () => {
    assert.deepEqual((await answer('{"jsonrpc":"2.0","id":1,"method":"nope"}')).doc.error, { code: -32601, message: 'method nope not found' });
    const hostile = (await answer(JSON.stringify({ jsonrpc: '2.0', id: 1, method: `a\n${'b'.repeat(1000)}` }))).doc.error as { code: number; message: string };
    assert.equal(hostile.code, TargetdCode.METHOD_NOT_FOUND);
    assert.ok(hostile.message.length < 100 && !hostile.message.includes('\n'), hostile.message);
  });
});
