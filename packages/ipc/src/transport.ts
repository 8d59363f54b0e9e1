/**
 * Unix-socket plumbing shared by the client, the plugin runner and the daemon.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import { ErrorNumber, LsmError } from '@openlsm/core';

/**
 * Connects to a Unix socket. Maps the OS's answers to lsm's codes: a missing path is PLUGIN_NOT_EXIST, a
 * permission problem PLUGIN_SOCKET_PERMISSION, anything else PLUGIN_IPC_FAIL.
 */
export function connectUnix(path: string, signal?: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path });
    const onAbort = () => {
      socket.destroy();
      reject(new LsmError(ErrorNumber.TIMEOUT, `Connecting to ${path} was aborted`));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      reject(socketError(path, err));
    });
  });
}

export function socketError(path: string, err: NodeJS.ErrnoException): LsmError {
  switch (err.code) {
    case 'ENOENT':
      return new LsmError(ErrorNumber.PLUGIN_NOT_EXIST, `Plug-in ${path} not found!`);
    case 'EACCES':
    case 'EPERM':
      return new LsmError(ErrorNumber.PLUGIN_SOCKET_PERMISSION, `Permissions are incorrect for IPC socket file ${path}`);
    default:
      return new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `Unable to connect to ${path}: ${err.code ?? err.message}`);
  }
}

/** Wraps an inherited, already-connected socket descriptor (lsm's `<plugin> <fd>` convention). */
export function socketFromFd(fd: number): net.Socket {
  return new net.Socket({ fd, readable: true, writable: true, allowHalfOpen: false });
}

/**
 * Listens on a Unix socket with the given mode. The socket is bound under a restrictive umask so there is no
 * window in which it is more open than asked; a stale socket file at `path` is removed first (never a
 * regular file or directory). `backlog` is how many connections the kernel queues before accept (default 128;
 * Linux caps it at net.core.somaxconn).
 */
export async function listenUnix(path: string, mode: number, onConnection: (socket: net.Socket) => void, backlog = 128): Promise<net.Server> {
  try {
    const st = await fs.lstat(path);
    if (st.isSocket()) await fs.unlink(path);
    else throw new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `Refusing to replace ${path}: it exists and is not a socket`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const server = net.createServer(onConnection);
  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  // The socket file is created by bind(), which listen() calls synchronously for a path: the narrow umask (no
  // moment with a socket others can connect to) is in force for exactly that call. The umask is the whole
  // process's, so it must not stay narrowed across an await: a file, directory or child process made meanwhile
  // would get it too.
  const previous = process.umask(0o177);
  try {
    server.listen({ path, backlog });
  } finally {
    process.umask(previous);
  }
  await listening;
  await fs.chmod(path, mode);
  return server;
}
