/**
 * A registered session: the typed targetd API, what this targetd offers, and the call options every request of
 * one lsm call shares (its abort signal and timeout).
 */
import type { System } from '@openlsm/core';
import type { CallContext } from '@openlsm/plugin';
import type { TargetdApi } from './api.js';
import type { CallOptions } from './rpc.js';

export interface Features {
  /** `access_group_*` methods (targetd 0.7.1+); without them groups are only the per-initiator exports. */
  accessGroups: boolean;
  /** `vol_resize` (API 0.7, targetd 0.10). */
  resize: boolean;
  /** At least one fs pool: file systems, snapshots and NFS exports. */
  fileSystems: boolean;
}

export interface Session {
  api: TargetdApi;
  system: System;
  features: Features;
}

export function callOptions(ctx: CallContext): CallOptions {
  return { signal: ctx.signal, timeoutMs: ctx.timeoutMs };
}
