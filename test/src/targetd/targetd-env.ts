/**
 * Set-up for the targetd plugin's end-to-end tests: the targetd double (../fixtures/targetd) on 127.0.0.1 over
 * HTTPS with a certificate from a throw-away CA, and the real plugin process reached through the SDK
 * (embedded mode) or the built lsmcli, with `ca_cert_file=` pointing at the CA.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type ConnectOptions } from '@openlsm/client';
import { type Pool, type System } from '@openlsm/core';
import { type CliResult, lsmcli, type RunOptions } from '../cli/harness.js';
import { startTargetdServer, type TargetdServer, type TargetdServerOptions } from '../fixtures/targetd/index.js';
import { makeTestCa, type TestCa } from '../fixtures/test-ca.js';

export interface TargetdEnv {
  ca: TestCa;
  server: TargetdServer;
  /** `targetd+ssl://admin@127.0.0.1:<port>?ca_cert_file=<the CA>` (plain `targetd://` with `{ tls: false }`). */
  uri: string;
  /** Environment of the plugin processes: no daemon, so the SDK runs the plugin itself. */
  env: NodeJS.ProcessEnv;
  connect(options?: ConnectOptions & { uri?: string }): Promise<Client>;
  /** lsmcli -u <uri> ... with the password in LSMCLI_PASSWORD. */
  cli(argv: readonly string[], options?: RunOptions & { uri?: string }): Promise<CliResult>;
  /** Expects exit 0 and no stderr; returns stdout. */
  ok(argv: readonly string[], options?: RunOptions & { uri?: string }): Promise<string>;
  json<T = unknown>(argv: readonly string[], options?: RunOptions & { uri?: string }): Promise<T>;
  cleanup(): Promise<void>;
}

export interface TargetdEnvOptions extends Omit<TargetdServerOptions, 'tls'> {
  /** HTTPS (default) or plain HTTP. */
  tls?: boolean;
  /** Shares a CA between environments of one test file. */
  ca?: TestCa;
}

export async function targetdEnv(options: TargetdEnvOptions = {}): Promise<TargetdEnv> {
  const { tls = true, ca: sharedCa, ...serverOptions } = options;
  const ca = sharedCa ?? makeTestCa();
  const server = await startTargetdServer({ ...serverOptions, ...(tls ? { tls: { cert: ca.server.cert, key: ca.server.key } } : {}) });
  const uri = tls ? server.uri(`ca_cert_file=${encodeURIComponent(ca.ca.certFile)}`) : server.uri();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-targetd-test-'));
  // Plugins log warnings that tests provoke on purpose (no_ssl_verify, the tarpit); tests that read logs ask.
  const env: NodeJS.ProcessEnv = { ...process.env, LSM_UDS_PATH: path.join(dir, 'no-daemon'), OPENLSM_LOG_LEVEL: 'error' };
  delete env.LSMCLI_PASSWORD;
  const clients: Client[] = [];
  const cli = (argv: readonly string[], o: RunOptions & { uri?: string } = {}) =>
    lsmcli(['-u', o.uri ?? uri, ...argv], {
      ...o, env: { LSM_UDS_PATH: env.LSM_UDS_PATH, OPENLSM_LOG_LEVEL: 'error', LSMCLI_PASSWORD: server.password, ...o.env },
    });
  const ok = async (argv: readonly string[], o?: RunOptions & { uri?: string }) => {
    const r = await cli(argv, o);
    if (r.code !== 0 || r.stderr !== '') throw new Error(`lsmcli ${argv.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  return {
    ca,
    server,
    uri,
    env,
    async connect(o = {}) {
      const { uri: u, ...rest } = o;
      const client = await Client.connect(u ?? uri, { password: server.password, mode: 'embedded', env, ...rest });
      clients.push(client);
      return client;
    },
    cli,
    ok,
    json: async <T>(argv: readonly string[], o?: RunOptions & { uri?: string }) => JSON.parse(await ok(['-o', 'json', ...argv], o)) as T,
    async cleanup() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await server.close();
      rmSync(dir, { recursive: true, force: true });
      if (!sharedCa) ca.cleanup();
    },
  };
}

export async function poolNamed(client: Client, id: string): Promise<Pool> {
  const pool = (await client.pools()).find((p) => p.id === id);
  if (!pool) throw new Error(`no pool ${id}`);
  return pool;
}

export async function theSystem(client: Client): Promise<System> {
  const [system] = await client.systems();
  if (!system) throw new Error('no system');
  return system;
}

export const VG = 'vg-targetd';
export const THIN = 'vg-targetd-thin/thin_pool';
export const ZFS = 'tank/targetd';
export const FS_POOL = '/srv/targetd';
export const IQN1 = 'iqn.1994-05.com.redhat:client1';
export const IQN2 = 'iqn.1994-05.com.redhat:client2';
export const MiB = 1024n * 1024n;
export const GiB = 1024n * MiB;
