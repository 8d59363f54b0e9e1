/**
 * Set-up for the simulator's end-to-end tests: a private temp directory per test holding the state file, and a
 * client connected to a real `sim_lsmplugin` process (embedded mode, never a daemon) with LSM_SIM_TIME=0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorNumber, LsmError, type Pool } from '@openlsm/core';
import { Client, type ConnectOptions } from '@openlsm/client';

export interface SimEnv {
  dir: string;
  stateFile: string;
  uri: string;
  env: NodeJS.ProcessEnv;
  /** A new client on this test's state file (closed by `cleanup`). */
  connect(options?: ConnectOptions & { simTime?: string }): Promise<Client>;
  cleanup(): Promise<void>;
}

export function simEnv(): SimEnv {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-sim-test-'));
  const stateFile = path.join(dir, 'state.sqlite3');
  const env: NodeJS.ProcessEnv = { ...process.env, LSM_SIM_TIME: '0', LSM_UDS_PATH: path.join(dir, 'no-daemon') };
  delete env.LSM_SIM_DATA;
  const uri = `sim://?statefile=${encodeURIComponent(stateFile)}`;
  const clients: Client[] = [];
  return {
    dir,
    stateFile,
    uri,
    env,
    async connect(options = {}) {
      const { simTime, ...rest } = options;
      const client = await Client.connect(uri, {
        mode: 'embedded', ...rest, env: { ...env, ...(simTime !== undefined ? { LSM_SIM_TIME: simTime } : {}), ...rest.env },
      });
      clients.push(client);
      return client;
    },
    async cleanup() {
      await Promise.all(clients.map((c) => c.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` with a client on a fresh state file, then cleans up. */
export async function withSim(fn: (client: Client, sim: SimEnv) => Promise<void>): Promise<void> {
  const sim = simEnv();
  try {
    await fn(await sim.connect(), sim);
  } finally {
    await sim.cleanup();
  }
}

/** The pool with this id (the seeded ones: POOL_ID_00001..4). */
export async function pool(client: Client, id: string): Promise<Pool> {
  const [p] = await client.pools({ search_key: 'id', search_value: id });
  if (!p) throw new Error(`no pool ${id}`);
  return p;
}

export const GiB = 1024n ** 3n;

/** An assert.rejects matcher: an LsmError with this code (and message). */
export function lsmError(code: number, message?: RegExp) {
  return (err: unknown): boolean => {
    if (!(err instanceof LsmError)) throw new Error(`expected an LsmError, got ${String(err)}`);
    if (err.code !== code) throw new Error(`expected ${code}, got ${err.toString()}`);
    if (message && !message.test(err.message)) throw new Error(`message ${JSON.stringify(err.message)} does not match ${message}`);
    return true;
  };
}

export { ErrorNumber };
