/**
 * What goes wrong between the plugin and targetd, each against the double: authentication and the tarpit, TLS
 * problems, a server that is down, hangs or answers garbage, an older targetd, and names that must never be
 * sent. Every failure must be an LsmError with lsm's code and a message that names the cause, and the plugin
 * must carry on afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Client } from '@openlsm/client';
import { ErrorNumber, InitiatorType, LsmError } from '@openlsm/core';
import { lsmError } from '../sim/sim-env.js';
import { makeTestCa, type TestCa } from '../fixtures/test-ca.js';
import { GiB, MiB, poolNamed, targetdEnv, type TargetdEnv, theSystem, VG } from './targetd-env.js';

let ca: TestCa;
before(() => { ca = makeTestCa(); });
after(() => ca.cleanup());

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** A raw request with a wrong password: it puts this address into the server's tarpit for its duration. */
function badLogin(port: number): Promise<string> {
  return new Promise((resolve) => {
    const body = '{"id": 1, "method": "pool_list", "jsonrpc": "2.0"}';
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`POST /targetrpc HTTP/1.1\r\nAuthorization: Basic ${Buffer.from('admin:wrong').toString('base64')}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    let reply = '';
    socket.on('data', (d) => { reply += d; });
    socket.on('close', () => resolve(reply));
  });
}

describe('authentication', () => {
  let env: TargetdEnv;
  before(async () => { env = await targetdEnv({ ca, tls: false }); });
  after(() => env.cleanup());

  test('a wrong password: PLUGIN_AUTH_FAILED after targetd\'s 2 s tarpit, from one request and no retry', async () => {
    const before = env.server.requests.length;
    const started = performance.now();
    await assert.rejects(Client.connect(env.uri, { password: 'not-the-password', mode: 'embedded', env: env.env }),
      lsmError(ErrorNumber.PLUGIN_AUTH_FAILED, /HTTP 401.*password/));
    assert.ok(performance.now() - started >= 1900, 'the answer came after the tarpit');
    assert.deepEqual(env.server.requests.slice(before).map((r) => r.status), [401]);
  });

  test('no password, or one with ":", fails at once without contacting targetd', async () => {
    const before = env.server.requests.length;
    await assert.rejects(Client.connect(env.uri, { password: null, mode: 'embedded', env: env.env }), lsmError(ErrorNumber.PLUGIN_AUTH_FAILED, /LSMCLI_PASSWORD/));
    await assert.rejects(Client.connect(env.uri, { password: 'a:b', mode: 'embedded', env: env.env }), lsmError(ErrorNumber.PLUGIN_AUTH_FAILED, /":"/));
    assert.equal(env.server.requests.length, before);
  });

  test('a 503 (someone else\'s failed login from this address in the tarpit) is waited out once, then the call succeeds', async () => {
    const client = await env.connect();
    const before = env.server.requests.length;
    // The plugin is up already, so its request reaches targetd within the bad login's 2 s.
    const refused = badLogin(env.server.port);
    for (const until = Date.now() + 10_000; !env.server.inTarpit() && Date.now() < until;) await new Promise((r) => setTimeout(r, 5));
    assert.ok(env.server.inTarpit(), 'the bad login is being held');
    assert.ok((await client.pools()).length > 0);
    assert.match(await refused, /^HTTP\/1.0 401/);
    // pools asks pool_list and (once) whether vol_resize exists: each request met the tarpit once and was
    // sent once more; the only 401 is the bad login's own.
    const statuses = env.server.requests.slice(before).map((r) => r.status);
    const count = (status: number) => statuses.filter((s) => s === status).length;
    assert.ok(count(503) >= 1, `the plugin met the tarpit: ${statuses.join(' ')}`);
    assert.equal(count(200), count(503), `one retry per 503: ${statuses.join(' ')}`);
    assert.equal(count(401), 1);
  });

  test('the URI needs a user; TLS parameters are checked', async () => {
    const noUser = `targetd+ssl://127.0.0.1:${env.server.port}`;
    await assert.rejects(env.connect({ uri: noUser }), lsmError(ErrorNumber.INVALID_ARGUMENT, /username/));
    await assert.rejects(env.connect({ uri: env.server.uri('no_ssl_verify=yes') }), lsmError(ErrorNumber.INVALID_ARGUMENT, /HTTPS only/));
    const ssl = `targetd+ssl://admin@127.0.0.1:${env.server.port}`;
    await assert.rejects(env.connect({ uri: `${ssl}?ca_cert_file=/nonexistent/ca.pem` }), lsmError(ErrorNumber.INVALID_ARGUMENT, /does not exist/));
    await assert.rejects(env.connect({ uri: `${ssl}?ca_cert_file=${encodeURIComponent(ca.ca.keyFile)}` }), lsmError(ErrorNumber.INVALID_ARGUMENT, /no PEM certificate/));
    await assert.rejects(env.connect({ uri: `${ssl}?ca_cert_file=${encodeURIComponent(ca.ca.certFile)}&no_ssl_verify=yes` }), lsmError(ErrorNumber.INVALID_ARGUMENT, /together/));
    await assert.rejects(env.connect({ uri: `${ssl}?no_ssl_verify=true` }), lsmError(ErrorNumber.INVALID_ARGUMENT, /only "yes"/));
  });
});

describe('TLS', () => {
  const cases = [
    ['untrusted', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', /signed by a CA that is not trusted/],
    ['selfSigned', 'DEPTH_ZERO_SELF_SIGNED_CERT', /self-signed/],
    ['wrongHost', 'ERR_TLS_CERT_ALTNAME_INVALID', /does not name this host/],
    ['expired', 'CERT_HAS_EXPIRED', /has expired/],
  ] as const;

  for (const [which, code, problem] of cases) {
    test(`a ${which} certificate: NETWORK_ERROR naming ${code}; no_ssl_verify=yes connects`, async () => {
      const env = await targetdEnv({ ca, tls: false });
      await env.server.close();
      const { startTargetdServer } = await import('../fixtures/targetd/index.js');
      const server = await startTargetdServer({ tls: { cert: ca[which].cert, key: ca[which].key } });
      try {
        const verified = server.uri(`ca_cert_file=${encodeURIComponent(ca.ca.certFile)}`);
        await assert.rejects(env.connect({ uri: verified, password: server.password }), (err: unknown) => {
          assert.ok(err instanceof LsmError);
          assert.equal(err.code, ErrorNumber.NETWORK_ERROR);
          assert.match(err.message, problem);
          assert.ok(err.message.includes(code), err.message);
          assert.match(err.message, /^TLS: /);
          return true;
        });
        const client = await env.connect({ uri: server.uri('no_ssl_verify=yes'), password: server.password });
        assert.ok((await client.pools()).length > 0);
      } finally {
        await server.close();
        await env.cleanup();
      }
    });
  }

  test('system CAs only (no ca_cert_file): the test CA is not trusted', async () => {
    const env = await targetdEnv({ ca });
    try {
      await assert.rejects(env.connect({ uri: env.server.uri() }), lsmError(ErrorNumber.NETWORK_ERROR, /not trusted/));
    } finally {
      await env.cleanup();
    }
  });

  test('a self-signed certificate can be pinned with ca_cert_file pointing at it', async () => {
    const { startTargetdServer } = await import('../fixtures/targetd/index.js');
    const server = await startTargetdServer({ tls: { cert: ca.selfSigned.cert, key: ca.selfSigned.key } });
    const env = await targetdEnv({ ca, tls: false });
    try {
      const client = await env.connect({ uri: server.uri(`ca_cert_file=${encodeURIComponent(ca.selfSigned.certFile)}`), password: server.password });
      assert.equal((await client.systems()).length, 1);
    } finally {
      await server.close();
      await env.cleanup();
    }
  });

  test('HTTPS to a plain-HTTP targetd and HTTP to an HTTPS one: a clear NETWORK_ERROR each', async () => {
    const plain = await targetdEnv({ ca, tls: false });
    const secure = await targetdEnv({ ca });
    try {
      // targetd's Python reads up to a newline before it answers 400; a ClientHello need not hold one, and
      // then the TLS client waits for a ServerHello until its deadline.
      await assert.rejects(plain.connect({ uri: `targetd+ssl://admin@127.0.0.1:${plain.server.port}?no_ssl_verify=yes`, timeoutMs: 1500 }), (err: unknown) => {
        assert.ok(err instanceof LsmError, String(err));
        if (err.code === ErrorNumber.TIMEOUT) return true;
        assert.equal(err.code, ErrorNumber.NETWORK_ERROR, err.message);
        assert.match(err.message, /plain HTTP, use targetd:\/\//);
        return true;
      });
      await assert.rejects(secure.connect({ uri: `targetd://admin@127.0.0.1:${secure.server.port}` }), lsmError(ErrorNumber.NETWORK_ERROR, /targetd\+ssl/));
    } finally {
      await plain.cleanup();
      await secure.cleanup();
    }
  });
});

describe('a server that is down, hangs or answers garbage', () => {
  let env: TargetdEnv;
  let client: Client;
  before(async () => {
    env = await targetdEnv({ ca });
    client = await env.connect();
  });
  after(() => env.cleanup());

  test('nothing listening: NETWORK_CONNREFUSED', async () => {
    const port = await freePort();
    await assert.rejects(env.connect({ uri: `targetd://admin@127.0.0.1:${port}` }), lsmError(ErrorNumber.NETWORK_CONNREFUSED, /refused the connection/));
  });

  test('a server that accepts and never answers: TIMEOUT at the session timeout, at register and later', async () => {
    const quick = await env.connect({ timeoutMs: 1500 });
    env.server.setFault('hang');
    try {
      let started = performance.now();
      await assert.rejects(quick.pools(), lsmError(ErrorNumber.TIMEOUT));
      assert.ok(performance.now() - started >= 1400);
      started = performance.now();
      await assert.rejects(env.connect({ timeoutMs: 1000 }), lsmError(ErrorNumber.TIMEOUT, /did not answer access_group_list within 1000 ms/));
      assert.ok(performance.now() - started >= 950);
    } finally {
      env.server.setFault(null);
    }
    assert.ok((await quick.pools()).length > 0, 'the session still works');
  });

  const faults = [
    ['garbage', ErrorNumber.NETWORK_ERROR, /not JSON/],
    ['truncated', ErrorNumber.NETWORK_ERROR, /not JSON/],
    ['oversized', ErrorNumber.NETWORK_ERROR, /more than 33554432 bytes/],
    ['headerless', ErrorNumber.PLUGIN_BUG, /without an HTTP status line/],
    ['wrong-id', ErrorNumber.NETWORK_ERROR, /with the id 987654321/],
    ['close', ErrorNumber.NETWORK_ERROR, /closed the connection/],
    [{ status: 500 }, ErrorNumber.NETWORK_ERROR, /HTTP 500/],
    [{ status: 404 }, ErrorNumber.NETWORK_ERROR, /HTTP 404/],
  ] as const;
  for (const [fault, code, message] of faults) {
    test(`a ${typeof fault === 'string' ? fault : `HTTP ${fault.status}`} reply: ${message.source}, and the plugin carries on`, async () => {
      env.server.setFault(fault);
      try {
        await assert.rejects(client.volumes(), lsmError(code, message));
      } finally {
        env.server.setFault(null);
      }
      assert.ok((await client.volumes()).length >= 0);
    });
  }
});

describe('names that targetd would not check are refused before anything is sent', () => {
  let env: TargetdEnv;
  let client: Client;
  before(async () => {
    env = await targetdEnv({ ca, tls: false });
    client = await env.connect();
  });
  after(() => env.cleanup());

  const hostile = [';', 'a;rm -rf /', 'a/b', '..', '../etc', 'a\nb', 'a b', '-rf', 'vg:vol', 'x'.repeat(10_000), 'x'.repeat(10 * 1024 * 1024), '', 'é'];
  test('volume, access group, file system and snapshot names', async () => {
    const vg = await poolNamed(client, VG);
    const system = await theSystem(client);
    const [fsPool] = (await client.pools()).filter((p) => p.id.startsWith('/'));
    assert.ok(fsPool);
    const volume = await client.volumeCreate({ pool: vg, volume_name: 'good-name_1', size_bytes: MiB });
    const fs = await client.fsCreate({ pool: fsPool, name: 'good-fs', size_bytes: GiB });
    const sent = env.server.requests.length;
    for (const name of hostile) {
      const invalid = (err: unknown) => {
        assert.ok(err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT, String(err));
        assert.ok(err.message.length < 300, 'the message quotes a bounded part of the name');
        assert.ok(!err.message.includes('\n'));
        return true;
      };
      await assert.rejects(client.volumeCreate({ pool: vg, volume_name: name, size_bytes: MiB }), invalid);
      await assert.rejects(client.accessGroupCreate({ name, init_id: 'iqn.1994-05.com.example:h', init_type: InitiatorType.ISCSI_IQN, system }), invalid);
      await assert.rejects(client.fsCreate({ pool: fsPool, name, size_bytes: GiB }), invalid);
      await assert.rejects(client.fsSnapshotCreate({ fs, snapshot_name: name }), invalid);
      await assert.rejects(client.volumeReplicate({ rep_type: 3, volume_src: volume, name }), invalid);
    }
    for (const iqn of ['iqn.1994-05.com.example:a;b', 'iqn.2020-01.com:no-second-label', 'iqn.1994-05.com.example:under_score', 'not-an-iqn']) {
      await assert.rejects(client.accessGroupCreate({ name: 'ok', init_id: iqn, init_type: InitiatorType.ISCSI_IQN, system }), lsmError(ErrorNumber.INVALID_ARGUMENT));
      await assert.rejects(client.iscsiChapAuth({ init_id: iqn, in_user: 'u', in_password: 'p' }), lsmError(ErrorNumber.INVALID_ARGUMENT));
    }
    assert.equal(env.server.requests.length, sent, 'not one of them reached targetd');
  });
});

describe('an older targetd (before 0.7.1: no access groups; no vol_resize) with one plain VG and no fs pools', () => {
  let env: TargetdEnv;
  let client: Client;
  before(async () => {
    env = await targetdEnv({
      ca, tls: false, fsPools: [], blockPools: [{ name: VG, backend: 'lvm', size: 10n * GiB }],
      omitMethods: ['access_group_list', 'access_group_create', 'access_group_destroy', 'access_group_init_add', 'access_group_init_del', 'access_group_map_list', 'access_group_map_create', 'access_group_map_destroy', 'vol_resize'],
    });
    client = await env.connect();
  });
  after(() => env.cleanup());

  test('capabilities leave out what it cannot do, and the pools say they cannot grow volumes', async () => {
    const system = await theSystem(client);
    const caps = await client.capabilities({ system });
    const { BLOCK_CAPABILITIES, capabilityNames } = await import('@openlsm/plugin-targetd');
    assert.deepEqual(capabilityNames({ accessGroups: false, resize: false, fileSystems: false, copies: false }), [...BLOCK_CAPABILITIES]);
    const { Capability } = await import('@openlsm/core');
    for (const name of ['ACCESS_GROUP_CREATE_ISCSI_IQN', 'VOLUME_RESIZE', 'FS', 'EXPORT_FS', 'VOLUME_REPLICATE'] as const) assert.equal(caps.cap[Capability[name]], 0, name);
    for (const name of BLOCK_CAPABILITIES) assert.equal(caps.cap[Capability[name]], 1, name);
    const vg = await poolNamed(client, VG);
    assert.equal(vg.unsupported_actions, 3);
    const v = await client.volumeCreate({ pool: vg, volume_name: 'old-v', size_bytes: MiB });
    await assert.rejects(client.volumeResize({ volume: v, new_size_bytes: 8n * MiB }), lsmError(ErrorNumber.NO_SUPPORT, /vol_resize/));
    await assert.rejects(client.accessGroupCreate({ name: 'g', init_id: 'iqn.1994-05.com.example:h', init_type: InitiatorType.ISCSI_IQN, system }), lsmError(ErrorNumber.NO_SUPPORT, /0\.7\.1/));
  });

  test('access groups are the initiators that have exports, masked with export_create', async () => {
    const vg = await poolNamed(client, VG);
    const v = await client.volumeCreate({ pool: vg, volume_name: 'old-m', size_bytes: MiB });
    env.server.state.lio.exportCreate(VG, 'old-m', 'iqn.1994-05.com.example:old', 3n);
    const groups = await client.accessGroups();
    assert.deepEqual(groups.map((g) => [g.name, g.init_ids]), [['N/A', ['iqn.1994-05.com.example:old']]]);
    assert.deepEqual((await client.volumesAccessibleByAccessGroup({ access_group: groups[0] as never })).map((x) => x.id), [v.id]);
  });
});
