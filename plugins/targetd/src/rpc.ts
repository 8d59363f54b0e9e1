/**
 * JSON-RPC over HTTP(S) to one targetd, through an undici Pool.
 *
 * Each call is one POST to /targetrpc with Basic authentication and an exact Content-Length (targetd answers
 * a request without one header-less). targetd replies in HTTP/1.0 without Content-Length and closes the
 * connection, so the pool reconnects for every call; it keeps connections alive wherever a server allows it.
 * Every call is bounded by the session's timeout through an AbortSignal covering connect, headers and body,
 * and by MAX_REPLY_BYTES. Replies are read with the BigInt-exact JSON reader (ZFS pool uuids are 64-bit).
 *
 * Authentication: a 401 (after targetd's 2 s tarpit) fails the call and every later call of the session at
 * once, without asking again: retrying a wrong password only feeds the tarpit. A 503 means some failed login
 * from this address is in the tarpit; the call waits the tarpit out once (all calls share the one wait) and
 * tries again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorNumber, LSM_WIRE_JSON_LIMITS, LsmError, parseLsmJson, stringifyLsmJson } from '@openlsm/core';
import type { Logger } from '@openlsm/log';
import type { Dispatcher } from 'undici';
import request from 'undici/lib/api/api-request.js';
import Pool from 'undici/lib/dispatcher/pool.js';
import type { Endpoint } from './endpoint.js';
import { networkErrorToLsm } from './network-errors.js';
import { targetdErrorToLsm } from './rpc-errors.js';

/** targetd refuses request bodies above 128 KiB (HTTP 413). */
export const MAX_REQUEST_BYTES = 131072;
/** Far above any real answer (10,000 volumes are about 1 MiB), low enough that a runaway peer cannot exhaust us. */
export const MAX_REPLY_BYTES = 32 * 1024 * 1024;
/** targetd's tarpit (2 s) and a margin. */
/**
 * A reply is already bounded by MAX_REPLY_BYTES, which can hold far more values than an lsm message (a listing
 * of 100,000 volumes is about 500,000); numbers, strings and depth keep lsm's bounds.
 */
const REPLY_JSON_LIMITS = { ...LSM_WIRE_JSON_LIMITS, maxValues: MAX_REPLY_BYTES };
const TARPIT_WAIT_MS = 2200;
const PATH = '/targetrpc';

export interface CallOptions {
  signal: AbortSignal;
  timeoutMs: number;
}

export interface RpcOptions {
  endpoint: Endpoint;
  password: string;
  /** Connect timeout of the pool; every call is bounded by its own `CallOptions.timeoutMs` as well. */
  timeoutMs: number;
  log: Logger;
  /** Sockets at most (targetd serialises all work, so a few suffice). */
  connections?: number;
  /** Replaces the pool (an undici MockAgent in unit tests). */
  dispatcher?: Dispatcher;
}

interface Exchange {
  status: number;
  text: string;
}

export class TargetdRpc {
  readonly endpoint: Endpoint;
  readonly #dispatcher: Dispatcher;
  readonly #headers: Record<string, string>;
  readonly #log: Logger;
  #id = 0;
  #authFailure: LsmError | null = null;
  #tarpit: Promise<void> | null = null;

  constructor(options: RpcOptions) {
    const { endpoint } = options;
    this.endpoint = endpoint;
    this.#log = options.log;
    this.#headers = {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${endpoint.user}:${options.password}`).toString('base64')}`,
    };
    this.#dispatcher = options.dispatcher ?? new Pool(endpoint.origin, {
      connections: options.connections ?? 4,
      pipelining: 1,
      connect: {
        timeout: options.timeoutMs,
        ...(endpoint.ssl ? { rejectUnauthorized: endpoint.verify, ...(endpoint.ca !== undefined ? { ca: endpoint.ca } : {}) } : {}),
      },
    });
  }

  /** Calls `method` with keyword `params` (null for none); resolves with targetd's `result`. */
  async call(method: string, params: Record<string, unknown> | null, options: CallOptions): Promise<unknown> {
    if (this.#authFailure) throw this.#authFailure;
    const id = ++this.#id;
    const body = stringifyLsmJson({ id, method, params, jsonrpc: '2.0' });
    if (Buffer.byteLength(body) > MAX_REQUEST_BYTES) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `The ${method} request is larger than targetd accepts (${MAX_REQUEST_BYTES} bytes)`);
    }
    const started = performance.now();
    let reply = await this.#exchange(method, body, options);
    if (reply.status === 503 && !this.#authFailure) {
      this.#log.warn('targetd is holding a failed login from this address (HTTP 503); waiting once before retrying', { method, endpoint: this.endpoint.label });
      await this.#waitOutTarpit(method, options);
      reply = await this.#exchange(method, body, options);
    }
    if (this.#log.enabled('debug')) {
      this.#log.debug('targetd call', { method, id, params, status: reply.status, ms: Math.round(performance.now() - started) });
    }
    if (reply.status !== 200) throw this.#httpFailure(reply.status, method);
    return this.#result(reply.text, id, method);
  }

  /** Aborts what is in flight and releases the sockets. */
  async close(): Promise<void> {
    await this.#dispatcher.destroy();
  }

  async #waitOutTarpit(method: string, options: CallOptions): Promise<void> {
    this.#tarpit ??= sleep(TARPIT_WAIT_MS).finally(() => { this.#tarpit = null; });
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(networkErrorToLsm(null, this.#context(method, options, true)));
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([this.#tarpit, aborted]);
    } finally {
      if (onAbort) options.signal.removeEventListener('abort', onAbort);
    }
    if (this.#authFailure) throw this.#authFailure;
  }

  #context(method: string, options: CallOptions, aborted: boolean) {
    return { label: this.endpoint.label, method, ssl: this.endpoint.ssl, timeoutMs: options.timeoutMs, aborted };
  }

  async #exchange(method: string, body: string, options: CallOptions): Promise<Exchange> {
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
    try {
      const response = await request.call(this.#dispatcher, {
        origin: this.endpoint.origin,
        path: PATH,
        method: 'POST',
        headers: this.#headers,
        body,
        signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        return { status: response.statusCode, text: '' };
      }
      let size = 0;
      const chunks: Buffer[] = [];
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_REPLY_BYTES) {
          response.body.destroy();
          throw new LsmError(ErrorNumber.NETWORK_ERROR, `targetd at ${this.endpoint.label} sent more than ${MAX_REPLY_BYTES} bytes in answer to ${method}; refusing the rest`);
        }
        chunks.push(chunk);
      }
      return { status: 200, text: Buffer.concat(chunks).toString('utf8') };
    } catch (err) {
      if (err instanceof LsmError) throw err;
      const headerless = this.#headerlessError(err, method);
      if (headerless) throw headerless;
      throw networkErrorToLsm(err, this.#context(method, options, signal.aborted));
    }
  }

  /**
   * targetd writes some errors as a bare JSON-RPC body with no status line (targetd.md §1.2); llhttp refuses
   * them, and undici hands over the bytes it refused. Those that hold a JSON-RPC error are reported as that.
   */
  #headerlessError(err: unknown, method: string): LsmError | null {
    const e = err as { name?: string; data?: unknown };
    if (e?.name !== 'HTTPParserError' || typeof e.data !== 'string') return null;
    let reply: unknown;
    try {
      reply = parseLsmJson(e.data.trim(), REPLY_JSON_LIMITS);
    } catch {
      return null;
    }
    const error = (reply as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code !== 'number') return null;
    return targetdErrorToLsm(error.code, `${String(error.message)} (answered without an HTTP status line)`, method, this.endpoint.label);
  }

  #httpFailure(status: number, method: string): LsmError {
    const at = `targetd at ${this.endpoint.label}`;
    switch (status) {
      case 401:
        this.#authFailure = new LsmError(ErrorNumber.PLUGIN_AUTH_FAILED,
          `${at} refused user "${this.endpoint.user}" (HTTP 401): check the user name in the URI and the password (lsmcli -P or LSMCLI_PASSWORD)`);
        return this.#authFailure;
      case 503:
        return new LsmError(ErrorNumber.PLUGIN_AUTH_FAILED,
          `${at} refuses requests from this address (HTTP 503): a failed login from here is held for 2 s; try again later`);
      case 400:
        return new LsmError(ErrorNumber.PLUGIN_AUTH_FAILED, `${at} could not read the credentials (HTTP 400)`);
      case 404:
        return new LsmError(ErrorNumber.NETWORK_ERROR, `${at} has no ${PATH} (HTTP 404): is this port targetd's?`);
      case 413:
        return new LsmError(ErrorNumber.INVALID_ARGUMENT, `${at} refused the ${method} request as too large (HTTP 413)`);
      default:
        return new LsmError(ErrorNumber.NETWORK_ERROR, `${at} answered ${method} with HTTP ${status}`);
    }
  }

  #result(text: string, id: number, method: string): unknown {
    const at = `targetd at ${this.endpoint.label}`;
    let reply: unknown;
    try {
      reply = parseLsmJson(text, REPLY_JSON_LIMITS);
    } catch (err) {
      const detail = (err as Error).message;
      throw new LsmError(ErrorNumber.NETWORK_ERROR, `${at} answered ${method} with ${text.length === 0 ? 'an empty body' : 'something that is not JSON'} (${detail})`);
    }
    if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) {
      throw new LsmError(ErrorNumber.NETWORK_ERROR, `${at} answered ${method} with JSON that is not a JSON-RPC reply`);
    }
    const r = reply as Record<string, unknown>;
    if (r.error !== undefined && r.error !== null) {
      const error = r.error as { code?: unknown; message?: unknown };
      if (typeof error !== 'object' || typeof error.code !== 'number' || !Number.isInteger(error.code)) {
        throw new LsmError(ErrorNumber.NETWORK_ERROR, `${at} answered ${method} with a malformed JSON-RPC error`);
      }
      throw targetdErrorToLsm(error.code, error.message, method, this.endpoint.label);
    }
    if (r.id !== id) throw new LsmError(ErrorNumber.NETWORK_ERROR, `${at} answered request ${id} (${method}) with the id ${String(r.id).slice(0, 32)}`);
    if (!Object.hasOwn(r, 'result')) throw new LsmError(ErrorNumber.NETWORK_ERROR, `${at} answered ${method} without a result`);
    return r.result;
  }
}
