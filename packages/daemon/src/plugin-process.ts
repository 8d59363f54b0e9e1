/**
 * One plugin process: `<exe> 3`, with one end of a socket pair as fd 3, exactly as the client's embedded mode
 * starts plugins (libuv makes 'pipe' stdio entries AF_UNIX socket pairs). stderr is inherited, so the
 * plugin's own JSON log lines reach the journal beside the daemon's. No shell; uid/gid drop privileges when
 * the daemon runs as root.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type net from 'node:net';
import { encodeBody, encodeFrame, decodeBody, FrameReader } from '@openlsm/ipc';
import { ErrorNumber, LsmError } from '@openlsm/core';

export const PLUGIN_FD = 3;

export interface SpawnSettings {
  executable: string;
  env: NodeJS.ProcessEnv;
  uid?: number | undefined;
  gid?: number | undefined;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class PluginProcess {
  readonly child: ChildProcess;
  readonly socket: net.Socket;
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  #exit: ExitStatus | undefined;

  private constructor(child: ChildProcess, socket: net.Socket) {
    this.child = child;
    this.socket = socket;
    this.pid = child.pid as number;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
    // Errors on the daemon's end (EPIPE, ECONNRESET when the plugin dies) are reported through 'close'.
    socket.on('error', () => {});
  }

  /** Starts the executable; rejects with PLUGIN_IPC_FAIL when it cannot be executed. */
  static start(settings: SpawnSettings): Promise<PluginProcess> {
    return new Promise((resolve, reject) => {
      const child = spawn(settings.executable, [String(PLUGIN_FD)], {
        stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
        env: settings.env,
        shell: false,
        ...(settings.uid !== undefined ? { uid: settings.uid } : {}),
        ...(settings.gid !== undefined ? { gid: settings.gid } : {}),
      });
      child.once('error', (err: NodeJS.ErrnoException) => {
        reject(new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `Cannot start plug-in ${settings.executable}: ${err.code ?? err.message}`));
      });
      child.once('spawn', () => resolve(new PluginProcess(child, child.stdio[PLUGIN_FD] as net.Socket)));
    });
  }

  get hasExited(): boolean {
    return this.#exit !== undefined;
  }

  get exitStatus(): ExitStatus | undefined {
    return this.#exit;
  }

  /**
   * Asks `plugin_info` (answered before registration) and resolves with [description, version] once the
   * process is loaded and serving. Leaves the socket paused, with no listener, at a message boundary, so that
   * it can be handed to a client untouched.
   */
  probe(timeoutMs: number): Promise<[string, string]> {
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      const reader = new FrameReader();
      const timer = setTimeout(() => finish(new LsmError(ErrorNumber.TIMEOUT, `plug-in did not answer plugin_info within ${timeoutMs} ms`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        let bodies: Buffer[];
        try {
          bodies = reader.push(chunk);
        } catch (err) {
          finish(err as LsmError);
          return;
        }
        if (bodies.length === 0) return;
        const answer = decodeBody(bodies[0] as Buffer) as { id?: unknown; result?: unknown; error?: { message?: string } };
        if (bodies.length > 1 || reader.buffered > 0) {
          finish(new LsmError(ErrorNumber.PLUGIN_BUG, 'plug-in sent unsolicited data before its session started'));
        } else if (answer.id !== 0 || !Array.isArray(answer.result) || typeof answer.result[0] !== 'string' || typeof answer.result[1] !== 'string') {
          finish(new LsmError(ErrorNumber.PLUGIN_BUG, `plug-in answered plugin_info wrongly: ${answer.error?.message ?? 'bad result'}`));
        } else {
          finish(undefined, [answer.result[0], answer.result[1]]);
        }
      };
      const onClose = () => finish(new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, 'plug-in exited before answering plugin_info'));
      const finish = (err: LsmError | undefined, info?: [string, string]) => {
        clearTimeout(timer);
        socket.removeListener('data', onData);
        socket.removeListener('close', onClose);
        socket.pause();
        if (err) reject(err);
        else resolve(info as [string, string]);
      };
      socket.on('data', onData);
      socket.once('close', onClose);
      // Id 0: clients number their requests from 1, so this one can never be confused with theirs.
      socket.write(encodeFrame(encodeBody({ id: 0, method: 'plugin_info', params: { flags: 0 } })));
    });
  }

  /** Waits up to `graceMs` for the process to exit by itself, then kills it (SIGKILL). */
  async stop(graceMs: number): Promise<ExitStatus> {
    if (this.#exit) return this.#exit;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise<void>((r) => { timer = setTimeout(r, graceMs); })]);
    clearTimeout(timer);
    if (!this.#exit) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** "exited with code 3", "was killed by SIGKILL". */
export function describeExit(status: ExitStatus): string {
  return status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
}
