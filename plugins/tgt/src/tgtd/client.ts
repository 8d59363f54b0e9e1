/**
 * The transport to tgtd's management socket. tgtd answers one request per connection from a single epoll loop
 * with a listen backlog of 32: more than about 30 connections at once make connect() fail with EAGAIN. So this
 * client caps the connections it has open, retries EAGAIN with a short back-off, bounds every request by a
 * deadline, and treats whatever comes back as untrusted (a length above the limit, a short answer, a close
 * without any answer).
 */
import { statSync } from 'node:fs';
import net from 'node:net';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { TgtdError } from './errors.js';
import { decodeResponseHeader, encodeRequest, RESPONSE_HEADER_BYTES, responseText, type TgtdRequest } from './wire.js';

export interface TgtdClientOptions {
  /** tgtd's management socket, e.g. `/var/run/tgtd/socket.0`. */
  socketPath: string;
  /** Connections open at once (default 8; tgtd's backlog is 32). */
  maxInFlight?: number;
  /** Longest answer accepted (default 64 MiB; `show target` of 100 targets is about 116 KB). */
  maxResponseBytes?: number;
  /** Default deadline of one request, retries included (default 30 s). */
  timeoutMs?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

const DEFAULT_MAX_RESPONSE = 64 * 1024 * 1024;
const MAX_BACKOFF_MS = 50;

/** A bounded FIFO of waiters: at most `limit` holders at once. */
class Gate {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#free = limit;
  }

  async enter(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  leave(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class TgtdClient {
  readonly socketPath: string;
  readonly #gate: Gate;
  readonly #maxResponse: number;
  readonly #timeoutMs: number;

  constructor(options: TgtdClientOptions) {
    this.socketPath = options.socketPath;
    this.#gate = new Gate(Math.max(1, options.maxInFlight ?? 8));
    this.#maxResponse = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /**
   * Sends one request and returns tgtd's text. `what` describes the request for messages (`creating target 3`).
   * A refusal is a TgtdError; no answer in time is TIMEOUT; tgtd not running is NETWORK_CONNREFUSED.
   */
  async request(req: TgtdRequest, what: string, options: RequestOptions = {}): Promise<string> {
    const bytes = encodeRequest(req);
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const onAbort = () => deadline.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) deadline.abort();
    try {
      await this.#gate.enter();
      try {
        let backoff = 1;
        for (;;) {
          if (deadline.signal.aborted) throw this.#timeout(what, timeoutMs, options.signal);
          const answer = await this.#exchange(bytes, what, deadline.signal).catch((err: unknown) => {
            if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return null;
            throw err;
          });
          if (answer !== null) return answer;
          // The listen backlog is full: tgtd is busy with other clients. Wait a little and try again.
          await sleep(backoff, deadline.signal);
          backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
      } finally {
        this.#gate.leave();
      }
    } catch (err) {
      if (deadline.signal.aborted && !(err instanceof LsmError)) throw this.#timeout(what, timeoutMs, options.signal);
      throw err;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  #timeout(what: string, ms: number, signal: AbortSignal | undefined): LsmError {
    if (signal?.aborted) return new LsmError(ErrorNumber.TIMEOUT, `Cancelled while ${what} on tgtd`);
    return new LsmError(ErrorNumber.TIMEOUT, `tgtd did not answer ${what} within ${ms} ms (${this.socketPath})`);
  }

  /** One connection: write the request, read one answer. Rejects with a raw EAGAIN error to be retried. */
  #exchange(bytes: Buffer, what: string, signal: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ path: this.socketPath });
      const chunks: Buffer[] = [];
      let received = 0;
      let announced = -1;
      let settled = false;
      const finish = (err: unknown, text?: string) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        if (err) reject(err);
        else resolve(text as string);
      };
      // request() turns this into its TIMEOUT with the deadline's own message.
      const onAbort = () => finish(new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });

      socket.once('connect', () => socket.write(bytes));
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (announced < 0 && received >= RESPONSE_HEADER_BYTES) {
          const head = decodeResponseHeader(Buffer.concat(chunks));
          if (head.length < RESPONSE_HEADER_BYTES || head.length > this.#maxResponse) {
            finish(new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION,
              `tgtd's answer to ${what} announces ${head.length} bytes (expected ${RESPONSE_HEADER_BYTES} to ${this.#maxResponse}); is ${this.socketPath} tgtd's management socket?`));
            return;
          }
          if (head.err !== 0) {
            finish(new TgtdError(head.err, what));
            return;
          }
          announced = head.length;
        }
        if (announced >= 0 && received >= announced) {
          const all = Buffer.concat(chunks);
          finish(null, responseText(all.subarray(RESPONSE_HEADER_BYTES, announced)));
        }
      });
      socket.once('end', () => {
        if (received === 0) finish(this.#closedWithoutAnswer(what));
        else finish(new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION,
          `tgtd closed the connection after ${received} of ${announced < 0 ? 'at least 8' : announced} bytes of its answer to ${what}`));
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EAGAIN') finish(err);
        else finish(connectError(this.socketPath, err, what));
      });
    });
  }

  /**
   * tgtd closes without a word when the peer's uid or gid differs from its own (SO_PEERCRED check), when the
   * payload is too long (never sent: wire.ts refuses it) and when it crashes. The socket file belongs to tgtd,
   * so its owner says which case this is.
   */
  #closedWithoutAnswer(what: string): LsmError {
    try {
      const st = statSync(this.socketPath);
      const uid = process.getuid?.();
      const gid = process.getgid?.();
      if (uid !== undefined && gid !== undefined && (st.uid !== uid || st.gid !== gid)) {
        return new LsmError(ErrorNumber.PERMISSION_DENIED,
          `tgtd accepts management requests only from its own user and group (uid ${st.uid}, gid ${st.gid}); this plugin runs as uid ${uid}, gid ${gid}`);
      }
    } catch {
      // The socket vanished: tgtd exited while answering.
    }
    return new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, `tgtd closed the connection without answering ${what} (did tgtd exit? ${this.socketPath})`);
  }
}

function connectError(path: string, err: NodeJS.ErrnoException, what: string): LsmError {
  switch (err.code) {
    case 'ENOENT':
    case 'ECONNREFUSED':
      return new LsmError(ErrorNumber.NETWORK_CONNREFUSED, `tgtd is not running: nothing answers on its management socket ${path}`);
    case 'EACCES':
    case 'EPERM':
      return new LsmError(ErrorNumber.PERMISSION_DENIED, `No permission to use tgtd's management socket ${path}`);
    case 'ENOTSOCK':
      return new LsmError(ErrorNumber.INVALID_ARGUMENT, `${path} is not a socket (is it tgtd's management socket?)`);
    case 'EPIPE':
    case 'ECONNRESET':
      return new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, `tgtd dropped the connection while ${what} (${err.code})`);
    default:
      return new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, `tgtd's management socket ${path} failed while ${what}: ${err.code ?? err.message}`);
  }
}
