/**
 * The worker thread behind parse.ts: parses lsm payloads too large to parse on the daemon's main thread.
 * Receives `{ id, payload }` (the payload's buffer transferred, not copied), answers `{ id, value }` or
 * `{ id, code, message }`.
 */
import { parentPort } from 'node:worker_threads';
import { LsmError } from '@openlsm/core';
import { parseLsmJson } from '@openlsm/core';

const port = parentPort;
if (!port) throw new Error('json-worker.js runs as a worker thread');
port.on('message', ({ id, payload }: { id: number; payload: Uint8Array }) => {
  try {
    const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
    port.postMessage({ id, value: parseLsmJson(text) });
  } catch (err) {
    const lsm = err instanceof LsmError ? err : undefined;
    port.postMessage({ id, code: lsm?.code, message: (err as Error).message });
  }
});
