/** Plugin start-up, measured the same way for every plugin. */
import { spawnPlugin } from '@openlsm/client';
import { Connection } from '@openlsm/ipc';

/**
 * Spawns the plugin executable `exe` and returns [ms to the `plugin_info` answer, ms to the `systems` answer
 * after `plugin_register` with `uri` and `password`].
 */
export async function timeStartup(exe: string, uri: string, env: NodeJS.ProcessEnv, password: string | null = null): Promise<[number, number]> {
  const start = performance.now();
  const plugin = await spawnPlugin(exe, env);
  const connection = new Connection(plugin.socket, { peerName: 'plugin' });
  await connection.request('plugin_info', { flags: 0 });
  const info = performance.now() - start;
  await connection.request('plugin_register', { uri, password, timeout: 30_000, flags: 0 });
  await connection.request('systems', { flags: 0 });
  const systems = performance.now() - start;
  await connection.request('plugin_unregister', { flags: 0 });
  connection.destroy();
  await plugin.stop(1_000);
  return [info, systems];
}
