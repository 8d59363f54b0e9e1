/**
 * How a targetd method is declared: its keyword arguments (params.ts) and a function of one call's backend
 * view and the bound arguments. Plus the name rule targetd documents for everything a client names.
 */
import { nameForMessage, TargetdCode, TargetdError } from '../errors.js';
import type { Args, Param } from '../params.js';
import type { BackendView } from '../view.js';

type Spec = Record<string, Param<unknown>>;

export interface MethodDef {
  readonly params: Spec;
  run(view: BackendView, args: Record<string, unknown>): Promise<unknown>;
}

export type MethodTable = Readonly<Record<string, MethodDef>>;

export function method<S extends Spec>(params: S, run: (view: BackendView, args: Args<S>) => Promise<unknown>): MethodDef {
  return { params, run: run as MethodDef['run'] };
}

/** targetd's documented rule for names (its code checks only access-group names; we check every name). */
const NAME_RE = /^[a-zA-Z0-9_-]+$/;
export const NAME_MAX = 255;

/** `name` when it is 1-255 of `[a-zA-Z0-9_-]`; else -32602 with targetd's message. */
export function checkName(name: string): string {
  if (name.length <= NAME_MAX && NAME_RE.test(name)) return name;
  const why = name.length > NAME_MAX ? `longer than ${NAME_MAX} characters` : `${nameForMessage(name)} is not allowed`;
  throw new TargetdError(TargetdCode.INVALID_ARGUMENT, `Illegal name, should match: ^[a-zA-Z0-9_-]+$ (${why})`);
}
