/**
 * Two in-memory streams wired back to back, for serving a plugin inside the caller's process and for tests:
 * what one end writes, the other reads. Ending or destroying one end is seen by the other as end-of-stream,
 * as with a socket whose peer went away.
 */
import { Duplex } from 'node:stream';

export function memoryPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (peer: () => Duplex): Duplex => new Duplex({
    read() {
      // Data is pushed by the peer's writes; nothing to pull.
    },
    write(chunk: Buffer, _encoding, callback) {
      const p = peer();
      if (!p.destroyed) p.push(chunk);
      callback();
    },
    final(callback) {
      const p = peer();
      if (!p.destroyed) p.push(null);
      callback();
    },
    destroy(err, callback) {
      const p = peer();
      if (!p.destroyed && !p.readableEnded) p.push(null);
      callback(err);
    },
  });
  const a = make(() => ends[1] as Duplex);
  const b = make(() => ends[0] as Duplex);
  ends.push(a, b);
  return [a, b];
}
