/**
 * Two ways to talk to a targetd-style server in tests:
 *
 * * `exchange`: raw bytes on a fresh TCP or TLS connection, read until the server closes, parsed by hand. It
 *   sees what an HTTP library would hide or refuse: targetd's replies without a status line, missing headers,
 *   the exact status code. Used by the conformance cases.
 * * `RpcClient`: JSON-RPC calls over Node's http/https with keep-alive, as a targetd client would make them,
 *   with results parsed BigInt-safe (pool sizes reach 2^61).
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { parseLsmJson, stringifyLsmJson } from '@openlsm/core';

export interface Target {
  host: string;
  port: number;
  /** PEM of the CA to trust; absent: plain HTTP. */
  ca?: string;
}

export interface RawReply {
  /** Everything the server sent. */
  raw: string;
  /** null when the reply had no status line (targetd's bare JSON replies). */
  status: number | null;
  headers: Record<string, string>;
  body: string;
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface RequestParts {
  method?: string;
  path?: string;
  /** The Authorization header value; undefined: none. */
  authorization?: string;
  body?: string | Buffer;
  /** false: send the body chunked, without Content-Length. */
  contentLength?: boolean;
  headers?: Record<string, string>;
}

/** An HTTP/1.1 request as bytes, asking the server to close the connection after its answer. */
export function requestBytes(target: Target, parts: RequestParts): Buffer {
  const body = Buffer.from(parts.body ?? '');
  const lines = [`${parts.method ?? 'POST'} ${parts.path ?? '/targetrpc'} HTTP/1.1`, `Host: ${target.host}:${target.port}`, 'Connection: close'];
  if (parts.authorization !== undefined) lines.push(`Authorization: ${parts.authorization}`);
  if (body.length > 0) lines.push('Content-Type: application/json');
  for (const [k, v] of Object.entries(parts.headers ?? {})) lines.push(`${k}: ${v}`);
  if (parts.contentLength === false) {
    lines.push('Transfer-Encoding: chunked');
    const chunk = body.length > 0 ? [Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')] : [];
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), ...chunk, Buffer.from('0\r\n\r\n')]);
  }
  lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]);
}

function parseReply(raw: string): RawReply {
  if (!raw.startsWith('HTTP/')) return { raw, status: null, headers: {}, body: raw };
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = end < 0 ? '' : raw.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    let out = '';
    let rest = body;
    for (;;) {
      const nl = rest.indexOf('\r\n');
      const n = parseInt(rest.slice(0, nl), 16);
      if (!(n > 0)) break;
      out += rest.slice(nl + 2, nl + 2 + n);
      rest = rest.slice(nl + 2 + n + 2);
    }
    body = out;
  }
  return { raw, status: Number((statusLine as string).split(' ')[1]), headers, body };
}

/** Sends `bytes` on a new connection and resolves with what came back once the server closed it. */
export function exchange(target: Target, bytes: string | Buffer, timeoutMs = 30_000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket: net.Socket = target.ca !== undefined
      ? tls.connect({ host: target.host, port: target.port, ca: target.ca, servername: 'localhost' })
      : net.connect({ host: target.host, port: target.port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete reply within ${timeoutMs} ms; got ${JSON.stringify(Buffer.concat(chunks).toString('utf8').slice(0, 300))}`));
    }, timeoutMs);
    socket.once(target.ca !== undefined ? 'secureConnect' : 'connect', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(parseReply(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

export class RpcError extends Error {
  readonly code: number;
  /** The error's message as the server sent it. */
  readonly rpcMessage: string;

  constructor(code: number, message: string) {
    super(`targetd error ${code}: ${message}`);
    this.code = code;
    this.rpcMessage = message;
  }
}

/** A matcher for assert.rejects: an RpcError with `code` (and a message matching `message`). */
export function rpcError(code: number, message?: RegExp) {
  return (err: unknown): boolean => {
    if (!(err instanceof RpcError)) throw new Error(`expected an RpcError, got ${String(err)}`);
    if (err.code !== code) throw new Error(`expected code ${code}, got ${err.message}`);
    if (message && !message.test(err.rpcMessage)) throw new Error(`message ${JSON.stringify(err.rpcMessage)} does not match ${message}`);
    return true;
  };
}

/** JSON-RPC calls with keep-alive, as a targetd client makes them. */
export class RpcClient {
  readonly #target: Target;
  readonly #authorization: string;
  readonly agent: http.Agent;
  #id = 0;

  constructor(target: Target, user: string, password: string, agentOptions: https.AgentOptions = {}) {
    this.#target = target;
    this.#authorization = basic(user, password);
    this.agent = target.ca !== undefined
      ? new https.Agent({ keepAlive: true, ca: target.ca, servername: 'localhost', maxSockets: 32, ...agentOptions })
      : new http.Agent({ keepAlive: true, maxSockets: 32 });
  }

  /** One POST; resolves with the status and the raw body. */
  post(body: string): Promise<{ status: number; body: string; socket: net.Socket }> {
    const lib = this.#target.ca !== undefined ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request({
        host: this.#target.host, port: this.#target.port, path: '/targetrpc', method: 'POST', agent: this.agent,
        headers: { 'content-type': 'application/json', authorization: this.#authorization, 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), socket: req.socket as net.Socket }));
        res.once('error', reject);
      });
      req.once('error', reject);
      req.end(body);
    });
  }

  /** Calls `method`; resolves with its result or rejects with RpcError. */
  async call<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T> {
    const id = ++this.#id;
    const { status, body } = await this.post(stringifyLsmJson({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) }));
    if (status !== 200) throw new Error(`HTTP ${status}: ${body}`);
    const reply = parseLsmJson(body) as { result?: T; error?: { code: number; message: string }; id: number };
    if (reply.id !== id) throw new Error(`reply id ${reply.id} for request ${id}`);
    if (reply.error) throw new RpcError(reply.error.code, reply.error.message);
    return reply.result as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
