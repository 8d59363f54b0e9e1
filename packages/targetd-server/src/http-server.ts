/**
 * The HTTP(S) side of openlsm-targetd: targetd's endpoint `POST /targetrpc`, its checks in its order, and an
 * access log.
 *
 * Order of checks, as targetd makes them: a method other than POST is 501 before anything else (Python's
 * BaseHTTPRequestHandler has no `do_GET`); then the Authorization header (missing: 401 with a challenge;
 * undecodable: 400); then the tarpit (503) and the credentials (401 after 2 s); then the path (404); then the
 * body size (413 above 128 KiB); then the body is JSON-RPC.
 *
 * Where targetd's HTTP is broken, this is plain HTTP/1.1 instead: every reply has a status line, headers and a
 * Content-Length (targetd writes a bare body for unparsable JSON and for a missing Content-Length), connections
 * are kept alive, and a chunked body is read (up to the same limit) instead of being refused.
 */
import http from 'node:http';
import https from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { Logger } from '@openlsm/log';
import type { BasicAuthGate } from './auth.js';
import { answerRpc, type Dispatch } from './jsonrpc.js';

export const RPC_PATH = '/targetrpc';
/** targetd refuses a Content-Length above this with 413. */
export const MAX_BODY_BYTES = 128 * 1024;

export interface RpcServerOptions {
  /** Certificate, key and protocol settings; absent: plain HTTP. */
  tls: SecureContextOptions | undefined;
  gate: BasicAuthGate;
  dispatch: Dispatch;
  log: Logger;
}

export type RpcServer = http.Server | https.Server;

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client for the tarpit. */
function clientAddress(req: http.IncomingMessage): string {
  const a = req.socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

function sendStatus(res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = `${status} ${message}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * The request body; null when it passes the limit (a 413 has been sent) or the client went away meanwhile.
 * A refused body is drained, not left unread, so the client can read the 413 before the connection closes (a
 * close with unread data resets the connection, and the reset can destroy the answer on its way).
 */
function readBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<Buffer | null> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (body: Buffer | null) => {
      if (settled) return;
      settled = true;
      resolve(body);
    };
    const tooLarge = () => {
      sendStatus(res, 413, `Request body larger than ${MAX_BODY_BYTES} bytes`, { Connection: 'close' });
      req.removeAllListeners('data');
      req.resume();
      const timer = setTimeout(() => req.socket.destroy(), 2_000).unref();
      req.socket.once('close', () => clearTimeout(timer));
      settle(null);
    };
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > MAX_BODY_BYTES) tooLarge();
      else chunks.push(chunk);
    });
    req.once('end', () => settle(Buffer.concat(chunks, total)));
    // The client went away before its body was complete: there is no one to answer.
    req.once('close', () => settle(null));
    req.once('error', () => settle(null));
  });
}

export function createRpcServer(options: RpcServerOptions): RpcServer {
  const { gate, dispatch, log } = options;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const started = performance.now();
    const entry: Record<string, unknown> = { remote: clientAddress(req), http_method: req.method, path: req.url?.slice(0, 256) };
    res.once('close', () => {
      entry.status = res.statusCode;
      entry.ms = Math.round((performance.now() - started) * 10) / 10;
      if (!res.writableFinished) entry.client_gone = true;
      log.info('request', entry);
    });
    void serve(req, res, entry).catch((err: Error) => {
      log.error('request failed', { ...entry, error: err.message, stack: err.stack });
      if (!res.headersSent) sendStatus(res, 500, 'Internal server error');
      else res.destroy();
    });
  };

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse, entry: Record<string, unknown>): Promise<void> => {
    if (req.method !== 'POST') return sendStatus(res, 501, `Unsupported method ('${req.method}')`);
    const verdict = await gate.check(req.headers.authorization, entry.remote as string);
    if (!verdict.ok) {
      entry.auth = verdict.reason;
      if ('user' in verdict) entry.user = verdict.user.slice(0, 64);
      if (verdict.status === 401) {
        return sendStatus(res, 401, verdict.reason === 'missing' ? 'Authentication required' : 'Wrong user or password',
          { 'WWW-Authenticate': 'Basic realm="targetd", charset="UTF-8"' });
      }
      if (verdict.status === 503) return sendStatus(res, 503, 'A failed login from this address is being delayed; retry in 2 s', { 'Retry-After': '2' });
      return sendStatus(res, 400, 'Malformed Authorization header: expected Basic base64(user:password)');
    }
    entry.user = verdict.user;
    if (req.url !== RPC_PATH) return sendStatus(res, 404, `Not found: the API is at ${RPC_PATH}`);
    const body = await readBody(req, res);
    if (body === null) return;
    const outcome = await answerRpc(body, dispatch);
    entry.rpc_method = outcome.method?.slice(0, 64);
    entry.rpc_id = typeof outcome.id === 'bigint' ? outcome.id.toString() : outcome.id;
    if (outcome.errorCode !== undefined) entry.rpc_error = outcome.errorCode;
    if (outcome.unexpected) log.error('method failed unexpectedly', { method: entry.rpc_method, error: outcome.unexpected.message, stack: outcome.unexpected.stack });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(outcome.body) });
    res.end(outcome.body);
  };

  const httpOptions: http.ServerOptions = {
    // Bounds on receiving a request (not on running it: each call has its own timeout).
    headersTimeout: 20_000,
    requestTimeout: 60_000,
    // Longer than clients keep idle connections (undici: 4 s), so a client never sends on a socket being closed.
    keepAliveTimeout: 30_000,
    maxHeaderSize: 16_384,
  };
  if (!options.tls) return http.createServer(httpOptions, handler);
  const server = https.createServer({ ...httpOptions, ...options.tls }, handler);
  // A client that does not speak TLS, or refuses our certificate, fails alone; the server goes on.
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket) => {
    log.debug('TLS handshake failed', { remote: socket.remoteAddress, error: err.code ?? err.message });
  });
  return server;
}
