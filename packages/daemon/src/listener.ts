/**
 * The daemon's sockets: one listening Unix socket per plugin, `<socket dir>/<plugin name>`, with the
 * configured mode and group. Stale sockets of a previous run are removed first (only sockets, never files).
 * A SocketWatch notices when a socket file is removed or replaced (by a careless `rm`, or by a process that
 * could write in the directory and wanted to listen in the plugin's place), so the daemon can recreate it.
 */
import { chownSync, type FSWatcher, lstatSync, readdirSync, unlinkSync, watch } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { listenUnix } from '@openlsm/ipc';

/**
 * Connections the kernel queues while the daemon is busy: a burst of 1,000 connects overflowed lsm's and our
 * old 128 (EAGAIN for most clients). Linux caps it at net.core.somaxconn (4096 by default since 5.4).
 */
export const LISTEN_BACKLOG = 4096;

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
  const server = await listenUnix(socketPath, options.mode, onConnection, LISTEN_BACKLOG);
  if (options.gid !== undefined) chownSync(socketPath, -1, options.gid);
  return server;
}

/** What identifies the file at `socketPath` (device and inode), or undefined when there is none. */
export function fileIdentity(socketPath: string): string | undefined {
  try {
    const st = lstatSync(socketPath, { bigint: true });
    return `${st.dev}:${st.ino}:${st.isSocket() ? 's' : 'f'}`;
  } catch {
    return undefined;
  }
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

/**
 * Calls `check` soon after anything changes in `dir` (inotify, coalesced) and every `intervalMs` anyway (a
 * watch can miss events, and stops when the directory itself is removed).
 */
export class SocketWatch {
  readonly #dir: string;
  readonly #check: () => void;
  #watcher: FSWatcher | undefined;
  #soon: NodeJS.Timeout | undefined;
  readonly #interval: NodeJS.Timeout;

  constructor(dir: string, check: () => void, intervalMs = 2_000) {
    this.#dir = dir;
    this.#check = check;
    this.#interval = setInterval(() => {
      this.#watch();
      check();
    }, intervalMs);
    this.#interval.unref();
    this.#watch();
  }

  close(): void {
    clearInterval(this.#interval);
    clearTimeout(this.#soon);
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  #watch(): void {
    if (this.#watcher) return;
    try {
      const watcher = watch(this.#dir, { persistent: false }, () => {
        if (this.#soon) return;
        this.#soon = setTimeout(() => {
          this.#soon = undefined;
          this.#check();
        }, 20);
      });
      watcher.on('error', () => {
        watcher.close();
        if (this.#watcher === watcher) this.#watcher = undefined;
      });
      this.#watcher = watcher;
    } catch {
      // the directory is gone; the interval keeps checking (and re-watches once it is back)
    }
  }
}
