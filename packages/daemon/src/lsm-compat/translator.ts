/**
 * Serves a libstoragemgmt client (lsm's 10-digit framing and JSON) with an openlsm plugin (msgpack).
 *
 * This is the one place that knows both wires. Requests are parsed through the RPC table's schemas (sizes
 * become bigint, `class` tags are dropped), answers are validated against the result schema and written back
 * with lsm's class tags, field order and hex capabilities; error codes pass through unchanged and lsm's `id`
 * is echoed. lsm clients are strictly sequential, so requests are handled one at a time, in order.
 */
import type net from 'node:net';
import { ErrorNumber, LsmError, methodsByWireName, parseLsmJson, stringifyLsmJson } from '@openlsm/core';
import type { Connection } from '@openlsm/ipc';
import type { Logger } from '@openlsm/log';
import { encodeLsmFrame, LsmFrameReader } from './framing.js';
import { toLsmValue } from './objects.js';

/** Requests read ahead of the one being served before the client's socket is paused. */
const MAX_QUEUED_REQUESTS = 16;

export interface TranslatorOptions {
  log: Logger;
  maxPayloadBytes?: number;
}

function errorReply(id: unknown, err: LsmError): string {
  return stringifyLsmJson({ id: id ?? null, error: { code: err.code, message: err.message, data: err.data } });
}

function asLsmError(err: unknown): LsmError {
  if (err instanceof LsmError) return err;
  return new LsmError(ErrorNumber.LIB_BUG, `openlsmd could not translate the request: ${(err as Error)?.message ?? String(err)}`);
}

export class LsmTranslator {
  readonly #client: net.Socket;
  readonly #plugin: Connection;
  readonly #log: Logger;
  readonly #reader: LsmFrameReader;
  readonly #queue: string[] = [];
  #busy = false;
  #ending = false;
  #drainRequested = false;

  constructor(client: net.Socket, plugin: Connection, options: TranslatorOptions) {
    this.#client = client;
    this.#plugin = plugin;
    this.#log = options.log;
    this.#reader = new LsmFrameReader(options.maxPayloadBytes);
    client.on('data', (chunk: Buffer) => this.push(chunk));
    // The plugin died or finished: whatever is in flight was answered with an error by now; end the client.
    void plugin.closed.then(() => {
      if (!this.#busy) this.#end();
    });
  }

  /** True when no request is being served or waiting. */
  get idle(): boolean {
    return !this.#busy && this.#queue.length === 0;
  }

  /** Feeds bytes read from the client (the session passes the first chunk this way). */
  push(chunk: Buffer): void {
    if (this.#ending) return;
    let texts: string[];
    try {
      texts = this.#reader.push(chunk);
    } catch (err) {
      // A broken header cannot be resynchronised: say why, then hang up.
      this.#log.warn('lsm client sent a malformed frame; closing', { error: (err as Error).message });
      this.#send(errorReply(null, asLsmError(err)));
      this.#end();
      return;
    }
    this.#queue.push(...texts);
    // lsm clients wait for each answer; one that floods requests is made to wait (TCP-style back-pressure)
    // instead of growing the daemon's memory.
    if (this.#queue.length >= MAX_QUEUED_REQUESTS) this.#client.pause();
    void this.#pump();
  }

  /** Closes the session as soon as no request is in flight (daemon shutdown). */
  drain(): void {
    this.#drainRequested = true;
    if (this.idle) this.#end();
  }

  async #pump(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      while (this.#queue.length > 0 && !this.#ending) {
        const text = this.#queue.shift() as string;
        const { reply, last } = await this.#handle(text);
        this.#send(reply);
        if (last) this.#end();
      }
    } finally {
      this.#busy = false;
    }
    if (!this.#ending) this.#client.resume();
    if (this.#plugin.isClosed || this.#drainRequested) this.#end();
  }

  async #handle(text: string): Promise<{ reply: string; last: boolean }> {
    let id: unknown = null;
    let method = '';
    try {
      const message = parseLsmJson(text);
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
      const raw = await this.#plugin.request(method, params, { timeoutMs: 0 });
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
      return { reply: errorReply(id, lsm), last: this.#plugin.isClosed };
    }
  }

  #send(json: string): void {
    if (this.#client.destroyed || !this.#client.writable) return;
    this.#client.write(encodeLsmFrame(json));
  }

  #end(): void {
    if (this.#ending) return;
    this.#ending = true;
    this.#client.end();
    void this.#plugin.close();
  }
}
