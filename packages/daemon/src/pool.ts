/**
 * The processes of one plugin, and which session gets which.
 *
 * Isolated (lsm's model, and the default): every session has a process of its own. Starting a Node plugin
 * costs tens of milliseconds, so `warm` processes are kept started, loaded and answering (`plugin_info`), and a
 * session takes one while a replacement starts at once. When sessions arrive faster than processes start (a
 * shell loop of lsmcli commands, a burst of clients), the number kept warm grows, up to `maxWarm`, and shrinks
 * back one step per `shrinkAfterMs` without a miss.
 *
 * Shared: a plugin that declares it serves many sessions in one process (it announces `$/session_host` when
 * offered, which happens unless the configuration says 1) gets sessions as channels of a few host processes:
 * the least busy host with room takes the next session; another host starts when every one is full, and while
 * there are more than 8 sessions per host, up to one host per CPU (a host is one thread); `warm` hosts are
 * kept, and hosts left idle beyond those stop after `shrinkAfterMs`.
 *
 * Either way at most `maxSessions` sessions are served at once (further ones are refused, with a reason the
 * client sees), process starts go through the daemon-wide StartLimiter, and a plugin that keeps failing to
 * start is retried with a back-off of up to 30 s, a waiting client getting the error rather than a hang.
 */
import os from 'node:os';
import type { Logger } from '@openlsm/log';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { SESSION_HOST_ENV } from '@openlsm/ipc';
import { type PluginLease, ProcessLease } from './lease.js';
import { describeExit, PluginProcess, type SpawnSettings } from './plugin-process.js';
import { SharedHost } from './shared-host.js';
import type { StartLimiter } from './start-limiter.js';

export interface PoolOptions {
  name: string;
  spawn: SpawnSettings;
  /** Processes (isolated) or host processes (shared) kept ready; 0 starts them only on demand. */
  warm: number;
  /** Most processes kept ready while sessions arrive faster than processes start (isolated). */
  maxWarm: number;
  /** Most sessions served at once; further ones are refused. */
  maxSessions: number;
  /** Sessions per process from the configuration; undefined asks the plugin, 1 never asks. */
  sessionsPerProcess: number | undefined;
  starter: StartLimiter;
  log: Logger;
  /** How long a starting process may take to answer (default 30 s). */
  readyTimeoutMs?: number;
  /** Time without a miss (isolated) or without sessions (an extra host) before the pool shrinks (default 10 s). */
  shrinkAfterMs?: number;
}

const MAX_BACKOFF_MS = 30_000;
/** Sessions per process offered to a plugin that declares it can share one, when the configuration does not say. */
const DEFAULT_SESSIONS_OFFER = 64;
/** Sessions per host before another host is started (up to one per CPU). */
const SPREAD_SESSIONS = 8;
const CPUS = os.availableParallelism();
const DEFAULT_SHRINK_AFTER_MS = 10_000;

interface Waiter {
  resolve(lease: PluginLease): void;
  reject(err: LsmError): void;
}

export class PluginPool {
  readonly name: string;
  readonly #options: PoolOptions;
  readonly #log: Logger;
  #mode: 'unknown' | 'isolated' | 'shared';
  /** Isolated: processes ready for a session. */
  readonly #ready: PluginProcess[] = [];
  /** Shared: host processes, ready. */
  readonly #hosts: SharedHost[] = [];
  /** Processes started and not given to a session (starting or ready): stopped at close. */
  readonly #unclaimed = new Set<PluginProcess>();
  #starting = 0;
  /** Sessions waiting for a process, oldest first (already counted in #active). */
  readonly #waiters: Waiter[] = [];
  /** Sessions served or waiting. */
  #active = 0;
  /** Isolated: processes wanted ready now, between warm and maxWarm. */
  #target: number;
  #lastMiss = 0;
  #failures = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #shrinkTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Set once a process has come up: later ones are not logged (one line per plugin, not per process). */
  #announced = false;

  constructor(options: PoolOptions) {
    this.name = options.name;
    this.#options = options;
    this.#log = options.log;
    this.#mode = options.sessionsPerProcess === 1 ? 'isolated' : 'unknown';
    this.#target = options.warm;
  }

  /** 'shared' once the plugin has said it serves many sessions per process. */
  get mode(): 'unknown' | 'isolated' | 'shared' {
    return this.#mode;
  }

  /** What the pool holds now: processes ready (isolated) or hosts (shared), starting, sessions, and the warm target. */
  get stats(): { ready: number; hosts: number; starting: number; sessions: number; target: number } {
    return { ready: this.#ready.length, hosts: this.#hosts.length, starting: this.#starting, sessions: this.#active, target: this.#target };
  }

  /** Starts the warm processes. */
  start(): void {
    this.#refill();
    const shrinkAfter = this.#options.shrinkAfterMs ?? DEFAULT_SHRINK_AFTER_MS;
    this.#shrinkTimer = setInterval(() => this.#shrink(), Math.max(250, shrinkAfter / 2));
    this.#shrinkTimer.unref();
  }

  /**
   * A plugin session for one client. Rejects with PLUGIN_IPC_FAIL when `maxSessions` are being served or the
   * plugin cannot be started, and with TRANSPORT_COMMUNICATION when `signal` aborts first (the client left:
   * nothing is started for it).
   */
  acquire(signal?: AbortSignal): Promise<PluginLease> {
    if (this.#closed) return Promise.reject(new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `plug-in "${this.name}" is being removed`));
    const max = this.#options.maxSessions;
    if (this.#active >= max) {
      return Promise.reject(new LsmError(
        ErrorNumber.PLUGIN_IPC_FAIL,
        `Too many sessions: openlsmd already serves ${this.#active} sessions of plug-in "${this.name}" (max_sessions ${max}); try again later`,
      ));
    }
    this.#active++;
    const lease = this.#lease();
    if (lease) {
      this.#refill();
      return Promise.resolve(lease);
    }
    // None ready: wait for the next one. A process already starting is further along than a new one would be,
    // so only the shortfall is started; the miss also raises how many are kept warm.
    this.#missed();
    return new Promise<PluginLease>((resolve, reject) => {
      const onAbort = () => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) {
          this.#waiters.splice(at, 1);
          waiter.reject(new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, 'The client left before a plug-in process was ready'));
        }
      };
      const waiter: Waiter = {
        resolve: (lease) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(lease);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          this.#active--;
          reject(err);
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#refill();
    });
  }

  /** Stops accepting and stops idle processes; hosts serving sessions stop when their last session ends. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#shrinkTimer);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `plug-in "${this.name}" is being removed`));
    this.#ready.splice(0);
    const unclaimed = [...this.#unclaimed];
    this.#unclaimed.clear();
    const idleHosts = this.#hosts.filter((h) => h.sessions === 0);
    await Promise.all([
      ...unclaimed.map(async (p) => {
        p.socket.destroy();
        await p.stop(1_000);
      }),
      ...idleHosts.map((h) => h.stop(1_000)),
    ]);
  }

  /** Kills every process the pool still has (shutdown deadline passed). */
  kill(): void {
    for (const host of this.#hosts) host.process.child.kill('SIGKILL');
    for (const p of this.#unclaimed) p.child.kill('SIGKILL');
  }

  #lease(): PluginLease | undefined {
    if (this.#mode === 'shared') {
      let best: SharedHost | undefined;
      for (const host of this.#hosts) {
        if (host.usable && (!best || host.sessions < best.sessions)) best = host;
      }
      return best?.openSession(() => this.#released(best));
    }
    while (this.#ready.length > 0) {
      const candidate = this.#ready.shift() as PluginProcess;
      this.#unclaimed.delete(candidate);
      if (!candidate.hasExited && !candidate.socket.destroyed) return new ProcessLease(candidate, () => this.#released(undefined));
    }
    return undefined;
  }

  #released(host: SharedHost | undefined): void {
    this.#active--;
    if (this.#closed) {
      if (host && host.sessions === 0) void host.stop(1_000);
      return;
    }
    this.#serveWaiters();
    this.#refill();
  }

  #serveWaiters(): void {
    while (this.#waiters.length > 0) {
      const lease = this.#lease();
      if (!lease) return;
      (this.#waiters.shift() as Waiter).resolve(lease);
    }
  }

  #missed(): void {
    this.#lastMiss = Date.now();
    if (this.#mode !== 'shared') this.#target = Math.min(Math.max(this.#options.warm, this.#options.maxWarm), this.#target + 1);
  }

  #refill(): void {
    // While backing off from failed starts, only a waiting client justifies another attempt.
    if (this.#closed || (this.#retryTimer && this.#waiters.length === 0)) return;
    let missing: number;
    if (this.#mode === 'shared') {
      const capacity = this.#hosts[0]?.capacity ?? 1;
      // Room for one more session, and sessions spread over up to one host per CPU: a host is one thread, and
      // 50 clients at once on one host wait for each other.
      const spread = Math.min(CPUS, Math.ceil(this.#active / SPREAD_SESSIONS));
      const wanted = Math.max(this.#options.warm, spread, Math.ceil((this.#active + 1) / capacity));
      missing = wanted - this.#hosts.length - this.#starting;
    } else {
      missing = this.#target + this.#waiters.length - this.#ready.length - this.#starting;
    }
    for (let i = 0; i < missing; i++) void this.#startOne();
  }

  async #startOne(): Promise<void> {
    this.#starting++;
    let child: PluginProcess | undefined;
    let host: SharedHost | undefined;
    try {
      const readyTimeoutMs = this.#options.readyTimeoutMs ?? 30_000;
      const { description, version } = await this.#options.starter.run(async () => {
        this.#log.debug('starting a plug-in process', { plugin: this.name, starting: this.#options.starter.running });
        const offer = this.#mode === 'isolated' ? undefined : this.#options.sessionsPerProcess ?? DEFAULT_SESSIONS_OFFER;
        child = await PluginProcess.start(offer === undefined ? this.#options.spawn : {
          ...this.#options.spawn, env: { ...this.#options.spawn.env, [SESSION_HOST_ENV]: String(offer) },
        });
        this.#unclaimed.add(child);
        this.#watchExit(child);
        const probe = await child.probe(readyTimeoutMs);
        if (probe.sessions !== undefined && offer !== undefined) {
          host = new SharedHost(child, Math.min(probe.sessions, offer));
          this.#mode = 'shared';
        } else {
          this.#mode = 'isolated';
        }
        return probe;
      });
      if (!this.#announced) this.#log.info('plug-in ready', { plugin: this.name, description, version, pluginPid: (child as PluginProcess).pid, sessionsPerProcess: host?.capacity ?? 1 });
      this.#announced = true;
      this.#failures = 0;
      if (this.#closed) return; // close() has stopped it
      if (host) {
        this.#unclaimed.delete(host.process);
        this.#hosts.push(host);
        this.#serveWaiters();
        return;
      }
      const ready = child as PluginProcess;
      const waiter = this.#waiters.shift();
      if (waiter) {
        this.#unclaimed.delete(ready);
        waiter.resolve(new ProcessLease(ready, () => this.#released(undefined)));
      } else {
        this.#ready.push(ready);
      }
    } catch (err) {
      if (child) {
        this.#unclaimed.delete(child);
        child.socket.destroy();
        void child.stop(0);
      }
      if (this.#closed) return;
      this.#failures++;
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.#failures, 7));
      this.#log.error('plug-in failed to start', { plugin: this.name, error: (err as Error).message, retryInMs: delay });
      // A client waiting for this start learns why now rather than after the back-off.
      this.#waiters.shift()?.reject(err instanceof LsmError ? err : new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `plug-in "${this.name}" failed to start: ${(err as Error).message}`));
      if (!this.#retryTimer) {
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = undefined;
          this.#refill();
        }, delay);
        this.#retryTimer.unref();
      }
    } finally {
      this.#starting--;
    }
    this.#refill();
  }

  #watchExit(child: PluginProcess): void {
    void child.exited.then((status) => {
      this.#unclaimed.delete(child);
      const meta = { plugin: this.name, pluginPid: child.pid, code: status.code, signal: status.signal };
      const hostAt = this.#hosts.findIndex((h) => h.process === child);
      if (hostAt >= 0) {
        const [host] = this.#hosts.splice(hostAt, 1) as [SharedHost];
        if (host.sessions > 0 || status.code !== 0) this.#log.warn(`shared plug-in process ${describeExit(status)}`, { ...meta, sessions: host.sessions });
        else this.#log.info('shared plug-in process exited', meta);
        this.#refill();
        return;
      }
      const index = this.#ready.indexOf(child);
      if (index < 0) return; // a session's process: the session logs its exit
      // A warm process died before any client took it.
      this.#ready.splice(index, 1);
      this.#log.warn(`idle plug-in process ${describeExit(status)}`, meta);
      this.#refill();
    });
  }

  /** One step down when the pool has more than it needs. */
  #shrink(): void {
    if (this.#closed) return;
    const now = Date.now();
    const after = this.#options.shrinkAfterMs ?? DEFAULT_SHRINK_AFTER_MS;
    if (this.#mode === 'shared') {
      if (this.#hosts.length <= this.#options.warm) return;
      const idle = this.#hosts.find((h) => h.sessions === 0 && now - h.idleSince >= after);
      if (!idle) return;
      this.#hosts.splice(this.#hosts.indexOf(idle), 1);
      void idle.stop(1_000);
      return;
    }
    if (this.#target > this.#options.warm && now - this.#lastMiss >= after) {
      this.#target--;
      this.#lastMiss = now; // the next step down waits another period
    }
    // Starts already under way when the target fell leave a surplus behind: one goes per check.
    if (this.#ready.length > this.#target) {
      const surplus = this.#ready.shift() as PluginProcess;
      this.#unclaimed.delete(surplus);
      surplus.socket.destroy();
      void surplus.stop(1_000);
    }
  }
}
