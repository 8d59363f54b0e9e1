import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BasicAuthGate, parseBasic } from './auth.js';

const header = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('Basic authentication and the tarpit', () => {
  it('parses Basic headers strictly; the password may hold ":"', () => {
    assert.deepEqual(parseBasic(header('admin:pw')), { user: 'admin', password: 'pw' });
    assert.deepEqual(parseBasic(header('admin:a:b')), { user: 'admin', password: 'a:b' });
    assert.deepEqual(parseBasic(`basic  ${Buffer.from('u:').toString('base64')}`), { user: 'u', password: '' });
    for (const bad of ['Bearer abc', 'Basic', 'Basic !!!', `Basic ${Buffer.from('nocolon').toString('base64')}`, 'Basic YWJj', `Basic ${Buffer.from([0x61, 0x3a, 0xff]).toString('base64')}`]) {
      assert.equal(parseBasic(bad), null, bad);
    }
  });

  it('a wrong password waits, and the address is refused meanwhile, good credentials included', async () => {
    const gate = new BasicAuthGate('admin', 'pw', 200);
    assert.deepEqual(await gate.check(header('admin:pw'), '1.2.3.4'), { ok: true, user: 'admin' });
    assert.deepEqual(await gate.check(undefined, '1.2.3.4'), { ok: false, status: 401, reason: 'missing' });
    assert.deepEqual(await gate.check('Basic %%', '1.2.3.4'), { ok: false, status: 400, reason: 'malformed' });
    const started = performance.now();
    const denied = gate.check(header('admin:wrong'), '1.2.3.4');
    assert.deepEqual(await gate.check(header('admin:pw'), '1.2.3.4'), { ok: false, status: 503, reason: 'tarpit' });
    assert.deepEqual(await gate.check(header('admin:pw'), '5.6.7.8'), { ok: true, user: 'admin' });
    assert.deepEqual(await denied, { ok: false, status: 401, reason: 'denied', user: 'admin' });
    assert.ok(performance.now() - started >= 190);
    assert.deepEqual(await gate.check(header('admin:pw'), '1.2.3.4'), { ok: true, user: 'admin' });
    assert.equal((await gate.check(header('root:pw'), '9.9.9.9')).ok, false);
  });
});
