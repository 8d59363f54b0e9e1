/**
 * lsm's framing: 10 ASCII decimal digits giving the payload's length in bytes, then the payload (one JSON
 * document). The reader checks the header before buffering anything, so a peer announcing 9 GB costs nothing.
 *
 * A payload that fits in the chunk that carries it is returned as a view of that chunk; a longer one is
 * assembled in one buffer of its own as its bytes arrive, so the socket's 64 KiB read buffers are released at
 * once (holding thousands of them fragments the heap, and the memory never goes back to the system) and the
 * finished payload can be handed to a worker thread without a copy.
 */
import { ErrorNumber, LsmError } from '@openlsm/core';

export const LSM_HEADER_BYTES = 10;
/** Default largest payload accepted from an lsm client: 64 MiB, as on openlsm's own wire. */
export const DEFAULT_MAX_LSM_PAYLOAD = 64 * 1024 * 1024;

/** Prefixes a JSON text with its byte length. */
export function encodeLsmFrame(json: string): Buffer {
  const length = Buffer.byteLength(json);
  const frame = Buffer.allocUnsafe(LSM_HEADER_BYTES + length);
  frame.write(String(length).padStart(LSM_HEADER_BYTES, '0'), 0, 'latin1');
  frame.write(json, LSM_HEADER_BYTES, 'utf8');
  return frame;
}

/** Accumulates bytes and yields complete payloads. */
export class LsmFrameReader {
  readonly #maxPayload: number;
  readonly #header = Buffer.alloc(LSM_HEADER_BYTES);
  #headerBytes = 0;
  /** The payload being assembled (allocated once its length is known), and how much of it has arrived. */
  #payload: Buffer | undefined;
  #filled = 0;

  constructor(maxPayload = DEFAULT_MAX_LSM_PAYLOAD) {
    this.#maxPayload = maxPayload;
  }

  /** Bytes held for the frame in progress (header included). */
  get pending(): number {
    return this.#headerBytes + this.#filled;
  }

  /**
   * Feeds a chunk; returns the payloads it completed. Throws TRANSPORT_SERIALIZATION for a header that is not
   * 10 digits or announces an empty or oversized payload: the stream cannot be resynchronised after that.
   */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.#payload === undefined) {
        const take = Math.min(LSM_HEADER_BYTES - this.#headerBytes, chunk.length - at);
        chunk.copy(this.#header, this.#headerBytes, at, at + take);
        this.#headerBytes += take;
        at += take;
        if (this.#headerBytes < LSM_HEADER_BYTES) break;
        const size = this.#checkHeader();
        const available = chunk.length - at;
        if (available >= size) {
          out.push(chunk.subarray(at, at + size));
          at += size;
          this.#headerBytes = 0;
          continue;
        }
        this.#payload = Buffer.allocUnsafeSlow(size);
        this.#filled = 0;
      }
      const payload = this.#payload;
      const take = Math.min(payload.length - this.#filled, chunk.length - at);
      chunk.copy(payload, this.#filled, at, at + take);
      this.#filled += take;
      at += take;
      if (this.#filled === payload.length) {
        out.push(payload);
        this.#payload = undefined;
        this.#filled = 0;
        this.#headerBytes = 0;
      }
    }
    return out;
  }

  /** Drops the frame in progress (the connection is closing), so its memory can be reclaimed. */
  discard(): void {
    this.#payload = undefined;
    this.#filled = 0;
    this.#headerBytes = 0;
  }

  #checkHeader(): number {
    const head = this.#header;
    for (const byte of head) {
      if (byte < 0x30 || byte > 0x39) {
        throw new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, `Invalid message header ${JSON.stringify(head.toString('latin1'))}: expected 10 decimal digits`);
      }
    }
    const size = Number(head.toString('latin1'));
    if (size === 0) throw new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, 'Empty message');
    if (size > this.#maxPayload) {
      throw new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, `Message of ${size} bytes exceeds the limit of ${this.#maxPayload} bytes`);
    }
    return size;
  }
}
