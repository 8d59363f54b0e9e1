/**
 * What a session gets from its plugin's pool: an openlsm byte stream to a plugin session, either a process of
 * its own (lsm's isolation) or a channel of a process that serves many (shared-host.ts). The session relays or
 * translates over `stream` and ends the lease when either side leaves.
 */
import type { Duplex } from 'node:stream';
import type { MuxChannel } from '@openlsm/ipc';
import type { ExitStatus, PluginProcess } from './plugin-process.js';

export interface PluginLease {
  /** The session's openlsm byte stream to the plugin. */
  readonly stream: Duplex;
  readonly pid: number;
  /** True when other sessions share the process. */
  readonly shared: boolean;
  /** For a process of its own: its exit status, once it has exited. */
  readonly exited: Promise<ExitStatus> | undefined;
  /** Resolves when the plugin side of the session is over (process exited, channel closed). */
  readonly done: Promise<void>;
  /** Ends the session: EOF to the plugin, which gets `graceMs` to finish before it is cut off. */
  end(graceMs: number): Promise<void>;
  /** Cuts the session off at once. */
  kill(): void;
}

/** A process serving this session alone. */
export class ProcessLease implements PluginLease {
  readonly shared = false;
  readonly #process: PluginProcess;
  readonly done: Promise<void>;

  constructor(process: PluginProcess, onDone: () => void) {
    this.#process = process;
    this.done = process.exited.then(() => onDone());
  }

  get stream(): Duplex {
    return this.#process.socket;
  }

  get pid(): number {
    return this.#process.pid;
  }

  get exited(): Promise<ExitStatus> {
    return this.#process.exited;
  }

  async end(graceMs: number): Promise<void> {
    const socket = this.#process.socket;
    if (!socket.destroyed) socket.end();
    await this.#process.stop(graceMs);
    socket.destroy();
    await this.done;
  }

  kill(): void {
    this.#process.child.kill('SIGKILL');
  }
}

/** One channel of a process that serves many sessions. */
export class ChannelLease implements PluginLease {
  readonly shared = true;
  readonly exited = undefined;
  readonly stream: MuxChannel;
  readonly pid: number;
  readonly done: Promise<void>;

  constructor(channel: MuxChannel, pid: number, onDone: () => void) {
    this.stream = channel;
    this.pid = pid;
    this.done = new Promise<void>((resolve) => {
      if (channel.destroyed) resolve();
      else channel.once('close', () => resolve());
    }).then(() => onDone());
  }

  async end(graceMs: number): Promise<void> {
    const channel = this.stream;
    if (!channel.destroyed) channel.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.done, new Promise<void>((r) => { timer = setTimeout(r, graceMs); })]);
    clearTimeout(timer);
    channel.destroy();
    await this.done;
  }

  kill(): void {
    this.stream.destroy();
  }
}
