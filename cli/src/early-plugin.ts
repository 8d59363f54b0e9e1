/**
 * Starting the plugin process as early as possible. A plugin takes longer to start (its own Node.js, its
 * store) than the CLI takes to load commander and its output code, so main.ts starts it first and the two
 * start-ups overlap. Only the light parts of the SDK are loaded here (locating and spawning, imported statically
 * so that they are in the bundle's first chunk and no extra file is read before the spawn); the connection
 * itself is made later by Client.connect, which adopts the process.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type EmbeddedPlugin, spawnPlugin } from '@openlsm/client/embedded';
import { findPluginExecutable, socketDirectory } from '@openlsm/client/locate';
import { pluginEnvironment } from './settings.js';

/** The plugin name of a URI (`targetd+ssl://...` -> `targetd`), or undefined when it has no scheme. */
export function pluginOfUri(uri: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9.-]*)(?:\+[A-Za-z0-9]+)?:\/\//.exec(uri);
  return m?.[1]?.toLowerCase();
}

/**
 * Spawns the plugin executable for `uri` when lsmcli would run it embedded (no daemon socket for it);
 * resolves undefined when the daemon serves it or no executable exists (Client.connect then decides).
 */
export async function startPluginEarly(uri: string, env: NodeJS.ProcessEnv = process.env): Promise<EmbeddedPlugin | undefined> {
  const plugin = pluginOfUri(uri);
  if (!plugin) return undefined;
  if (existsSync(path.join(socketDirectory(env), plugin))) return undefined;
  const executable = findPluginExecutable(plugin, env);
  if (!executable) return undefined;
  // msgpackr's optional native decoder takes ~12 ms to locate and load, on the critical path of the plugin's
  // start-up, and only speeds up decoding large messages, which a plugin does not receive (it sends them).
  return spawnPlugin(executable, { MSGPACKR_NATIVE_ACCELERATION_DISABLED: 'true', ...pluginEnvironment(env) });
}
