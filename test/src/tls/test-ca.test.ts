// The test CA itself: a TLS client that trusts `ca` accepts `server` and refuses the others, each with the
// error code Node gives for that certificate problem. Every later TLS test relies on these four behaviours.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { makeTestCa, type CertificatePair, type TestCa } from '../fixtures/test-ca.js';

let testCa: TestCa;
before(() => { testCa = makeTestCa(); });
after(() => testCa.cleanup());

async function handshake(serverPair: CertificatePair): Promise<string> {
  const server = https.createServer({ cert: serverPair.cert, key: serverPair.key }, (_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<string>((resolve) => {
      const req = https.get({ host: '127.0.0.1', port, ca: testCa.ca.cert, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve('ok'));
      });
      req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
  } finally {
    server.close();
  }
}

test('a client trusting the test CA accepts its server certificate for 127.0.0.1', async () => {
  assert.equal(await handshake(testCa.server), 'ok');
});

test('the other certificates fail verification, each for its own reason', async () => {
  assert.equal(await handshake(testCa.untrusted), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  assert.equal(await handshake(testCa.selfSigned), 'DEPTH_ZERO_SELF_SIGNED_CERT');
  assert.equal(await handshake(testCa.wrongHost), 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.equal(await handshake(testCa.expired), 'CERT_HAS_EXPIRED');
});
