/**
 * A connection matches requests to responses over one byte stream (a Unix socket or a socket pair).
 *
 * Unlike lsm's transport it is fully duplex: any number of requests may be in flight and answers arrive in any
 * order; every call has a deadline and an AbortSignal; when the stream dies every pending call fails at once
 * with TRANSPORT_COMMUNICATION naming the cause. Either side may serve requests (`onRequest`) and send
 * notifications. It knows nothing of volumes: methods and params are opaque here.
 */
import type { Duplex } from 'node:stream';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { decodeBody, encodeBody } from './codec.js';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameReader } from './frame.js';
import {
  CANCEL_NOTIFICATION, classify, type ErrorObject, type MessageId, type NotificationMessage, type RequestMessage,
} from './messages.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface CallOptions {
  /** Deadline for this call; the connection's default applies when omitted. 0 disables the deadline. */
  timeoutMs?: number | undefined;
  /** Aborting fails the call at once with TIMEOUT and tells the peer to stop. */
  signal?: AbortSignal | undefined;
}

export interface RequestContext {
  readonly id: MessageId;
  readonly method: string;
  /** Aborted when the caller cancels the request or the connection closes. */
  readonly signal: AbortSignal;
  /** Sends a notification to the caller (job progress). */
  notify(method: string, params: Record<string, unknown>): void;
}

export type RequestHandler = (method: string, params: Record<string, unknown>, ctx: RequestContext) => unknown;
export type NotificationHandler = (method: string, params: Record<string, unknown>) => void;

export interface ConnectionOptions {
  /** Largest frame body accepted or sent (default 64 MiB). */
  maxFrameBytes?: number;
  /** Default deadline of `request()` (default 30 s). */
  timeoutMs?: number;
  /** Who is at the other end, for error messages: `plugin "sim"`. */
  peerName?: string;
  onRequest?: RequestHandler;
  onNotification?: NotificationHandler;
  /**
   * Explains an unexpected close (for example the plugin process's exit status). Called once when the stream
   * ends without `close()`; it should settle quickly (the caller bounds its own wait).
   */
  closeReason?: () => Promise<string | undefined> | string | undefined;
}

interface ServedRequest {
  controller: AbortController | undefined;
  cancelled: boolean;
}

/** A call in flight. A plain record rather than closures: at 100,000 calls per second allocation is the cost. */
interface PendingCall {
  id: MessageId;
  method: string;
  timeoutMs: number;
  resolve(value: unknown): void;
  reject(err: LsmError): void;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class Connection {
  readonly #stream: Duplex;
  readonly #reader: FrameReader;
  readonly #maxFrameBytes: number;
  readonly #timeoutMs: number;
  readonly #peerName: string;
  readonly #closeReason: ConnectionOptions['closeReason'];
  #onRequest: RequestHandler | undefined;
  #onNotification: NotificationHandler | undefined;
  readonly #pending = new Map<MessageId, PendingCall>();
  /** Requests being served; the controller is created only if the handler asks for a signal. */
  readonly #serving = new Map<MessageId, ServedRequest>();
  #nextId = 1;
  #corked = false;
  #closing = false;
  #closedError: LsmError | undefined;
  /** A protocol violation that made us close; reported instead of a plain "closed". */
  #fatal: LsmError | undefined;
  /** The OS error that ended the stream (ECONNRESET, EPIPE), if any. */
  #streamError: string | undefined;
  /** 'close' was handled (it can be both seen and found already done). */
  #closeSeen = false;
  #deadlinesMissed = 0;
  readonly closed: Promise<void>;
  #markClosed!: () => void;

  constructor(stream: Duplex, options: ConnectionOptions = {}) {
    this.#stream = stream;
    this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.#reader = new FrameReader(this.#maxFrameBytes);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#peerName = options.peerName ?? 'peer';
    this.#closeReason = options.closeReason;
    this.#onRequest = options.onRequest;
    this.#onNotification = options.onNotification;
    this.closed = new Promise((resolve) => { this.#markClosed = resolve; });
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    stream.on('error', (err: NodeJS.ErrnoException) => {
      this.#streamError ??= err.code ?? err.message;
    });
    stream.on('close', () => { void this.#onClose(); });
    // A half-closed peer will send nothing more; finish our side too so 'close' follows.
    stream.on('end', () => { stream.end(); });
    // A stream can be over before anyone listens: child_process destroys the socket of a plugin that exited at
    // once, and a peer may have ended a stream that was read to its end already. Neither emits again, so close
    // now (after the caller had the chance to send its first request and to see it fail with the reason).
    if (stream.destroyed || stream.closed) {
      this.#streamError ??= stream.errored ? ((stream.errored as NodeJS.ErrnoException).code ?? stream.errored.message) : undefined;
      process.nextTick(() => { void this.#onClose(); });
    } else if (stream.readableEnded) {
      stream.end();
    }
  }

  get peerName(): string {
    return this.#peerName;
  }

  /**
   * Calls the peer did not answer by their deadline. A peer that missed one may be stuck (a plugin stopped or
   * in an endless loop): the client then stops it instead of asking it politely to end the session.
   */
  get deadlinesMissed(): number {
    return this.#deadlinesMissed;
  }

  /** Calls in flight. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  get isClosed(): boolean {
    return this.#closedError !== undefined || this.#closing;
  }

  onRequest(handler: RequestHandler): void {
    this.#onRequest = handler;
  }

  onNotification(handler: NotificationHandler): void {
    this.#onNotification = handler;
  }

  /**
   * Sends a request and resolves with its result, or rejects with an LsmError: the peer's error, TIMEOUT at
   * the deadline or on abort, TRANSPORT_COMMUNICATION when the connection dies first.
   */
  request(method: string, params: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    if (this.#closing) return Promise.reject(this.#notOpen());
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(this.#abortError(method, signal));
    const id = this.#nextId++;
    let frame: Buffer;
    try {
      frame = encodeFrame(encodeBody({ id, method, params }), this.#maxFrameBytes);
    } catch (err) {
      return Promise.reject(err instanceof LsmError ? err : new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, `Cannot encode the params of "${method}": ${(err as Error).message}`));
    }
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    let call!: PendingCall;
    const answer = new Promise<unknown>((resolve, reject) => {
      call = { id, method, timeoutMs, resolve, reject, timer: undefined, signal, onAbort: undefined };
    });
    if (timeoutMs > 0) call.timer = setTimeout(this.#onDeadline, timeoutMs, call);
    if (signal) {
      call.onAbort = () => this.#giveUp(call, this.#abortError(method, signal));
      signal.addEventListener('abort', call.onAbort, { once: true });
    }
    this.#pending.set(id, call);
    this.#write(frame);
    return answer;
  }

  readonly #onDeadline = (call: PendingCall): void => {
    this.#deadlinesMissed++;
    this.#giveUp(call, new LsmError(ErrorNumber.TIMEOUT, `${this.#peerName} did not answer "${call.method}" within ${call.timeoutMs} ms`));
  };

  /** Fails a call we stop waiting for, and tells the peer it may stop working on it. */
  #giveUp(call: PendingCall, err: LsmError): void {
    if (this.#pending.get(call.id) !== call) return;
    this.#pending.delete(call.id);
    this.#release(call);
    this.#sendNotification(CANCEL_NOTIFICATION, { id: call.id });
    call.reject(err);
  }

  /** Stops a call's deadline and abort listener. */
  #release(call: PendingCall): void {
    if (call.timer) clearTimeout(call.timer);
    if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
  }

  /** Sends a notification (no answer). Silently dropped once the connection is closed. */
  notify(method: string, params: Record<string, unknown>): void {
    this.#sendNotification(method, params);
  }

  /** Ends the stream after pending writes; pending calls fail with TRANSPORT_COMMUNICATION. */
  close(): Promise<void> {
    if (!this.#closing && !this.#closedError) {
      this.#closing = true;
      this.#stream.end();
    }
    return this.closed;
  }

  /** Closes at once, failing pending calls with `reason`. */
  destroy(reason?: LsmError): void {
    if (reason) this.#fatal ??= reason;
    this.#closing = true;
    this.#stream.destroy();
  }

  #notOpen(): LsmError {
    return new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, `Connection to ${this.#peerName} is closed`);
  }

  #abortError(method: string, signal: AbortSignal): LsmError {
    const reason = signal.reason as { name?: string } | undefined;
    const why = reason?.name === 'TimeoutError' ? 'timed out (caller\'s deadline)' : 'was aborted by the caller';
    return new LsmError(ErrorNumber.TIMEOUT, `Call "${method}" to ${this.#peerName} ${why}`);
  }

  #sendNotification(method: string, params: Record<string, unknown>): void {
    if (this.#closedError || this.#stream.destroyed || !this.#stream.writable) return;
    try {
      this.#write(encodeFrame(encodeBody({ method, params }), this.#maxFrameBytes));
    } catch {
      // A notification that cannot be encoded is dropped: it carries no answer anyone waits for.
    }
  }

  /** Writes a frame; frames written in the same tick go out in one system call (cork/uncork). */
  #write(frame: Buffer): void {
    const stream = this.#stream;
    if (stream.destroyed || !stream.writable) return;
    if (!this.#corked) {
      this.#corked = true;
      stream.cork();
      process.nextTick(() => {
        this.#corked = false;
        stream.uncork();
      });
    }
    stream.write(frame);
  }

  #onData(chunk: Buffer): void {
    // After a protocol error the stream cannot be resynchronised: whatever else arrives is discarded unread.
    if (this.#fatal) return;
    let bodies: Buffer[];
    try {
      bodies = this.#reader.push(chunk);
    } catch (err) {
      const lsm = err as LsmError;
      this.#protocolError(new LsmError(lsm.code, `${this.#peerName}: ${lsm.message}; the connection was closed`));
      return;
    }
    for (const body of bodies) {
      let value: unknown;
      try {
        value = decodeBody(body);
      } catch (err) {
        this.#protocolError(new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, `${this.#peerName} sent a frame that is not valid MessagePack: ${(err as Error).message}`));
        return;
      }
      this.#dispatch(value);
      if (this.#fatal) return;
    }
  }

  /**
   * Tells the peer why (best effort), fails every pending call with `err` at once, then drops the connection:
   * a byte stream cannot resynchronise.
   */
  #protocolError(err: LsmError): void {
    if (this.#fatal) return;
    this.#fatal = err;
    this.#closing = true;
    this.#closedError = err;
    this.#failPending(err);
    try {
      if (this.#stream.writable) {
        this.#stream.end(encodeFrame(encodeBody({ id: null, error: { code: err.code, message: err.message, data: null } })));
      }
    } catch {
      // nothing more to tell
    }
    // Do not wait for a hostile peer to read our goodbye. Not unref'd: `closed` must settle even when nothing
    // else keeps the process alive.
    setTimeout(() => this.#stream.destroy(), 100);
  }

  #failPending(err: LsmError): void {
    if (this.#pending.size === 0) return;
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of calls) {
      this.#release(call);
      call.reject(err);
    }
  }

  #dispatch(value: unknown): void {
    const c = classify(value);
    switch (c.kind) {
      case 'response': {
        const { id, error } = c.message;
        if (id === null) {
          // The peer is closing on a protocol error it found in what we sent: fail everything now and close too.
          if (error && !this.#fatal) {
            const err = new LsmError(error.code, `${this.#peerName} closed the connection: ${error.message}`, error.data);
            this.#fatal = err;
            this.#closing = true;
            this.#closedError = err;
            this.#failPending(err);
            this.#stream.end();
          }
          return;
        }
        const call = this.#pending.get(id);
        if (!call) return; // answer to a call we already gave up on
        this.#pending.delete(id);
        this.#release(call);
        if (error) call.reject(new LsmError(error.code, error.message, error.data));
        else call.resolve(c.message.result);
        return;
      }
      case 'request':
        this.#serve(c.message);
        return;
      case 'notification':
        this.#onNotice(c.message);
        return;
      case 'invalid':
        if (c.id !== null) {
          this.#respondError(c.id, { code: ErrorNumber.TRANSPORT_SERIALIZATION, message: `Malformed message: ${c.reason}`, data: null });
        } else {
          this.#protocolError(new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, `${this.#peerName} sent a malformed message: ${c.reason}`));
        }
        return;
    }
  }

  #onNotice(message: NotificationMessage): void {
    if (message.method === CANCEL_NOTIFICATION) {
      const id = message.params.id;
      if (typeof id === 'number' || typeof id === 'string') {
        const served = this.#serving.get(id);
        if (served) {
          served.cancelled = true;
          served.controller?.abort();
        }
      }
      return;
    }
    try {
      this.#onNotification?.(message.method, message.params);
    } catch {
      // A failing listener must not take the connection down.
    }
  }

  #serve(request: RequestMessage): void {
    const { id, method, params } = request;
    const handler = this.#onRequest;
    if (!handler) {
      this.#respondError(id, { code: ErrorNumber.NO_SUPPORT, message: `Unsupported operation "${method.slice(0, 64)}"`, data: null });
      return;
    }
    if (this.#serving.has(id)) {
      this.#respondError(id, { code: ErrorNumber.TRANSPORT_INVALID_ARG, message: `Request id ${String(id)} is already in use`, data: null });
      return;
    }
    // AbortController and EventTarget cost microseconds each; most handlers never look at the signal, so it is
    // made on first use.
    const served: ServedRequest = { controller: undefined, cancelled: false };
    this.#serving.set(id, served);
    const notify = (m: string, p: Record<string, unknown>) => this.#sendNotification(m, p);
    const ctx: RequestContext = {
      id,
      method,
      get signal() {
        if (!served.controller) {
          served.controller = new AbortController();
          if (served.cancelled) served.controller.abort();
        }
        return served.controller.signal;
      },
      notify,
    };
    let outcome: unknown;
    try {
      outcome = handler(method, params, ctx);
    } catch (err) {
      this.#finish(id, undefined, err);
      return;
    }
    if (outcome instanceof Promise) {
      outcome.then((result) => this.#finish(id, result, undefined), (err: unknown) => this.#finish(id, undefined, err));
    } else {
      this.#finish(id, outcome, undefined);
    }
  }

  #finish(id: MessageId, result: unknown, err: unknown): void {
    this.#serving.delete(id);
    if (err !== undefined) {
      const lsm = err instanceof LsmError ? err : new LsmError(ErrorNumber.PLUGIN_BUG, `Unexpected error: ${(err as Error)?.message ?? String(err)}`);
      this.#respondError(id, { code: lsm.code, message: lsm.message, data: lsm.data });
      return;
    }
    let frame: Buffer;
    try {
      frame = encodeFrame(encodeBody({ id, result: result ?? null }), this.#maxFrameBytes);
    } catch (e) {
      const lsm = e instanceof LsmError ? e : new LsmError(ErrorNumber.PLUGIN_BUG, `Result could not be encoded: ${(e as Error).message}`);
      this.#respondError(id, { code: lsm.code, message: lsm.message, data: null });
      return;
    }
    this.#write(frame);
  }

  #respondError(id: MessageId, error: ErrorObject): void {
    this.#write(encodeFrame(encodeBody({ id, error })));
  }

  async #onClose(): Promise<void> {
    if (this.#closeSeen) return;
    this.#closeSeen = true;
    for (const served of this.#serving.values()) {
      served.cancelled = true;
      served.controller?.abort();
    }
    this.#serving.clear();
    let err = this.#fatal;
    if (!err) {
      let detail: string | undefined;
      if (!this.#closing && this.#closeReason) {
        try { detail = await this.#closeReason(); } catch { detail = undefined; }
      }
      if (!detail && this.#streamError) detail = this.#streamError;
      err = new LsmError(
        ErrorNumber.TRANSPORT_COMMUNICATION,
        this.#closing && !detail ? `Connection to ${this.#peerName} is closed` : `Connection to ${this.#peerName} lost: ${detail ?? 'closed by the peer'}`,
      );
    }
    this.#closedError ??= err;
    this.#failPending(err);
    this.#markClosed();
  }
}
