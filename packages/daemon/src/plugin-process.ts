/**
 * One plugin process: `<exe> 3`, with one end of a socket pair as fd 3, exactly as the client's embedded mode
 * starts plugins (libuv makes 'pipe' stdio entries AF_UNIX socket pairs). stderr is inherited, so the
 * plugin's own JSON log lines reach the journal beside the daemon's. No shell; uid/gid drop privileges when
 * the daemon runs as root.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { decodeBody, encodeBody, encodeFrame, FRAME_HEADER_BYTES, FrameReader, SESSION_HOST_METHOD } from '@openlsm/ipc';
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
   * Asks `plugin_info` (answered before registration) and resolves once the process is loaded and serving,
   * with its description and version and, for a process that announced it serves many sessions
   * (`$/session_host`, only when started with SESSION_HOST_ENV), how many. Leaves the socket paused, with no
   * listener, at a frame boundary, so that it can be handed to a client (or a multiplexer) untouched.
   */
  probe(timeoutMs: number): Promise<ProbeResult> {
    return probeOpening(this.socket, timeoutMs);
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

export interface ProbeResult {
  description: string;
  version: string;
  /** Sessions the process serves at once, when it announced more than one. */
  sessions: number | undefined;
}

/**
 * Sends `plugin_info` (id 0: clients number their requests from 1, so it can never be confused with theirs) on
 * a fresh plugin connection and reads exactly its answer, and the `$/session_host` announcement a process
 * that serves many sessions sends before it.
 */
export function probeOpening(stream: Duplex, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const reader = new FrameReader();
    let sessions: number | undefined;
    // Raw bytes so far, and how many of them the frames read up to now took: what follows the answer is handed on.
    const chunks: Buffer[] = [];
    let consumed = 0;
    const timer = setTimeout(() => finish(new LsmError(ErrorNumber.TIMEOUT, `plug-in did not answer plugin_info within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      let bodies: Buffer[];
      try {
        bodies = reader.push(chunk);
      } catch (err) {
        finish(err as LsmError);
        return;
      }
      for (const body of bodies) {
        consumed += FRAME_HEADER_BYTES + body.length;
        let message: { id?: unknown; method?: unknown; params?: { sessions?: unknown }; result?: unknown; error?: { message?: string } };
        try {
          message = decodeBody(body) as typeof message;
        } catch (err) {
          finish(new LsmError(ErrorNumber.PLUGIN_BUG, `plug-in answered plugin_info with undecodable data: ${(err as Error).message}`));
          return;
        }
        if (typeof message !== 'object' || message === null) {
          finish(new LsmError(ErrorNumber.PLUGIN_BUG, 'plug-in answered plugin_info wrongly'));
          return;
        }
        if (message.method === SESSION_HOST_METHOD && sessions === undefined && message.id === undefined) {
          const n = message.params?.sessions;
          if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
            finish(new LsmError(ErrorNumber.PLUGIN_BUG, `plug-in announced ${SESSION_HOST_METHOD} without a session count`));
            return;
          }
          sessions = n;
          continue;
        }
        const result = message.result;
        if (message.id !== 0 || !Array.isArray(result) || typeof result[0] !== 'string' || typeof result[1] !== 'string') {
          finish(new LsmError(ErrorNumber.PLUGIN_BUG, `plug-in answered plugin_info wrongly: ${message.error?.message ?? 'bad result'}`));
          return;
        }
        // After the answer a host speaks mux frames: whatever else came belongs to the multiplexer.
        const rest = Buffer.concat(chunks).subarray(consumed);
        if (rest.length > 0 && sessions === undefined) {
          finish(new LsmError(ErrorNumber.PLUGIN_BUG, 'plug-in sent unsolicited data before its session started'));
          return;
        }
        finish(undefined, { description: result[0], version: result[1], sessions });
        if (rest.length > 0) stream.unshift(rest);
        return;
      }
    };
    const onClose = () => finish(new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, 'plug-in exited before answering plugin_info'));
    const finish = (err: LsmError | undefined, probe?: ProbeResult) => {
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('close', onClose);
      stream.pause();
      if (err) reject(err);
      else resolve(probe as ProbeResult);
    };
    stream.on('data', onData);
    stream.once('close', onClose);
    stream.write(encodeFrame(encodeBody({ id: 0, method: 'plugin_info', params: { flags: 0 } })));
    stream.resume();
  });
}
