/**
 * Many byte streams over one: how openlsmd serves several client sessions with one plugin process that has
 * declared it can (docs/protocol.md §11). Each session is a *channel*, a Duplex carrying that session's openlsm
 * frames unchanged, so a plugin serves a channel exactly as it serves a socket. On the shared stream every
 * piece is a mux frame:
 *
 *   u32 length (of what follows) | u32 channel id | u8 type | payload
 *
 * DATA (0) carries bytes of the channel's stream; END (1) says the sender writes no more on the channel (a
 * half-close, like TCP's FIN); PAUSE (2) and RESUME (3) ask the peer to stop and restart sending DATA on the
 * channel, so that one client that does not read makes its own session wait, not the shared stream. A channel
 * is gone once END has gone both ways (or it was destroyed). Only the opening side (the daemon) allocates ids,
 * increasing from 1; a frame for an id already seen and gone is ignored.
 */
import { Duplex } from 'node:stream';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { FrameReader } from './frame.js';

/**
 * How openlsmd lets a plugin process serve many sessions. It starts the process with `OPENLSM_SESSION_HOST=N`
 * in its environment (N: most sessions per process it accepts) and sends its usual first request,
 * `plugin_info` (id 0). A process that can serve many sessions sends the notification
 * `{method: "$/session_host", params: {sessions: M}}` (M <= N) before that answer, and speaks mux frames once
 * the answer is out; a process that does not (any plugin not written for this) just answers, and serves one
 * session as lsm's do.
 */
export const SESSION_HOST_ENV = 'OPENLSM_SESSION_HOST';
export const SESSION_HOST_METHOD = '$/session_host';

export const MUX_DATA = 0;
export const MUX_END = 1;
export const MUX_PAUSE = 2;
export const MUX_RESUME = 3;
/** channel id (4) + type (1). */
const MUX_PREFIX_BYTES = 5;
/** Largest payload of one DATA frame; longer writes are split. */
export const MAX_MUX_PAYLOAD = 1024 * 1024;

export interface StreamMuxOptions {
  /** Accepting side: called for each channel the peer opens. Without it, frames for unknown ids are ignored. */
  onChannel?: (channel: MuxChannel) => void;
}

function muxHeader(length: number, id: number, type: number): Buffer {
  const header = Buffer.allocUnsafe(4 + MUX_PREFIX_BYTES);
  header.writeUInt32BE(MUX_PREFIX_BYTES + length, 0);
  header.writeUInt32BE(id, 4);
  header.writeUInt8(type, 8);
  return header;
}

export class StreamMux {
  readonly #stream: Duplex;
  readonly #reader = new FrameReader(MUX_PREFIX_BYTES + MAX_MUX_PAYLOAD);
  readonly #channels = new Map<number, MuxChannel>();
  readonly #onChannel: ((channel: MuxChannel) => void) | undefined;
  /** Highest id opened (by us) or accepted (from the peer); lower unknown ids belong to channels now gone. */
  #lastId = 0;
  /** Writers waiting for the shared stream to drain. */
  #drainWaiters: (() => void)[] = [];
  #closed = false;
  readonly closed: Promise<void>;

  constructor(stream: Duplex, options: StreamMuxOptions = {}) {
    this.#stream = stream;
    this.#onChannel = options.onChannel;
    let markClosed!: () => void;
    this.closed = new Promise((resolve) => { markClosed = resolve; });
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    stream.on('drain', () => this.#drained());
    stream.on('error', () => {});
    stream.on('end', () => stream.end());
    stream.on('close', () => {
      this.#closed = true;
      const gone = new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, 'The shared plug-in connection closed');
      for (const channel of [...this.#channels.values()]) channel.destroy(gone);
      this.#channels.clear();
      this.#drained();
      markClosed();
    });
  }

  /** Channels open now. */
  get channelCount(): number {
    return this.#channels.size;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** Opens a new channel (the peer learns of it with its first frame). */
  open(): MuxChannel {
    if (this.#closed) throw new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, 'The shared plug-in connection is closed');
    const channel = new MuxChannel(this, ++this.#lastId);
    this.#channels.set(channel.id, channel);
    return channel;
  }

  /** Closes the shared stream; every channel ends with it. */
  destroy(): void {
    this.#stream.destroy();
  }

  /** Writes one frame; returns false when the shared stream is backed up (then `whenDrained`). */
  send(id: number, type: number, payload?: Buffer): boolean {
    const stream = this.#stream;
    if (this.#closed || stream.destroyed || !stream.writable) return true;
    // Frames of every channel written in one tick leave in one system call (the mux alone corks its stream).
    if (stream.writableCorked === 0) {
      stream.cork();
      process.nextTick(() => stream.uncork());
    }
    const header = muxHeader(payload?.length ?? 0, id, type);
    if (!payload || payload.length === 0) return stream.write(header);
    stream.write(header);
    return stream.write(payload);
  }

  /** Calls `f` once the shared stream has drained (at once if it is closed). */
  whenDrained(f: () => void): void {
    if (this.#closed) f();
    else this.#drainWaiters.push(f);
  }

  forget(id: number): void {
    this.#channels.delete(id);
  }

  #drained(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const f of waiters) f();
  }

  #onData(chunk: Buffer): void {
    let bodies: Buffer[];
    try {
      bodies = this.#reader.push(chunk);
    } catch {
      // A broken shared stream cannot be resynchronised: every session on it ends.
      this.#stream.destroy();
      return;
    }
    for (const body of bodies) {
      if (body.length < MUX_PREFIX_BYTES) {
        this.#stream.destroy();
        return;
      }
      const id = body.readUInt32BE(0);
      const type = body.readUInt8(4);
      if (type > MUX_RESUME) {
        this.#stream.destroy();
        return;
      }
      let channel = this.#channels.get(id);
      if (!channel) {
        if (!this.#onChannel || id <= this.#lastId || (type !== MUX_DATA && type !== MUX_END)) continue;
        this.#lastId = id;
        channel = new MuxChannel(this, id);
        this.#channels.set(id, channel);
        this.#onChannel(channel);
      }
      channel.receive(type, body.subarray(MUX_PREFIX_BYTES));
    }
  }
}

/** One session's byte stream inside a StreamMux. */
export class MuxChannel extends Duplex {
  readonly id: number;
  readonly #mux: StreamMux;
  /** The peer asked us to stop sending DATA. */
  #peerPaused = false;
  /** A write held while the peer is paused. */
  #held: { chunk: Buffer; encoding: BufferEncoding; callback: (err?: Error | null) => void } | undefined;
  /** We asked the peer to stop sending DATA (our reader is full). */
  #askedPause = false;
  #sentEnd = false;
  #receivedEnd = false;

  constructor(mux: StreamMux, id: number) {
    super({ allowHalfOpen: true });
    this.#mux = mux;
    this.id = id;
    // Destroyed with the reason when the shared stream dies; a consumer that missed it sees 'close'.
    this.on('error', () => {});
  }

  /** A frame from the peer for this channel. */
  receive(type: number, payload: Buffer): void {
    switch (type) {
      case MUX_DATA:
        if (this.#receivedEnd || payload.length === 0) return;
        if (!this.push(payload) && !this.#askedPause) {
          this.#askedPause = true;
          this.#mux.send(this.id, MUX_PAUSE);
        }
        return;
      case MUX_END:
        if (this.#receivedEnd) return;
        this.#receivedEnd = true;
        this.push(null);
        this.#forgetIfDone();
        return;
      case MUX_PAUSE:
        this.#peerPaused = true;
        return;
      case MUX_RESUME: {
        this.#peerPaused = false;
        const held = this.#held;
        this.#held = undefined;
        if (held) this._write(held.chunk, held.encoding, held.callback);
        return;
      }
    }
  }

  override _read(): void {
    if (this.#askedPause) {
      this.#askedPause = false;
      this.#mux.send(this.id, MUX_RESUME);
    }
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.#peerPaused) {
      this.#held = { chunk, encoding, callback };
      return;
    }
    let flowing = true;
    for (let offset = 0; offset < chunk.length; offset += MAX_MUX_PAYLOAD) {
      const piece = offset === 0 && chunk.length <= MAX_MUX_PAYLOAD ? chunk : chunk.subarray(offset, offset + MAX_MUX_PAYLOAD);
      flowing = this.#mux.send(this.id, MUX_DATA, piece);
    }
    if (flowing) callback();
    else this.#mux.whenDrained(() => callback());
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.#sendEnd();
    this.#forgetIfDone();
    callback();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.#sendEnd();
    this.#mux.forget(this.id);
    const held = this.#held;
    this.#held = undefined;
    held?.callback(err ?? new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, 'The session was closed'));
    callback(err);
  }

  #sendEnd(): void {
    if (this.#sentEnd) return;
    this.#sentEnd = true;
    this.#mux.send(this.id, MUX_END);
  }

  #forgetIfDone(): void {
    if (this.#sentEnd && this.#receivedEnd) this.#mux.forget(this.id);
  }
}
