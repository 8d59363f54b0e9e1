/**
 * A registered session: the typed targetd API, what this targetd offers, and the call options every request of
 * one lsm call shares (its abort signal and timeout). Registration asks only what every call needs (whether the
 * server has access groups, which also proves the password); the rest is asked the first time it matters and
 * remembered, so a short lsmcli command pays for no probe it does not use.
 */
import type { System } from '@openlsm/core';
import type { CallContext } from '@openlsm/plugin';
import type { TargetdApi } from './api.js';
import { isFsPool } from './model.js';
import type { CallOptions } from './rpc.js';

export interface Features {
  /** `access_group_*` methods (targetd 0.7.1+); without them groups are only the per-initiator exports. */
  accessGroups: boolean;
  /** `vol_resize` (API 0.7, targetd 0.10). */
  resize: boolean;
  /** At least one fs pool: file systems, snapshots and NFS exports. */
  fileSystems: boolean;
  /**
   * At least one block pool that can hold copies: an LVM thin pool (`vg/thinlv`) or a ZFS dataset (`tank/ds`),
   * both named with a '/'; a plain VG cannot. (ZFS copies also need `zfs_enable_copy`, which the API does not tell.)
   */
  copies: boolean;
}

export interface Session {
  api: TargetdApi;
  system: System;
  accessGroups: boolean;
  canResize(c: CallOptions): Promise<boolean>;
  features(c: CallOptions): Promise<Features>;
}

/** `ask`'s answer, asked once; a failed ask is asked again next time. */
function remembered<T>(ask: (c: CallOptions) => Promise<T>): (c: CallOptions) => Promise<T> {
  let answer: Promise<T> | undefined;
  return (c) => {
    answer ??= ask(c).catch((err: unknown) => {
      answer = undefined;
      throw err;
    });
    return answer;
  };
}

export function newSession(api: TargetdApi, system: System, accessGroups: boolean): Session {
  const canResize = remembered((c) => api.hasMethod('vol_resize', c));
  const pools = remembered(async (c) => {
    const list = await api.poolList(c);
    return { fileSystems: list.some(isFsPool), copies: list.some((p) => !isFsPool(p) && p.name.includes('/')) };
  });
  return {
    api,
    system,
    accessGroups,
    canResize,
    features: async (c) => {
      const [resize, kinds] = await Promise.all([canResize(c), pools(c)]);
      return { accessGroups, resize, ...kinds };
    },
  };
}

export function callOptions(ctx: CallContext): CallOptions {
  return { signal: ctx.signal, timeoutMs: ctx.timeoutMs };
}
