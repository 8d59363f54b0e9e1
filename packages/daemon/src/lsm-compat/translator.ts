/**
 * Serves a libstoragemgmt client (lsm's 10-digit framing and JSON) with an openlsm plugin (msgpack).
 *
 * This is the one place that knows both wires. Requests are parsed through the RPC table's schemas (sizes
 * become bigint, `class` tags are dropped), answers are validated against the result schema and written back
 * with lsm's class tags, field order and hex capabilities; error codes pass through unchanged and lsm's `id`
 * is echoed. lsm clients are strictly sequential, so requests are handled one at a time, in order.
 *
 * The plugin session is asked for only when the first valid request is ready, so a connection that sends
 * nothing, or only garbage, never costs a plugin process. Large payloads are parsed on a worker thread
 * (parse.ts), and what a connection holds (a frame in progress, requests waiting their turn) counts against
 * the daemon's buffer budget.
 */
import type net from 'node:net';
import { ErrorNumber, LsmError, methodsByWireName, stringifyLsmJson } from '@openlsm/core';
import type { Connection } from '@openlsm/ipc';
import type { Logger } from '@openlsm/log';
import type { BudgetHolder, BufferBudget } from '../budget.js';
import { encodeLsmFrame, LsmFrameReader } from './framing.js';
import { toLsmValue } from './objects.js';
import { parseLsmPayload } from './parse.js';

/** Requests read ahead of the one being served before the client's socket is paused. */
const MAX_QUEUED_REQUESTS = 16;

export interface TranslatorOptions {
  log: Logger;
  /** The plugin session, asked for when the first valid request is ready; rejects when there is none to have. */
  openPlugin: () => Promise<Connection>;
  budget: BufferBudget;
  maxPayloadBytes?: number;
}

function errorReply(id: unknown, err: LsmError): string {
  return stringifyLsmJson({ id: id ?? null, error: { code: err.code, message: err.message, data: err.data } });
}

function asLsmError(err: unknown): LsmError {
  if (err instanceof LsmError) return err;
  return new LsmError(ErrorNumber.LIB_BUG, `openlsmd could not translate the request: ${(err as Error)?.message ?? String(err)}`);
}

export class LsmTranslator implements BudgetHolder {
  readonly #client: net.Socket;
  readonly #log: Logger;
  readonly #reader: LsmFrameReader;
  readonly #budget: BufferBudget;
  readonly #openPlugin: () => Promise<Connection>;
  #plugin: Connection | undefined;
  #opening: Promise<Connection> | undefined;
  readonly #queue: Buffer[] = [];
  /** Bytes of the requests queued and of the one being parsed. */
  #queuedBytes = 0;
  #busy = false;
  #ending = false;
  #drainRequested = false;
  /** Set once a complete request has arrived. */
  started = false;
  /** When the client last sent something or was last answered (Date.now()). */
  lastActivity = Date.now();

  constructor(client: net.Socket, options: TranslatorOptions) {
    this.#client = client;
    this.#log = options.log;
    this.#reader = new LsmFrameReader(options.maxPayloadBytes);
    this.#budget = options.budget;
    this.#openPlugin = options.openPlugin;
    client.on('data', (chunk: Buffer) => this.push(chunk));
    client.once('close', () => this.#release());
  }

  /** True when no request is being served or waiting, and no frame is arriving. */
  get idle(): boolean {
    return !this.#busy && this.#queue.length === 0 && this.#reader.pending === 0;
  }

  /** Feeds bytes read from the client (the session passes the first chunk this way). */
  push(chunk: Buffer): void {
    if (this.#ending) return;
    this.lastActivity = Date.now();
    let payloads: Buffer[];
    try {
      payloads = this.#reader.push(chunk);
    } catch (err) {
      // A broken header cannot be resynchronised: say why, then hang up.
      this.#log.warn('lsm client sent a malformed frame; closing', { error: (err as Error).message });
      this.#send(errorReply(null, asLsmError(err)));
      this.#end();
      return;
    }
    for (const payload of payloads) {
      this.#queue.push(payload);
      this.#queuedBytes += payload.length;
    }
    if (payloads.length > 0) this.started = true;
    this.#account();
    if (this.#ending) return;
    // lsm clients wait for each answer; one that floods requests is made to wait (TCP-style back-pressure)
    // instead of growing the daemon's memory.
    if (this.#queue.length >= MAX_QUEUED_REQUESTS) this.#client.pause();
    void this.#pump();
  }

  /** The buffer budget is exceeded and this connection holds the most: drop it all and hang up. */
  overBudget(held: number, max: number): void {
    this.#log.warn('lsm client holds the most of the buffer budget; closing', { heldBytes: held, maxBufferedBytes: max });
    this.#send(errorReply(null, new LsmError(
      ErrorNumber.TRANSPORT_SERIALIZATION,
      `openlsmd refused this connection's ${held} bytes of requests in progress: all connections together may hold at most ${max} bytes (max_buffered_bytes)`,
    )));
    this.#end();
  }

  /** Closes the session as soon as no request is in flight (daemon shutdown). */
  drain(): void {
    this.#drainRequested = true;
    if (this.idle) this.#end();
  }

  /** Ends the session at once with a last error message (an idle timeout). */
  close(err: LsmError): void {
    this.#send(errorReply(null, err));
    this.#end();
  }

  async #pump(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      while (this.#queue.length > 0 && !this.#ending) {
        const payload = this.#queue.shift() as Buffer;
        // Read now: a large payload's buffer is handed to the parsing thread and is empty afterwards.
        const size = payload.length;
        const { reply, last } = await this.#handle(payload);
        this.#queuedBytes -= size;
        this.#account();
        this.lastActivity = Date.now();
        this.#send(reply);
        if (last) this.#end();
      }
    } finally {
      this.#busy = false;
    }
    if (!this.#ending) this.#client.resume();
    if (this.#plugin?.isClosed || this.#drainRequested) this.#end();
  }

  async #handle(payload: Buffer): Promise<{ reply: string; last: boolean }> {
    let id: unknown = null;
    let method = '';
    try {
      const message = await parseLsmPayload(payload);
      if (typeof message !== 'object' || message === null || Array.isArray(message)) {
        throw new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, 'A request must be a JSON object');
      }
      const m = message as Record<string, unknown>;
      id = m.id ?? null;
      if (typeof m.method !== 'string') throw new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, 'A request needs a "method" string');
      method = m.method;
      const descriptor = methodsByWireName.get(method);
      if (!descriptor) throw new LsmError(ErrorNumber.NO_SUPPORT, `Unsupported operation "${method.slice(0, 64)}"`);
      const rawParams = m.params ?? {};
      const params = descriptor.params.parse(rawParams, '') as Record<string, unknown>;
      let plugin: Connection;
      try {
        plugin = await this.#pluginConnection();
      } catch (err) {
        // No session to be had (too many sessions, the plugin cannot start): tell the client, then hang up.
        return { reply: errorReply(id, asLsmError(err)), last: true };
      }
      const raw = await plugin.request(method, params, { timeoutMs: 0 });
      let result: unknown;
      try {
        result = descriptor.result.parse(raw, 'result');
      } catch (err) {
        throw new LsmError(ErrorNumber.PLUGIN_BUG, `Plug-in answered "${method}" with an invalid result: ${(err as Error).message}`);
      }
      return { reply: stringifyLsmJson({ id, result: toLsmValue(result) }), last: method === 'plugin_unregister' };
    } catch (err) {
      const lsm = asLsmError(err);
      if (lsm.code === ErrorNumber.LIB_BUG) this.#log.error('lsm translation failed', { method, error: lsm.message });
      return { reply: errorReply(id, lsm), last: this.#plugin?.isClosed ?? false };
    }
  }

  #pluginConnection(): Promise<Connection> {
    this.#opening ??= this.#openPlugin().then((connection) => {
      this.#plugin = connection;
      // The plugin died or finished: whatever is in flight was answered with an error by now; end the client.
      void connection.closed.then(() => {
        if (!this.#busy) this.#end();
      });
      return connection;
    });
    return this.#opening;
  }

  #account(): void {
    this.#budget.set(this, this.#ending ? 0 : this.#reader.pending + this.#queuedBytes);
  }

  #send(json: string): void {
    if (this.#client.destroyed || !this.#client.writable) return;
    this.#client.write(encodeLsmFrame(json));
  }

  #release(): void {
    this.#reader.discard();
    this.#queue.splice(0);
    this.#queuedBytes = 0;
    this.#budget.release(this);
  }

  #end(): void {
    if (this.#ending) return;
    this.#ending = true;
    this.#release();
    this.#client.end();
    // A client that does not close its side in turn is cut off.
    setTimeout(() => this.#client.destroy(), 1_000).unref();
    void this.#plugin?.close();
  }
}
