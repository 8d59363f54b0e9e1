/**
 * targetd's JSON-RPC 2.0 layer: one request object per HTTP body, answered with
 * `{"result": ..., "id": N, "jsonrpc": "2.0"}` or `{"error": {"code": C, "message": M}, "id": N, "jsonrpc": "2.0"}`
 * (targetd's member order and Python's `", "`/`": "` spacing, so byte-for-byte comparisons with targetd hold).
 *
 * The rules are targetd 0.10.4's, because its clients depend on them:
 * * `jsonrpc` must be exactly "2.0", `method` and `id` present: else -32600 with id 0. A notification (no id) is
 *   refused the same way rather than run without an answer: a caller that cannot learn whether a volume was
 *   deleted should not be able to delete one.
 * * `id` is what Python's `int()` makes of it: a numeric string becomes a number, a fraction is truncated, a
 *   non-numeric string is -32600, null (or a list or object) is -1 "jsonrpc error".
 * * A batch (a JSON array), or any body that is not an object, is -1 "jsonrpc error".
 * * `params` absent or falsy (null, {}, [], "", 0, false): the method gets no arguments; another non-object is
 *   -32602.
 * * Errors found before the id is read are answered with id 0, never null.
 */
import { parseLsmJson, stringifyLsmJson } from '@openlsm/core';
import { nameForMessage, TargetdCode, TargetdError } from './errors.js';
import { INVALID_ARGUMENTS } from './params.js';

export type RpcId = number | bigint;

/** Runs a method; throws TargetdError for the client's mistakes and the backend's refusals. */
export type Dispatch = (method: string, params: Record<string, unknown> | undefined) => Promise<unknown>;

export interface RpcOutcome {
  /** The JSON text to send. */
  body: string;
  /** The method asked for, when the request got that far (for the access log). */
  method: string | undefined;
  id: RpcId;
  /** The error code answered, if any. */
  errorCode: number | undefined;
  /** An exception that was not a TargetdError: a bug, logged with its stack. */
  unexpected: Error | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function reply(id: RpcId, method: string | undefined, result: unknown): RpcOutcome {
  return {
    body: stringifyLsmJson({ result: result === undefined ? null : result, id, jsonrpc: '2.0' }),
    method, id, errorCode: undefined, unexpected: undefined,
  };
}

function failure(id: RpcId, method: string | undefined, err: TargetdError, unexpected?: Error): RpcOutcome {
  return {
    body: stringifyLsmJson({ error: { code: err.code, message: err.message }, id, jsonrpc: '2.0' }),
    method, id, errorCode: err.code, unexpected,
  };
}

const INVALID_REQUEST = 'not a valid jsonrpc-2.0 request';
const JSONRPC_ERROR = 'jsonrpc error';
const INTEGER_TEXT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;

/** Python's `int(x)` for a JSON id: a number, or 'invalid' (ValueError: -32600), or 'error' (TypeError: -1). */
function pythonInt(v: unknown): RpcId | 'invalid' | 'error' {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : 'invalid';
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    if (!INTEGER_TEXT.test(v)) return 'invalid';
    const n = BigInt(v.trim().replaceAll('_', ''));
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  return 'error';
}

/** Python's truthiness of a JSON value. */
function falsy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === 0n || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** Decodes, checks and dispatches one request body; never throws. */
export async function answerRpc(body: Uint8Array, dispatch: Dispatch): Promise<RpcOutcome> {
  let request: unknown;
  try {
    request = parseLsmJson(utf8.decode(body));
  } catch {
    return failure(0, undefined, new TargetdError(TargetdCode.PARSE_ERROR, 'parse error'));
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return failure(0, undefined, new TargetdError(TargetdCode.GENERIC, JSONRPC_ERROR));
  }
  const req = request as Record<string, unknown>;
  const invalidRequest = new TargetdError(TargetdCode.INVALID_REQUEST, INVALID_REQUEST);
  if (req.jsonrpc !== '2.0' || !Object.hasOwn(req, 'method') || !Object.hasOwn(req, 'id')) return failure(0, undefined, invalidRequest);
  const id = pythonInt(req.id);
  if (id === 'invalid') return failure(0, undefined, invalidRequest);
  if (id === 'error') return failure(0, undefined, new TargetdError(TargetdCode.GENERIC, JSONRPC_ERROR));
  if (typeof req.method !== 'string') return failure(id, undefined, invalidRequest);
  const method = req.method;
  const params = req.params;
  let args: Record<string, unknown> | undefined;
  if (!falsy(params)) {
    if (typeof params !== 'object' || Array.isArray(params)) {
      return failure(id, method, new TargetdError(TargetdCode.INVALID_ARGUMENT, INVALID_ARGUMENTS));
    }
    args = params as Record<string, unknown>;
  }
  try {
    return reply(id, method, await dispatch(method, args));
  } catch (err) {
    if (err instanceof TargetdError) return failure(id, method, err);
    const e = err instanceof Error ? err : new Error(String(err));
    return failure(id, method, new TargetdError(TargetdCode.GENERIC, `${e.name}: ${e.message}`), e);
  }
}

/** The error a dispatcher raises for a method it does not have. */
export function methodNotFound(method: string): TargetdError {
  return new TargetdError(TargetdCode.METHOD_NOT_FOUND, `method ${nameForMessage(method)} not found`);
}
