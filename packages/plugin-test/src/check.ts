/**
 * What a conformance check is: one behaviour of lsm's API, gated by the capabilities that announce it, run
 * against a live plugin. A check throws `CheckFailure` (or lets an unexpected `LsmError` escape) to fail, and
 * registers an undo for everything it creates, so the array is left as it was found.
 */
import {
  type Capabilities, Capability, type CapabilityName, type Client, errorName, ErrorNumber, isSupported,
  LsmError, type Pool, type System,
} from '@openlsm/client';
import type { RawSession } from './raw-session.js';

export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

/** Thrown by a check whose capabilities are claimed but whose precondition the array does not meet. */
export class CheckSkipped extends Error {
  override name = 'CheckSkipped';
}

export interface CheckContext {
  readonly client: Client;
  readonly system: System;
  readonly systems: readonly System[];
  /** The pools of `system`. */
  readonly pools: readonly Pool[];
  readonly caps: Capabilities;
  readonly cleanup: Cleanup;
  /** A new name no object on the array has, for objects the check creates: `olsmct_<kind>_<random>`. */
  name(kind: string): string;
  /** Opens a session that speaks the wire protocol directly (no client-side validation). */
  raw(options?: { register?: boolean }): Promise<RawSession>;
  supports(name: CapabilityName): boolean;
}

export interface Check {
  /** Stable and short: `volume_create.name_conflict`. */
  readonly id: string;
  /** What passing means, in lsm's terms. */
  readonly title: string;
  /** Capabilities the system must claim for the check to run (all of them). */
  readonly needs: readonly CapabilityName[];
  /** Once per plugin rather than once per system (session and protocol checks). */
  readonly once?: boolean;
  run(ctx: CheckContext): Promise<void>;
}

export function supports(caps: Capabilities, name: CapabilityName): boolean {
  return isSupported(caps, Capability[name]);
}

/** How an error reads in a report: `NOT_FOUND_VOLUME (205): Volume not found`. */
export function describeError(err: unknown): string {
  if (err instanceof LsmError) return `${errorName(err.code)} (${err.code}): ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}

/** Awaits `promise` and requires it to fail with lsm's `code`; `what` names the call in the message. */
export async function expectError(promise: Promise<unknown>, code: number, what: string): Promise<void> {
  let outcome: unknown;
  try {
    await promise;
  } catch (err) {
    if (err instanceof LsmError && err.code === code) return;
    outcome = err;
  }
  const wanted = `${errorName(code)} (${code})`;
  if (outcome === undefined) throw new CheckFailure(`${what}: expected ${wanted}, but it succeeded`);
  throw new CheckFailure(`${what}: expected ${wanted}, got ${describeError(outcome)}`);
}

/** Errors an undo may meet because the check already removed the object itself. */
const GONE = new Set<number>([
  ErrorNumber.NOT_FOUND_VOLUME, ErrorNumber.NOT_FOUND_ACCESS_GROUP, ErrorNumber.NOT_FOUND_FS,
  ErrorNumber.NOT_FOUND_FS_SS, ErrorNumber.NOT_FOUND_NFS_EXPORT, ErrorNumber.NO_STATE_CHANGE,
]);

/** Undo steps for what a check created, run newest first after the check, pass or fail. */
export class Cleanup {
  readonly #steps: { what: string; undo: () => Promise<unknown> }[] = [];

  /** `what` names the object for the report ("volume olsmct_v_1a2b (VOL_ID_0001)"). */
  add(what: string, undo: () => Promise<unknown>): void {
    this.#steps.push({ what, undo });
  }

  /** Runs every step; returns what could not be removed, with why. */
  async run(): Promise<string[]> {
    const left: string[] = [];
    while (this.#steps.length > 0) {
      const step = this.#steps.pop()!;
      try {
        await step.undo();
      } catch (err) {
        if (err instanceof LsmError && GONE.has(err.code)) continue;
        left.push(`${step.what}: ${describeError(err)}`);
      }
    }
    return left;
  }
}

export const MiB = 1n << 20n;
/** The size of every volume and file system a check creates (lsm's plugin test uses the same). */
export const OBJECT_SIZE = 512n * MiB;

export function formatBytes(n: bigint): string {
  return n % MiB === 0n ? `${n / MiB} MiB` : `${n} bytes`;
}
