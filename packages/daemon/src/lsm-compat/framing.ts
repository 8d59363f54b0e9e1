/**
 * lsm's framing: 10 ASCII decimal digits giving the payload's length in bytes, then the payload (one JSON
 * document). The reader checks the header before buffering anything, so a peer announcing 9 GB costs nothing.
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

/** Accumulates bytes and yields complete payloads as UTF-8 text. */
export class LsmFrameReader {
  readonly #maxPayload: number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #expected = -1;

  constructor(maxPayload = DEFAULT_MAX_LSM_PAYLOAD) {
    this.#maxPayload = maxPayload;
  }

  /**
   * Feeds a chunk; returns the payloads it completed. Throws TRANSPORT_SERIALIZATION for a header that is not
   * 10 digits or announces an empty or oversized payload: the stream cannot be resynchronised after that.
   */
  push(chunk: Buffer): string[] {
    if (chunk.length === 0) return [];
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const out: string[] = [];
    for (;;) {
      if (this.#expected < 0) {
        if (this.#buffered < LSM_HEADER_BYTES) break;
        const head = this.#take(LSM_HEADER_BYTES);
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
        this.#expected = size;
      }
      if (this.#buffered < this.#expected) break;
      out.push(this.#take(this.#expected).toString('utf8'));
      this.#expected = -1;
    }
    return out;
  }

  #take(n: number): Buffer {
    const joined = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    const out = joined.subarray(0, n);
    const rest = joined.subarray(n);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#buffered -= n;
    return out;
  }
}
