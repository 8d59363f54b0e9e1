/**
 * Test set-up for the foundation's end-to-end tests: a private plugin directory holding `echo_lsmplugin`, a
 * symlink to the compiled echo plugin, and an environment that finds it (and no daemon socket).
 */
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { Client, type ConnectOptions } from '@openlsm/client';

export const echoPluginPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/echo-plugin.js');

export interface EchoEnv {
  dir: string;
  env: NodeJS.ProcessEnv;
  connect(uri?: string, options?: ConnectOptions): Promise<Client>;
  /** Closes every client made by `connect` (reaping its plugin process) and removes the directory. */
  cleanup(): Promise<void>;
}

export function echoEnv(): EchoEnv {
  // tsc emits 0644; the plugin is started as an executable.
  chmodSync(echoPluginPath, 0o755);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-foundation-'));
  symlinkSync(echoPluginPath, path.join(dir, 'echo_lsmplugin'));
  const env = { ...process.env, OPENLSM_PLUGIN_DIR: dir, LSM_UDS_PATH: path.join(dir, 'no-daemon') };
  const clients: Client[] = [];
  return {
    dir,
    env,
    async connect(uri = 'echo://', options = {}) {
      const client = await Client.connect(uri, { env, ...options });
      clients.push(client);
      return client;
    },
    async cleanup() {
      await Promise.all(clients.map((c) => c.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The plugin process id the echo plugin reports in its system's plugin_data (`pid=<n>`). */
export async function pluginPid(client: Client): Promise<number> {
  const [system] = await client.systems();
  const pid = Number(/^pid=(\d+)$/.exec(system?.plugin_data ?? '')?.[1]);
  if (!Number.isInteger(pid)) throw new Error(`echo plugin reported no pid: ${String(system?.plugin_data)}`);
  return pid;
}

/** True while a process with this id exists (a reaped child no longer does). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function isLsmError(code: number, message?: RegExp) {
  return (err: unknown): boolean => {
    if (!(err instanceof LsmError)) return false;
    if (err.code !== code) throw new Error(`expected ${code}, got ${err.toString()}`);
    if (message && !message.test(err.message)) throw new Error(`message ${JSON.stringify(err.message)} does not match ${message}`);
    return true;
  };
}

export { ErrorNumber };
