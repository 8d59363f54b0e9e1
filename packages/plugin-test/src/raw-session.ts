/**
 * A session that speaks the wire protocol without the SDK's help: the client validates every request before
 * sending it, so what a plugin does with a bad request (wrong flags, an unknown method, an unsupported search
 * key, a call before `plugin_register`) can only be seen from a connection of our own. It reaches the plugin the
 * way the client would: the daemon's socket when one listens, else the executable, started with a socket pair.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  type EmbeddedPlugin, ErrorNumber, findPluginExecutable, LsmError, parseUri, socketDirectory, spawnPlugin,
} from '@openlsm/client';
import { Connection, connectUnix } from '@openlsm/ipc';

export interface RawSession {
  /** Sends `method` with `params` as given (`flags: 0` is added unless `params` has flags). */
  request(method: string, params?: Record<string, unknown>): Promise<unknown>;
  readonly connection: Connection;
  close(): Promise<void>;
}

export interface RawTarget {
  uri: string;
  password: string | null;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
}

export async function openRawSession(target: RawTarget, register: boolean): Promise<RawSession> {
  const { plugin } = parseUri(target.uri);
  const socketPath = path.join(socketDirectory(target.env), plugin);
  let embedded: EmbeddedPlugin | undefined;
  let connection: Connection;
  if (existsSync(socketPath)) {
    connection = new Connection(await connectUnix(socketPath), { timeoutMs: target.timeoutMs, peerName: `plug-in "${plugin}"` });
  } else {
    const executable = findPluginExecutable(plugin, target.env);
    if (!executable) throw new LsmError(ErrorNumber.PLUGIN_NOT_EXIST, `Plug-in "${plugin}" not found (no daemon socket, no ${plugin}_lsmplugin)`);
    const started = await spawnPlugin(executable, target.env);
    embedded = started;
    connection = new Connection(started.socket, {
      timeoutMs: target.timeoutMs,
      peerName: `plug-in "${plugin}"`,
      closeReason: () => started.exitDescription(50),
    });
  }
  const session: RawSession = {
    connection,
    request: (method, params = {}) => connection.request(method, { flags: 0, ...params }),
    async close() {
      connection.destroy();
      await embedded?.stop(1_000);
    },
  };
  if (register) {
    try {
      await session.request('plugin_register', { uri: target.uri, password: target.password, timeout: target.timeoutMs });
    } catch (err) {
      await session.close();
      throw err;
    }
  }
  return session;
}
