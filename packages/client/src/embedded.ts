/**
 * Embedded mode: the client starts the plugin executable itself, with one end of a socket pair as fd 3
 * (`<plugin> 3`, lsm's convention). No daemon, no shell: the executable is spawned directly with an argv.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type net from 'node:net';
import { ErrorNumber, LsmError } from '@openlsm/core';

export interface EmbeddedPlugin {
  socket: net.Socket;
  child: ChildProcess;
  /** Describes how the process ended ("exited with code 1", "was killed by SIGKILL"), waiting at most `waitMs`. */
  exitDescription(waitMs: number): Promise<string | undefined>;
  /** Waits up to `graceMs` for the process to exit by itself, then kills it. */
  stop(graceMs: number): Promise<void>;
}

/** The descriptor number the plugin receives its connection on. */
export const PLUGIN_FD = 3;

export function spawnPlugin(executable: string, env: NodeJS.ProcessEnv = process.env): Promise<EmbeddedPlugin> {
  return new Promise((resolve, reject) => {
    // libuv creates 'pipe' stdio entries as AF_UNIX socket pairs, which is exactly lsm's transport.
    const child = spawn(executable, [String(PLUGIN_FD)], {
      stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
      env,
      shell: false,
    });
    const name = executable.split('/').pop() ?? executable;
    let exit: string | undefined;
    const exited = new Promise<void>((done) => {
      child.once('exit', (code, signal) => {
        exit = signal ? `plug-in ${name} was killed by ${signal}` : `plug-in ${name} exited with code ${code}`;
        done();
      });
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      // ENOENT here means the executable vanished after it was found, or its interpreter is missing.
      const code = err.code === 'ENOENT' ? ErrorNumber.PLUGIN_NOT_EXIST : ErrorNumber.PLUGIN_IPC_FAIL;
      reject(new LsmError(code, `Cannot start plug-in ${executable}: ${err.code ?? err.message}`));
    });
    child.once('spawn', () => {
      const socket = child.stdio[PLUGIN_FD] as net.Socket;
      resolve({
        socket,
        child,
        async exitDescription(waitMs) {
          if (exit === undefined) {
            let timer: NodeJS.Timeout | undefined;
            // When the event loop was starved, the timer and the child's exit become ready together, and timers
            // run first; setImmediate gives the exit (read in the poll phase) its chance before giving up.
            await Promise.race([exited, new Promise<void>((r) => { timer = setTimeout(() => setImmediate(r), waitMs); })]);
            clearTimeout(timer);
          }
          return exit;
        },
        async stop(graceMs) {
          if (exit !== undefined) return;
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([exited, new Promise<void>((r) => { timer = setTimeout(r, graceMs); })]);
          clearTimeout(timer);
          if (exit === undefined) {
            child.kill('SIGKILL');
            await exited;
          }
        },
      });
    });
  });
}
