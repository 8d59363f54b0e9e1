/**
 * Set-up for the tgt plugin's end-to-end tests: a real tgtd of the test's own (fixtures/tgtd.ts), a pool
 * directory and a state directory in its private directory, a configuration file (0600, as the plugin
 * demands), and the built lsmcli or the SDK talking to a real `tgt_lsmplugin` process (embedded mode).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@openlsm/client';
import { lsmcli, type CliResult, type RunOptions } from '../cli/harness.js';
import { startTgtd, type Tgtd } from '../fixtures/tgtd.js';

export interface TgtEnv {
  tgtd: Tgtd;
  poolDir: string;
  stateDir: string;
  configFile: string;
  uri: string;
  env: NodeJS.ProcessEnv;
  cli(argv: readonly string[], options?: RunOptions): Promise<CliResult>;
  /** Runs lsmcli, expects exit 0 and an empty stderr, returns stdout. */
  ok(argv: readonly string[]): Promise<string>;
  json<T = unknown>(argv: readonly string[]): Promise<T>;
  /** An SDK client on a real plugin process (closed by `cleanup`). */
  connect(): Promise<Client>;
  /** One plugin session, opened (plugin_register replays the state into tgtd) and closed again. */
  session(): Promise<void>;
  cleanup(): Promise<void>;
}

export const PREFIX = 'iqn.2024-01.org.openlsm.test';

export interface TgtEnvOptions {
  /** Extra YAML appended to the configuration. */
  extraConfig?: string;
}

export async function tgtEnv(options: TgtEnvOptions = {}): Promise<TgtEnv> {
  const tgtd = await startTgtd();
  const poolDir = path.join(tgtd.dir, 'pool');
  const stateDir = path.join(tgtd.dir, 'state');
  mkdirSync(poolDir);
  const configFile = path.join(tgtd.dir, 'tgt.yaml');
  writeFileSync(configFile, [
    `socket: ${tgtd.socketPath}`,
    `state_dir: ${stateDir}`,
    `target_prefix: ${PREFIX}`,
    'pools:',
    '  - name: images',
    `    directory: ${poolDir}`,
    options.extraConfig ?? '',
  ].join('\n'), { mode: 0o600 });
  const uri = `tgt://?config=${configFile}`;
  const env: NodeJS.ProcessEnv = { ...process.env, LSM_UDS_PATH: path.join(tgtd.dir, 'no-daemon') };
  const clients: Client[] = [];
  const cli = (argv: readonly string[], opts?: RunOptions) => lsmcli(['-u', uri, ...argv], { ...opts, env: { LSM_UDS_PATH: env.LSM_UDS_PATH, ...opts?.env } });
  const ok = async (argv: readonly string[]) => {
    const r = await cli(argv);
    if (r.code !== 0 || r.stderr !== '') throw new Error(`lsmcli ${argv.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  return {
    tgtd, poolDir, stateDir, configFile, uri, env, cli, ok,
    json: async <T>(argv: readonly string[]) => JSON.parse(await ok(['-o', 'json', ...argv])) as T,
    async connect() {
      const client = await Client.connect(uri, { mode: 'embedded', env });
      clients.push(client);
      return client;
    },
    async session() {
      await (await Client.connect(uri, { mode: 'embedded', env })).close();
    },
    async cleanup() {
      await Promise.all(clients.map((c) => c.close()));
      await tgtd.stop();
    },
  };
}
