/**
 * The daemon's side of a plugin process that serves many sessions (@openlsm/plugin host.ts): after its
 * `$/session_host` announcement and first answer its socket carries a stream multiplexer, and each session
 * is one channel. A host
 * that dies takes its sessions with it (their clients see TRANSPORT_COMMUNICATION, as with a process of their
 * own); that is the price a plugin accepts when it declares it can share a process.
 */
import { StreamMux } from '@openlsm/ipc';
import { ChannelLease } from './lease.js';
import type { PluginProcess } from './plugin-process.js';

export class SharedHost {
  readonly process: PluginProcess;
  /** Sessions it serves at once, at most. */
  readonly capacity: number;
  readonly #mux: StreamMux;
  #sessions = 0;
  /** When its last session ended (for shrinking the pool). */
  idleSince = Date.now();

  constructor(process: PluginProcess, capacity: number) {
    this.process = process;
    this.capacity = capacity;
    this.#mux = new StreamMux(process.socket);
    process.socket.resume();
  }

  get sessions(): number {
    return this.#sessions;
  }

  get usable(): boolean {
    return !this.#mux.isClosed && !this.process.hasExited && this.#sessions < this.capacity;
  }

  /** A session on this host; `onDone` runs once it is over. */
  openSession(onDone: () => void): ChannelLease {
    this.#sessions++;
    return new ChannelLease(this.#mux.open(), this.process.pid, () => {
      this.#sessions--;
      if (this.#sessions === 0) this.idleSince = Date.now();
      onDone();
    });
  }

  /** Ends the process: EOF on its socket (every channel ends), then SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    const socket = this.process.socket;
    if (!socket.destroyed) socket.end();
    await this.process.stop(graceMs);
    socket.destroy();
  }
}
