/**
 * Parses lsm payloads without ever blocking the daemon on one client's input. Small payloads (every request
 * a real lsm client sends) are parsed at once on the main thread; a payload of `OFF_THREAD_BYTES` or more goes
 * to a worker thread, so a hostile 64 MiB document delays only its own connection. The worker starts on first
 * use and stops after a few idle seconds, which also gives the memory of a large document back.
 */
import { Worker } from 'node:worker_threads';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { parseLsmJson } from '@openlsm/core';

/** Payloads at least this long are parsed off the main thread (about 0.5 ms of parsing). */
export const OFF_THREAD_BYTES = 64 * 1024;
const WORKER_IDLE_MS = 5_000;

interface Pending {
  resolve(value: unknown): void;
  reject(err: LsmError): void;
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();
let idleTimer: NodeJS.Timeout | undefined;

function failAll(err: LsmError): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function startWorker(): Worker {
  const w = new Worker(new URL('./json-worker.js', import.meta.url), {
    // A document is at most 64 MiB of text and MAX_VALUES values: this leaves room and still bounds a runaway.
    resourceLimits: { maxOldGenerationSizeMb: 1024 },
  });
  w.unref();
  w.on('message', (answer: { id: number; value?: unknown; code?: number; message?: string }) => {
    const p = pending.get(answer.id);
    if (!p) return;
    pending.delete(answer.id);
    if (answer.message === undefined) p.resolve(answer.value);
    else p.reject(new LsmError(answer.code ?? ErrorNumber.TRANSPORT_SERIALIZATION, answer.message));
    scheduleStop();
  });
  const lost = (why: string) => {
    if (worker === w) worker = undefined;
    failAll(new LsmError(ErrorNumber.LIB_BUG, `openlsmd's JSON worker ${why}`));
  };
  w.on('error', (err) => lost(`failed: ${err.message}`));
  w.on('exit', (code) => lost(`exited with code ${code}`));
  return w;
}

function scheduleStop(): void {
  clearTimeout(idleTimer);
  if (pending.size > 0) return;
  idleTimer = setTimeout(() => {
    if (pending.size > 0 || !worker) return;
    const w = worker;
    worker = undefined;
    void w.terminate();
  }, WORKER_IDLE_MS);
  idleTimer.unref();
}

/** A payload the caller gives away: transferable only when it owns its whole ArrayBuffer. */
function owned(payload: Buffer): Buffer {
  if (payload.byteOffset === 0 && payload.buffer.byteLength === payload.length && payload.buffer instanceof ArrayBuffer) return payload;
  const copy = Buffer.allocUnsafeSlow(payload.length);
  payload.copy(copy);
  return copy;
}

/**
 * The JSON document in `payload` (UTF-8): the value itself for a small payload, a promise of it for a large
 * one. Fails with TRANSPORT_SERIALIZATION for malformed or over-limit JSON. A large payload's buffer is
 * transferred to the worker: the caller must not use it afterwards.
 */
export function parseLsmPayload(payload: Buffer): unknown {
  if (payload.length < OFF_THREAD_BYTES) return parseLsmJson(payload.toString('utf8'));
  clearTimeout(idleTimer);
  worker ??= startWorker();
  const id = nextId++;
  const buffer = owned(payload);
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    (worker as Worker).postMessage({ id, payload: buffer }, [buffer.buffer as ArrayBuffer]);
  });
}
