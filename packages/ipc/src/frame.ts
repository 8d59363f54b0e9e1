/**
 * Framing: a 4-byte big-endian length, then exactly that many bytes of body.
 *
 * `FrameReader` turns a byte stream into bodies and `encodeFrame` does the reverse; neither knows what a
 * message means. The length is checked before anything is buffered, so a peer announcing 4 GiB costs nothing.
 */
import { ErrorNumber, LsmError } from '@openlsm/core';

export const FRAME_HEADER_BYTES = 4;
/** Default largest body accepted or sent: 64 MiB (about 400,000 volumes in one listing). */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** The length field is an unsigned 32-bit number; the configurable cap can never exceed it. */
export const ABSOLUTE_MAX_FRAME_BYTES = 0xffff_ffff;

export function frameTooLarge(size: number, max: number, direction: 'received' | 'sent'): LsmError {
  return new LsmError(
    ErrorNumber.TRANSPORT_SERIALIZATION,
    `Frame of ${size} bytes ${direction === 'received' ? 'announced by the peer' : 'to be sent'} exceeds the limit of ${max} bytes`,
  );
}

/** Prefixes an encoded body with its length. */
export function encodeFrame(body: Uint8Array, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): Buffer {
  if (body.length > maxFrameBytes) throw frameTooLarge(body.length, maxFrameBytes, 'sent');
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  frame.set(body, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Accumulates bytes and yields complete frame bodies. Chunks are kept in a list and joined once per frame,
 * so a 60 MiB frame arriving in 64 KiB pieces is copied once, not 1,000 times.
 */
export class FrameReader {
  readonly #maxFrameBytes: number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** Body length of the frame being assembled, or -1 while its header is incomplete. */
  #expected = -1;

  constructor(maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 1 || maxFrameBytes > ABSOLUTE_MAX_FRAME_BYTES) {
      throw new RangeError(`maxFrameBytes must be an integer in 1..${ABSOLUTE_MAX_FRAME_BYTES}`);
    }
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** Bytes held for an incomplete frame. */
  get buffered(): number {
    return this.#buffered;
  }

  /**
   * Feeds a chunk and returns the bodies it completed (often none or one). Throws an LsmError
   * (TRANSPORT_SERIALIZATION) when a header announces an empty or oversized frame; the stream cannot be
   * resynchronised after that, so the caller must close the connection.
   */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length === 0) return [];
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const bodies: Buffer[] = [];
    for (;;) {
      if (this.#expected < 0) {
        if (this.#buffered < FRAME_HEADER_BYTES) break;
        const head = this.#take(FRAME_HEADER_BYTES);
        const size = head.readUInt32BE(0);
        if (size === 0) throw new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, 'Peer sent an empty frame');
        if (size > this.#maxFrameBytes) throw frameTooLarge(size, this.#maxFrameBytes, 'received');
        this.#expected = size;
      }
      if (this.#buffered < this.#expected) break;
      bodies.push(this.#take(this.#expected));
      this.#expected = -1;
    }
    return bodies;
  }

  /** Removes and returns the first `n` buffered bytes (`n` <= buffered). */
  #take(n: number): Buffer {
    const first = this.#chunks[0] as Buffer;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const c = this.#chunks[0] as Buffer;
        const part = Math.min(c.length, n - filled);
        c.copy(out, filled, 0, part);
        filled += part;
        if (part === c.length) this.#chunks.shift();
        else this.#chunks[0] = c.subarray(part);
      }
    }
    this.#buffered -= n;
    return out;
  }
}
