/**
 * openlsm-targetd against targetd's documented HTTP and JSON-RPC behaviour (conformance-cases.ts), over HTTPS
 * on 127.0.0.1 with a certificate from a throw-away CA, backed by the simulator. Also the tarpit's 503s, which
 * need concurrent requests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONFORMANCE_CASES, type ConformanceTarget, runCase } from './conformance-cases.js';
import { makeTestCa, type TestCa } from '../fixtures/test-ca.js';
import { startTargetdServer, type TargetdServer } from '../fixtures/targetd/index.js';
import { basic, exchange, requestBytes } from './rpc-client.js';
import { PASSWORD, POOL, type RunningServer, startServer, USER } from './server-env.js';

describe('openlsm-targetd conformance with targetd (HTTPS)', () => {
  let server: RunningServer;
  let target: ConformanceTarget;

  before(async () => {
    server = await startServer({ tls: true });
    target = { kind: 'openlsm', ...server.target, user: USER, password: PASSWORD, pool: POOL };
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  for (const c of CONFORMANCE_CASES) {
    it(c.name, async () => {
      await runCase(target, c);
    });
  }

  it('four concurrent bad logins from one address: one 401, three 503 at once, and a good login is 503 meanwhile', async () => {
    const bad = requestBytes(target, { authorization: basic(USER, 'wrong'), body: '{}' });
    const good = requestBytes(target, { authorization: basic(USER, PASSWORD), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'pool_list' }) });
    const replies = await Promise.all([...Array.from({ length: 4 }, () => exchange(target, bad)), exchange(target, good)]);
    const statuses = replies.slice(0, 4).map((r) => r.status).sort();
    assert.deepEqual(statuses, [401, 503, 503, 503]);
    assert.equal(replies[4]?.status, 503);
    assert.equal(replies.find((r) => r.status === 503)?.headers['retry-after'], '2');
    // Once the tarpit is over, the good credentials work again.
    assert.equal((await exchange(target, good)).status, 200);
  });

  it('a password containing ":" works (RFC 7617 splits at the first colon; targetd answers 400)', async () => {
    const other = await startServer({ config: { password: 'pa:ss:word' } });
    try {
      const t = other.target;
      const ok = await exchange(t, requestBytes(t, { authorization: basic(USER, 'pa:ss:word'), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'pool_list' }) }));
      assert.equal(ok.status, 200, ok.raw);
    } finally {
      await other.stop();
    }
  });

  it('the access log records each request without the password or the Authorization header', async () => {
    const requests = server.logLines().filter((l) => l.message === 'request');
    assert.ok(requests.length >= CONFORMANCE_CASES.length, `${requests.length} access log lines`);
    const denied = requests.find((l) => l.auth === 'denied');
    assert.equal(denied?.status, 401);
    assert.ok(requests.some((l) => l.rpc_method === 'pool_list' && l.status === 200 && typeof l.ms === 'number'));
    const text = server.stderr();
    assert.ok(!text.includes(PASSWORD), 'the password is in the log');
    assert.ok(!text.includes(basic(USER, PASSWORD).slice(6)), 'the Authorization header is in the log');
  });
});

describe('the same conformance table against the targetd double of the plugin tests (HTTPS)', () => {
  // Where the double (a model of targetd 0.10.4) and the table disagree, one of the two is wrong about targetd.
  let ca: TestCa;
  let double: TargetdServer;
  let target: ConformanceTarget;

  before(async () => {
    ca = makeTestCa();
    double = await startTargetdServer({ tls: { cert: ca.server.cert, key: ca.server.key }, user: USER, password: PASSWORD });
    target = { kind: 'targetd', host: double.host, port: double.port, ca: ca.ca.cert, user: USER, password: PASSWORD, pool: POOL };
  });
  after(async () => {
    await double.close();
    ca.cleanup();
  });

  for (const c of CONFORMANCE_CASES) {
    it(c.name, async () => {
      await runCase(target, c);
    });
  }
});
