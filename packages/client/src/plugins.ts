/**
 * Discovering the plugins a host offers, for `lsmcli list --type plugins`.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PluginInfo } from '@openlsm/core';
import { Connection, connectUnix } from '@openlsm/ipc';
import { spawnPlugin } from './embedded.js';
import { listPluginExecutables, socketDirectory } from './locate.js';

export interface PluginDescription {
  name: string;
  description: string;
  version: string;
  /** `daemon` when served by openlsmd's socket, `embedded` when found as an executable. */
  source: 'daemon' | 'embedded';
}

async function askInfo(connection: Connection, timeoutMs: number): Promise<[string, string]> {
  try {
    const raw = await connection.request(PluginInfo.method, { flags: 0 }, { timeoutMs });
    return PluginInfo.result.parse(raw, 'result');
  } finally {
    connection.destroy();
  }
}

/**
 * Lists plugins: those behind the daemon's sockets, then installed executables the daemon does not serve.
 * Plugins that fail to answer `plugin_info` within `timeoutMs` are left out.
 */
export async function listPlugins(options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<PluginDescription[]> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const dir = socketDirectory(env);
  const found = new Map<string, PluginDescription>();
  let sockets: string[] = [];
  try {
    sockets = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
  } catch {
    sockets = [];
  }
  await Promise.all(sockets.map(async (name) => {
    const full = path.join(dir, name);
    try {
      if (!statSync(full).isSocket()) return;
      const connection = new Connection(await connectUnix(full), { peerName: `plug-in "${name}"` });
      const [description, version] = await askInfo(connection, timeoutMs);
      found.set(name, { name, description, version, source: 'daemon' });
    } catch {
      // not answering: not listed
    }
  }));
  const executables = [...listPluginExecutables(env)].filter(([name]) => !found.has(name));
  await Promise.all(executables.map(async ([name, exe]) => {
    try {
      const plugin = await spawnPlugin(exe, env);
      const connection = new Connection(plugin.socket, { peerName: `plug-in "${name}"` });
      try {
        const [description, version] = await askInfo(connection, timeoutMs);
        found.set(name, { name, description, version, source: 'embedded' });
      } finally {
        await plugin.stop(1_000);
      }
    } catch {
      // not answering: not listed
    }
  }));
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
