/**
 * The daemon's sockets: one listening Unix socket per plugin, `<socket dir>/<plugin name>`, with the
 * configured mode and group. Stale sockets of a previous run are removed first (only sockets, never files).
 */
import { chownSync, lstatSync, readdirSync, unlinkSync } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { listenUnix } from '@openlsm/ipc';

/** Removes every socket file in `dir` (a dead daemon's leftovers); returns their names. */
export function removeStaleSockets(dir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    try {
      if (!lstatSync(full).isSocket()) continue;
      unlinkSync(full);
      removed.push(name);
    } catch {
      // gone already
    }
  }
  return removed;
}

export interface PluginSocketOptions {
  mode: number;
  /** Group id to own the socket; undefined keeps the daemon's. */
  gid: number | undefined;
}

/** Listens on `<dir>/<name>`; the socket never has wider permissions than `mode`, even for an instant. */
export async function listenPluginSocket(dir: string, name: string, options: PluginSocketOptions, onConnection: (socket: net.Socket) => void): Promise<net.Server> {
  const socketPath = path.join(dir, name);
  const server = await listenUnix(socketPath, options.mode, onConnection);
  if (options.gid !== undefined) chownSync(socketPath, -1, options.gid);
  return server;
}

/**
 * Stops accepting and removes the socket file. Connections already accepted are not touched (server.close's
 * own callback waits for them, which is the sessions' business, not the listener's).
 */
export function closeListener(server: net.Server, socketPath: string): void {
  try {
    unlinkSync(socketPath);
  } catch {
    // already gone
  }
  server.close();
}
