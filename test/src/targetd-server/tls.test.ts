/**
 * TLS of openlsm-targetd with real clients on 127.0.0.1: the protocol floor (1.2), the TLS 1.2 suites
 * (forward-secret AEAD only), a client that does not speak TLS, and SIGHUP: new connections get the new
 * certificate, a keep-alive connection opened before goes on with the old one, and files that are refused on
 * reload leave the current certificate in use.
 */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { exchange, RpcClient } from './rpc-client.js';
import { PASSWORD, type RunningServer, startServer, USER } from './server-env.js';

/** Connects with `options` and resolves with the negotiated protocol, cipher and certificate fingerprint. */
function handshake(server: RunningServer, options: tls.ConnectionOptions = {}): Promise<{ protocol: string | null; cipher: string; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: server.host, port: server.port, servername: 'localhost', ca: server.target.ca, ...options });
    socket.once('secureConnect', () => {
      const result = { protocol: socket.getProtocol(), cipher: socket.getCipher().name, fingerprint: socket.getPeerCertificate().fingerprint256 };
      socket.end();
      resolve(result);
    });
    socket.once('error', reject);
  });
}

describe('openlsm-targetd TLS', () => {
  let server: RunningServer;

  before(async () => {
    server = await startServer({ tls: true });
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  it('negotiates TLS 1.3 with a current client, and TLS 1.2 with an AEAD suite', async () => {
    assert.equal((await handshake(server)).protocol, 'TLSv1.3');
    const v12 = await handshake(server, { maxVersion: 'TLSv1.2' });
    assert.equal(v12.protocol, 'TLSv1.2');
    assert.match(v12.cipher, /^ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
  });

  it('refuses TLS 1.1 and 1.0', async () => {
    for (const version of ['TLSv1.1', 'TLSv1'] as const) {
      await assert.rejects(handshake(server, { minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' }),
        (err: NodeJS.ErrnoException) => /protocol|version|alert/i.test(`${err.code} ${err.message}`), version);
    }
  });

  it('refuses TLS 1.2 suites without forward secrecy or with CBC', async () => {
    for (const ciphers of ['ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA', 'AES128-GCM-SHA256:AES256-SHA256']) {
      await assert.rejects(handshake(server, { maxVersion: 'TLSv1.2', ciphers }), /handshake failure|no shared cipher|alert/i, ciphers);
    }
  });

  it('a client speaking plain HTTP to the TLS port gets no answer, and the server goes on', async () => {
    const reply = await exchange({ host: server.host, port: server.port }, 'POST /targetrpc HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}').catch((err: Error) => err);
    // The handshake fails on the first bytes and the connection is closed without a word (or reset).
    if (reply instanceof Error) assert.match(reply.message, /ECONNRESET/);
    else assert.equal(reply.raw, '');
    const rpc = new RpcClient(server.target, USER, PASSWORD);
    try {
      assert.ok(Array.isArray(await rpc.call('pool_list')));
    } finally {
      rpc.close();
    }
  });

  it('SIGHUP: new connections get the new certificate, a keep-alive connection keeps going, refused files change nothing', async () => {
    const ca = server.ca!;
    // The client trusts the original CA and the self-signed certificate that replaces the server's.
    const rpc = new RpcClient({ ...server.target, ca: `${ca.ca.cert}\n${ca.selfSigned.cert}` }, USER, PASSWORD);
    try {
      const first = await rpc.post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'pool_list' }));
      assert.equal(first.status, 200);
      const oldFingerprint = (first.socket as tls.TLSSocket).getPeerCertificate().fingerprint256;
      assert.equal(oldFingerprint, (await handshake(server)).fingerprint);

      const cert = path.join(server.dir, 'server.crt');
      const key = path.join(server.dir, 'server.key');
      writeFileSync(cert, ca.selfSigned.cert);
      writeFileSync(key, ca.selfSigned.key);
      const reloaded = server.waitForLog('TLS certificate reloaded');
      server.proc.kill('SIGHUP');
      await reloaded;

      const second = await rpc.post(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'pool_list' }));
      assert.equal(second.status, 200);
      assert.equal(second.socket, first.socket, 'the keep-alive connection was dropped');
      assert.equal((second.socket as tls.TLSSocket).getPeerCertificate().fingerprint256, oldFingerprint);
      const fresh = await handshake(server, { ca: ca.selfSigned.cert });
      assert.notEqual(fresh.fingerprint, oldFingerprint);

      // A key that targetd would refuse: logged, and the certificate in use stays.
      writeFileSync(cert, ca.server.cert);
      writeFileSync(key, ca.server.key);
      chmodSync(key, 0o644);
      const refused = server.waitForLog('TLS certificate not reloaded; the current one stays in use');
      server.proc.kill('SIGHUP');
      const line = await refused;
      assert.match(String(line.error), /SSL file: '.*server\.key' incorrect permissions \(0o644\)/);
      assert.equal((await handshake(server, { ca: ca.selfSigned.cert })).fingerprint, fresh.fingerprint);
    } finally {
      rpc.close();
    }
  });
});
