/**
 * Embedded mode: the client starts the plugin executable itself, with one end of a socket pair as fd 3
 * (`<plugin> 3`, lsm's convention). No daemon, no shell: the executable is spawned directly with an argv.
 *
 * The plugin's stderr is passed on to ours as it comes, and its last lines are kept: when the plugin dies, the
 * error names its exit code or signal and what it said last, which is usually why.
 */
import type { ChildProcess } from 'node:child_process';
import type net from 'node:net';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { SESSION_HOST_ENV } from '@openlsm/ipc';

export interface EmbeddedPlugin {
  socket: net.Socket;
  child: ChildProcess;
  /**
   * Describes how the process ended ("plug-in x exited with code 1", "... was killed by SIGKILL", with the last
   * lines of its stderr), waiting at most `waitMs` for it to end; undefined while it runs.
   */
  exitDescription(waitMs: number): Promise<string | undefined>;
  /** Waits up to `graceMs` for the process to exit by itself, then kills it. */
  stop(graceMs: number): Promise<void>;
}

/** The descriptor number the plugin receives its connection on. */
export const PLUGIN_FD = 3;

/** How much of the plugin's stderr is remembered, and how many of its last lines an error quotes. */
const TAIL_BYTES = 4096;
const TAIL_LINES = 3;
const TAIL_LINE_CHARS = 300;

/** The end of a byte stream, kept small: a plugin that logs a lot must not cost memory. */
class StderrTail {
  #chunks: Buffer[] = [];
  #bytes = 0;

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#bytes - (this.#chunks[0]?.length ?? 0) >= TAIL_BYTES) this.#bytes -= this.#chunks.shift()?.length ?? 0;
  }

  /** The last non-blank lines, each cut to a readable length, joined by " | "; '' when there were none. */
  lastLines(): string {
    const lines = Buffer.concat(this.#chunks).toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
    return lines.slice(-TAIL_LINES).map((l) => (l.length > TAIL_LINE_CHARS ? `${l.slice(0, TAIL_LINE_CHARS)}…` : l)).join(' | ');
  }
}

/** Resolves after `ms`, or at once when `settled` resolves first; never leaves a timer behind. */
async function within(settled: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // When the event loop was starved, a timer and the event we wait for become ready together, and timers run
  // first; setImmediate gives the event (read in the poll phase) its chance before giving up.
  await Promise.race([settled, new Promise<void>((r) => { timer = setTimeout(() => setImmediate(r), ms); })]);
  clearTimeout(timer);
}

export function spawnPlugin(executable: string, env: NodeJS.ProcessEnv = process.env): Promise<EmbeddedPlugin> {
  return new Promise((resolve, reject) => {
    // libuv creates 'pipe' stdio entries as AF_UNIX socket pairs, which is exactly lsm's transport.
    // openlsmd's offer to host many sessions is for the processes it starts; a plugin this client starts serves
    // this one session, in plain framing, whatever the caller's environment says.
    const { [SESSION_HOST_ENV]: _offer, ...pluginEnv } = env;
    // child_process is loaded here, when a plugin is started, not with the SDK: most lsmcli commands go through
    // openlsmd and never start one, and loading it costs several ms of every command's start-up.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(executable, [String(PLUGIN_FD)], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      env: pluginEnv,
      shell: false,
    });
    const name = executable.split('/').pop() ?? executable;
    const tail = new StderrTail();
    const stderrDone = new Promise<void>((done) => {
      const stderr = child.stderr;
      if (!stderr) return done();
      stderr.on('data', (chunk: Buffer) => {
        tail.push(chunk);
        process.stderr.write(chunk);
      });
      stderr.once('close', done);
      stderr.once('error', () => done());
    });
    let exit: string | undefined;
    const exited = new Promise<void>((done) => {
      child.once('exit', (code, signal) => {
        exit = signal ? `plug-in ${name} was killed by ${signal}` : `plug-in ${name} exited with code ${code}`;
        done();
      });
    });
    const describe = (): string | undefined => {
      if (exit === undefined) return undefined;
      const said = tail.lastLines();
      return said ? `${exit}; its last stderr output: ${said}` : exit;
    };
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
          // One deadline for both: the exit, and what the plugin wrote just before it, which may still be in the
          // pipe (its end is read right after the exit). Calls in flight fail only once this settles.
          await within(exit === undefined ? Promise.all([exited, stderrDone]).then(() => undefined) : stderrDone, waitMs);
          return describe();
        },
        async stop(graceMs) {
          if (exit !== undefined) return;
          if (graceMs > 0) await within(exited, graceMs);
          if (exit === undefined) {
            child.kill('SIGKILL');
            await exited;
          }
        },
      });
    });
  });
}
