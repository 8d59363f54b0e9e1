/**
 * The envelope, with JSON-RPC 2.0's meaning (but no `jsonrpc` member, as in lsm):
 *
 *   request       { id, method, params }         params: an object of named arguments
 *   response      { id, result }                 or { id, error: { code, message, data } }
 *   notification  { method, params }             no id, no answer (job progress, cancellation)
 *
 * A fatal protocol error may be announced with `{ id: null, error }` just before a connection is closed.
 */

export type MessageId = number | string;

export interface RequestMessage {
  id: MessageId;
  method: string;
  params: Record<string, unknown>;
}

export interface ErrorObject {
  code: number;
  message: string;
  data: string | null;
}

export interface ResponseMessage {
  id: MessageId | null;
  result?: unknown;
  error?: ErrorObject;
}

export interface NotificationMessage {
  method: string;
  params: Record<string, unknown>;
}

/** Sent by the caller when it gives up on a request (timeout, abort); the callee may stop working on it. */
export const CANCEL_NOTIFICATION = '$/cancel';

export type Classified =
  | { kind: 'request'; message: RequestMessage }
  | { kind: 'notification'; message: NotificationMessage }
  | { kind: 'response'; message: ResponseMessage }
  | { kind: 'invalid'; reason: string; id: MessageId | null };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function isId(v: unknown): v is MessageId {
  return (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && v.length <= 128);
}

function asErrorObject(v: unknown): ErrorObject | undefined {
  if (!isPlainObject(v) || typeof v.code !== 'number' || typeof v.message !== 'string') return undefined;
  const data = v.data === undefined || v.data === null ? null : typeof v.data === 'string' ? v.data : String(v.data);
  return { code: v.code, message: v.message, data };
}

/** Tells what a decoded body is, without trusting any of it. */
export function classify(value: unknown): Classified {
  if (!isPlainObject(value)) return { kind: 'invalid', reason: 'message is not a map', id: null };
  const id = 'id' in value ? value.id : undefined;
  if (typeof value.method === 'string') {
    const params = value.params === undefined || value.params === null ? {} : value.params;
    if (!isPlainObject(params)) {
      return { kind: 'invalid', reason: `params of "${value.method.slice(0, 64)}" must be a map of named arguments`, id: isId(id) ? id : null };
    }
    if (id === undefined || id === null) return { kind: 'notification', message: { method: value.method, params } };
    if (!isId(id)) return { kind: 'invalid', reason: 'request id must be an integer or a short string', id: null };
    return { kind: 'request', message: { id, method: value.method, params } };
  }
  if ('result' in value || 'error' in value) {
    if (id !== null && !isId(id)) return { kind: 'invalid', reason: 'response id must be an integer or a short string', id: null };
    if ('error' in value && value.error !== null && value.error !== undefined) {
      const error = asErrorObject(value.error);
      if (!error) return { kind: 'invalid', reason: 'error member must be { code, message, data }', id: id ?? null };
      return { kind: 'response', message: { id: id ?? null, error } };
    }
    return { kind: 'response', message: { id: id ?? null, result: value.result ?? null } };
  }
  return { kind: 'invalid', reason: 'message has neither method nor result nor error', id: isId(id) ? id : null };
}
