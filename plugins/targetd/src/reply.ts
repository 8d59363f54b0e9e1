/**
 * Checks of targetd's answers: a plugin must not pass a peer's garbage on as lsm objects (the client would
 * call it PLUGIN_BUG at best). Each reader returns typed data or throws NETWORK_ERROR naming the method and the
 * field that is wrong.
 */
import { ErrorNumber, LsmError } from '@openlsm/core';

export class ReplyReader {
  readonly #what: string;

  constructor(label: string, method: string) {
    this.#what = `targetd at ${label} answered ${method} with`;
  }

  bad(detail: string): LsmError {
    return new LsmError(ErrorNumber.NETWORK_ERROR, `${this.#what} ${detail}`);
  }

  list(value: unknown): Record<string, unknown>[] {
    if (!Array.isArray(value)) throw this.bad('something that is not a list');
    for (const item of value) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw this.bad('a list entry that is not an object');
    }
    return value as Record<string, unknown>[];
  }

  strings(value: unknown, field = 'the list'): string[] {
    if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) throw this.bad(`${field} that is not a list of strings`);
    return value as string[];
  }

  str(o: Record<string, unknown>, key: string): string {
    const v = o[key];
    if (typeof v !== 'string') throw this.bad(`an entry whose "${key}" is not a string`);
    return v;
  }

  /** A byte count (JSON integer, exact beyond 2^53), as bigint. */
  size(o: Record<string, unknown>, key: string): bigint {
    const v = o[key];
    if (typeof v === 'bigint' && v >= 0n) return v;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
    throw this.bad(`an entry whose "${key}" is not a byte count`);
  }

  int(o: Record<string, unknown>, key: string): number {
    const v = o[key];
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    throw this.bad(`an entry whose "${key}" is not an integer`);
  }

  /** A uuid, which targetd sends as a string, except ZFS pool guids (64-bit JSON numbers): kept exact. */
  id(o: Record<string, unknown>, key: string): string | null {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v))) return v.toString();
    throw this.bad(`an entry whose "${key}" is neither a string nor an integer`);
  }
}
