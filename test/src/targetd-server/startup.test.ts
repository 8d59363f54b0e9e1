/**
 * Start-up of the built openlsm-targetd: configuration errors named with file, line and key; TLS files
 * refused as targetd refuses them (tests run as root, so ownership is changed with chown); the listening
 * address defaults to loopback; a backend that cannot be reached stops the start with its error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTestCa, type TestCa } from '../fixtures/test-ca.js';
import { basic, exchange, requestBytes } from './rpc-client.js';
import { installCertificate, PASSWORD, runToExit, startServer, USER, writeConfig } from './server-env.js';

describe('openlsm-targetd start-up', () => {
  let dir: string;
  let ca: TestCa;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-targetd-startup-'));
    ca = makeTestCa();
  });
  after(() => {
    ca.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `text` as a config file and runs the server on it; it must exit. */
  async function exitFor(text: string) {
    const file = path.join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text, { mode: 0o600 });
    return runToExit(file, dir);
  }

  it('--help and --version', async () => {
    const help = await runToExit('', dir, ['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: openlsm-targetd \[--config FILE\]/);
    assert.match(help.stdout, /SIGHUP/);
    const version = await runToExit('', dir, ['-V']);
    assert.match(version.stdout, /^openlsm-targetd \d+\.\d+\.\d+\n$/);
    const bad = await runToExit('', dir, ['--bogus']);
    assert.equal(bad.code, 2);
  });

  it('configuration errors name the file, the line and the key, and stop the start (exit 2)', async () => {
    // Every rule is unit-tested in config.test.ts; these go through the built program.
    const base = 'backend: "sim://"\npassword: "x"\n';
    const cases: [string, RegExp][] = [
      [`${base}pasword: "typo"\n`, /bad-\w+\.yaml:3:1: pasword is not a setting \(known: user, password, /],
      [`${base}port: 99999\n`, /:3:7: port must be an integer from 0 to 65535/],
      [`${base}zfs_block_pools: [tank/ds]\n`, /zfs_block_pools is a targetd setting for local ZFS datasets/],
      ['backend: "sim://"\npassword: 1234\n', /password must be a string: quote it/],
      ['backend: "sim://"\n', /password not set in /],
    ];
    for (const [text, pattern] of cases) {
      const r = await exitFor(text);
      assert.equal(r.code, 2, `${text}\n${r.stderr}`);
      assert.match(r.stderr, pattern, text);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace');
    }
    const missing = await runToExit(path.join(dir, 'none.yaml'), dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read the configuration file .*none\.yaml: ENOENT/);
  });

  it('a backend that cannot be reached stops the start with its error (exit 1)', async () => {
    const r = await exitFor('backend: "nosuchplugin://"\npassword: "x"\nport: 0\n' + `state_file: ${path.join(dir, 'l1.json')}\n`);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /openlsm-targetd: Plug-in "nosuchplugin" not found/);
    const pools = await exitFor(`backend: "sim://?statefile=${path.join(dir, 'p.sqlite3')}"\npassword: "x"\nport: 0\nstate_file: ${path.join(dir, 'l2.json')}\nblock_pools: [vg-none]\n`);
    assert.equal(pools.code, 1, pools.stderr);
    assert.match(pools.stderr, /block_pools: the backend has no pool "vg-none" \(pools: POOL_ID_00001 \(Pool 1\), /);
  });

  it('a damaged LUN state file stops the start instead of being reset', async () => {
    const state = path.join(dir, 'damaged.json');
    writeFileSync(state, '{"version": 1, "luns": {"AG": {"VOL": 999}}}');
    const r = await exitFor(`backend: "sim://?statefile=${path.join(dir, 'd.sqlite3')}"\npassword: "x"\nport: 0\nstate_file: ${state}\n`);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Cannot use the state file .*damaged\.json: its content is not a valid state \(LUN of "VOL" is not 0\.\.255\)\. Nothing was changed/);
  });

  describe('TLS files are refused as targetd refuses them', () => {
    /** A server config over copies of the test CA's files, after `adjust` changed them. */
    async function withFiles(adjust: (cert: string, key: string) => void) {
      const sub = mkdtempSync(path.join(dir, 'tls-'));
      const { cert, key } = installCertificate(sub, ca.server);
      adjust(cert, key);
      const file = writeConfig(sub, { config: { ssl: true, ssl_cert: cert, ssl_key: key } });
      return { ...(await runToExit(file, sub)), cert, key };
    }

    it('key readable by group or others', async () => {
      for (const mode of [0o640, 0o604, 0o200]) {
        const r = await withFiles((_c, key) => chmodSync(key, mode));
        assert.equal(r.code, 1);
        assert.ok(r.stderr.includes(`SSL file: '${r.key}' incorrect permissions (0o${mode.toString(8)}), ensure file is _not_ readable or writeable by anyone other than owner, and that owner can read.`), r.stderr);
      }
    });

    it('certificate readable by others (targetd checks both files)', async () => {
      const r = await withFiles((cert) => chmodSync(cert, 0o644));
      assert.equal(r.code, 1);
      assert.ok(r.stderr.includes(`SSL file: '${r.cert}' incorrect permissions (0o644)`), r.stderr);
    });

    it('key not owned by root', async () => {
      const r = await withFiles((_c, key) => chownSync(key, 65534, 65534));
      assert.equal(r.code, 1);
      assert.ok(r.stderr.includes(`SSL file: '${r.key}' not owned by root.`), r.stderr);
    });

    it('key not a regular file (a directory, a FIFO), or missing', async () => {
      const asDir = await withFiles((_c, key) => { rmSync(key); mkdirSync(key, { mode: 0o700 }); });
      assert.equal(asDir.code, 1);
      assert.ok(asDir.stderr.includes(`SSL file: '${asDir.key}' is not a regular file.`), asDir.stderr);
      const fifo = await withFiles((_c, key) => {
        rmSync(key);
        assert.equal(spawnSync('mkfifo', ['-m', '600', key]).status, 0);
      });
      assert.equal(fifo.code, 1);
      assert.ok(fifo.stderr.includes(`SSL file: '${fifo.key}' is not a regular file.`), fifo.stderr);
      const missing = await withFiles((_c, key) => rmSync(key));
      assert.ok(missing.stderr.includes(`SSL file: '${missing.key}' does not exist.`), missing.stderr);
    });

    it('a key that does not match the certificate', async () => {
      const r = await withFiles((_c, key) => { copyFileSync(ca.untrusted.keyFile, key); chmodSync(key, 0o600); });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Cannot use certificate '.*server\.crt' with key '.*server\.key': .*key values mismatch/);
    });

    it('a symbolic link to a good file is followed, as targetd follows it', async () => {
      const sub = mkdtempSync(path.join(dir, 'link-'));
      const cert = path.join(sub, 'cert.pem');
      copyFileSync(ca.server.certFile, cert);
      chmodSync(cert, 0o600);
      const key = path.join(sub, 'key-link.pem');
      symlinkSync(ca.server.keyFile, key);
      const server = await startServer({ dir: sub, config: { ssl: true, ssl_cert: cert, ssl_key: key } });
      try {
        assert.ok(server.port > 0);
      } finally {
        await server.stop();
      }
    });
  });

  it('listen defaults to 127.0.0.1 (binding to every address must be written explicitly)', async () => {
    const server = await startServer({ config: { listen: null } });
    try {
      const line = server.logLines().find((l) => l.message === 'listening');
      assert.equal(line?.address, '127.0.0.1');
      const reply = await exchange(server.target, requestBytes(server.target, { authorization: basic(USER, PASSWORD), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'pool_list' }) }));
      assert.equal(reply.status, 200);
      // No other address of this machine answers (refused, or dropped by a firewall: either way not served).
      const other = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
      if (other) await assert.rejects(exchange({ host: other.address, port: server.port }, 'x', 3_000), /ECONNREFUSED|EHOSTUNREACH|no complete reply/);
    } finally {
      await server.stop();
    }
  });

  it('a configuration readable by every user starts with a warning about the password', async () => {
    const server = await startServer({ configMode: 0o644 });
    try {
      const warning = server.logLines().find((l) => l.level === 'warn' && String(l.message).includes('readable by every user'));
      assert.match(String(warning?.message), /targetd\.yaml holds the API password and is readable by every user: chmod 600 it/);
    } finally {
      await server.stop();
    }
  });
});
