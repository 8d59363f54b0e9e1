/**
 * Follows the openlsm frames of a stream the daemon relays without decoding: where each frame ends, how many
 * bytes of the frame in progress have passed (for the buffer budget), and what each frame is, read from the
 * first bytes of its MessagePack body. That is enough to know whether a session has calls in flight (its idle
 * timeout must never cut a call the plugin is still working on) and whether a frame was complete before the
 * daemon says anything of its own on the stream.
 *
 * What a frame is comes from its map's first key, as every openlsm writer puts it: `id` (nil: a notification or
 * a closing error), `method` (a request or, for names starting with `$/`, a protocol notification such as
 * `$/cancel`), `result`/`error` (a response), `params` (a notification). A body that does not start that way
 * counts as a call, the safe side for an idle timeout.
 */
import { ErrorNumber, LsmError } from '@openlsm/core';
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES, frameTooLarge } from '@openlsm/ipc';

export type FrameKind = 'call' | 'notification';

/** Body bytes looked at to tell a frame's kind. */
const PEEK_BYTES = 48;
const NIL = 0xc0;

/** A MessagePack string at `at`: [text, offset after it], or undefined when it is not one or is cut off. */
function readString(b: Uint8Array, at: number): [string, number] | undefined {
  const tag = b[at];
  if (tag === undefined) return undefined;
  let length: number;
  let start: number;
  if (tag >= 0xa0 && tag <= 0xbf) { length = tag - 0xa0; start = at + 1; }
  else if (tag === 0xd9 && at + 1 < b.length) { length = b[at + 1] as number; start = at + 2; }
  else return undefined;
  if (start + length > b.length) return undefined;
  return [Buffer.from(b.buffer, b.byteOffset + start, length).toString('latin1'), start + length];
}

/** The kind of a message from the first bytes of its body (its direction tells a request from a response). */
export function frameKind(peek: Uint8Array): FrameKind {
  const tag = peek[0];
  let at: number;
  if (tag !== undefined && tag >= 0x80 && tag <= 0x8f) at = 1;
  else if (tag === 0xde) at = 3;
  else if (tag === 0xdf) at = 5;
  else return 'call';
  const key = readString(peek, at);
  if (!key) return 'call';
  const [name, next] = key;
  switch (name) {
    case 'id':
      return peek[next] === NIL ? 'notification' : 'call';
    case 'method': {
      const method = readString(peek, next);
      return method && method[0].startsWith('$/') ? 'notification' : 'call';
    }
    case 'params':
      return 'notification';
    default: // result, error, or a layout we do not know
      return 'call';
  }
}

export class FrameMeter {
  readonly #maxFrameBytes: number;
  readonly #onFrame: (kind: FrameKind) => void;
  readonly #header = Buffer.alloc(FRAME_HEADER_BYTES);
  #headerBytes = 0;
  /** Body bytes still expected for the frame in progress, -1 between frames. */
  #remaining = -1;
  #bodyLength = 0;
  readonly #peek = Buffer.alloc(PEEK_BYTES);
  #peeked = 0;

  constructor(onFrame: (kind: FrameKind) => void, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    this.#onFrame = onFrame;
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** Bytes of the frame in progress that have passed (header included); 0 at a frame boundary. */
  get partial(): number {
    return this.#remaining < 0 ? this.#headerBytes : FRAME_HEADER_BYTES + this.#bodyLength - this.#remaining;
  }

  get atBoundary(): boolean {
    return this.#remaining < 0 && this.#headerBytes === 0;
  }

  /** Follows a chunk. Throws TRANSPORT_SERIALIZATION for a header announcing an empty or oversized frame. */
  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.#remaining < 0) {
        const take = Math.min(FRAME_HEADER_BYTES - this.#headerBytes, chunk.length - at);
        chunk.copy(this.#header, this.#headerBytes, at, at + take);
        this.#headerBytes += take;
        at += take;
        if (this.#headerBytes < FRAME_HEADER_BYTES) return;
        const size = this.#header.readUInt32BE(0);
        if (size === 0) throw new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, 'Peer sent an empty frame');
        if (size > this.#maxFrameBytes) throw frameTooLarge(size, this.#maxFrameBytes, 'received');
        this.#remaining = size;
        this.#bodyLength = size;
        this.#peeked = 0;
      }
      const take = Math.min(this.#remaining, chunk.length - at);
      if (this.#peeked < PEEK_BYTES) {
        const n = Math.min(PEEK_BYTES - this.#peeked, take);
        chunk.copy(this.#peek, this.#peeked, at, at + n);
        this.#peeked += n;
      }
      this.#remaining -= take;
      at += take;
      if (this.#remaining === 0) {
        this.#remaining = -1;
        this.#headerBytes = 0;
        this.#onFrame(frameKind(this.#peek.subarray(0, this.#peeked)));
      }
    }
  }
}
