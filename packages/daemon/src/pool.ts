/**
 * Warm plugin processes. Starting a Node plugin costs tens of milliseconds (interpreter start, module
 * loading); a client should not wait for that. Each plugin keeps `warm` processes started, loaded and
 * answering (checked with `plugin_info`), not yet registered; a connection takes one and a replacement is
 * started at once. When none is ready (a burst of clients), the connection waits for the next one to come up, and
 * as many are started as there are connections waiting.
 *
 * A plugin that keeps dying before it is ready is not restarted in a tight loop: refills back off, up to 30 s.
 */
import type { Logger } from '@openlsm/log';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { describeExit, PluginProcess, type SpawnSettings } from './plugin-process.js';

export interface PoolOptions {
  name: string;
  spawn: SpawnSettings;
  /** Processes kept ready (0 disables pre-starting). */
  warm: number;
  /** Most processes serving clients at once; further connections are refused. */
  maxSessions: number;
  log: Logger;
  /** How long a starting process may take to answer plugin_info (default 30 s). */
  readyTimeoutMs?: number;
  /** Delay before a taken warm process is replaced (default 50 ms). */
  refillDelayMs?: number;
}

const MAX_BACKOFF_MS = 30_000;
const DEFAULT_REFILL_DELAY_MS = 50;

export class PluginPool {
  readonly name: string;
  readonly #options: PoolOptions;
  readonly #log: Logger;
  readonly #ready: PluginProcess[] = [];
  /** Processes started for the pool and not yet handed to a client (starting or ready). */
  readonly #unclaimed = new Set<PluginProcess>();
  #starting = 0;
  /** Connections waiting for a process, oldest first. */
  readonly #waiters: { resolve(p: PluginProcess): void; reject(err: LsmError): void }[] = [];
  #inUse = 0;
  #failures = 0;
  #refillTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Set once a process has come up: later ones are not logged (one line per plugin, not per process). */
  #announced = false;

  constructor(options: PoolOptions) {
    this.name = options.name;
    this.#options = options;
    this.#log = options.log;
  }

  /** Starts the warm processes. */
  start(): void {
    this.#refill();
  }

  /**
   * A process for one client. Call `release()` when the process has exited. Rejects when the session limit
   * is reached or the plugin cannot be started.
   */
  async acquire(): Promise<PluginProcess> {
    if (this.#closed) throw new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `plug-in "${this.name}" is being removed`);
    if (this.#inUse >= this.#options.maxSessions) {
      throw new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `plug-in "${this.name}" already serves ${this.#inUse} clients (max_sessions)`);
    }
    this.#inUse++;
    const ready = this.#takeReady();
    if (ready) {
      // The replacement starts a moment later: its start-up (tens of milliseconds of CPU) would otherwise
      // compete with this client's first calls, which are what the warm process is there to make fast.
      setTimeout(() => this.#refill(), this.#options.refillDelayMs ?? DEFAULT_REFILL_DELAY_MS).unref();
      return ready;
    }
    // None ready: wait for the next one to come up. A process already starting is further along than a new
    // one would be, so only the shortfall is started.
    return new Promise<PluginProcess>((resolve, reject) => {
      this.#waiters.push({
        resolve,
        reject: (err) => {
          this.#inUse--;
          reject(err);
        },
      });
      this.#refill();
    });
  }

  #takeReady(): PluginProcess | undefined {
    while (this.#ready.length > 0) {
      const candidate = this.#ready.shift() as PluginProcess;
      this.#unclaimed.delete(candidate);
      if (!candidate.hasExited && !candidate.socket.destroyed) return candidate;
    }
    return undefined;
  }

  /** Called once per acquired process when its session is over. */
  release(): void {
    this.#inUse--;
  }

  /** Stops the warm processes; processes serving clients are left to their sessions. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#refillTimer);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `plug-in "${this.name}" is being removed`));
    this.#ready.splice(0);
    const unclaimed = [...this.#unclaimed];
    this.#unclaimed.clear();
    await Promise.all(unclaimed.map(async (p) => {
      p.socket.destroy();
      await p.stop(1_000);
    }));
  }

  #refill(): void {
    // While backing off from failed starts, only a waiting client justifies another attempt.
    if (this.#closed || (this.#refillTimer && this.#waiters.length === 0)) return;
    const missing = this.#options.warm + this.#waiters.length - this.#ready.length - this.#starting;
    for (let i = 0; i < missing; i++) void this.#startWarm();
  }

  async #startWarm(): Promise<void> {
    this.#starting++;
    let child: PluginProcess | undefined;
    try {
      child = await PluginProcess.start(this.#options.spawn);
      this.#unclaimed.add(child);
      this.#watchExit(child);
      const [description, version] = await child.probe(this.#options.readyTimeoutMs ?? 30_000);
      if (!this.#announced) this.#log.info('plug-in ready', { plugin: this.name, description, version, pluginPid: child.pid });
      this.#announced = true;
      this.#failures = 0;
      if (this.#closed) return; // close() has stopped it
      this.#unclaimed.delete(child);
      const waiter = this.#waiters.shift();
      if (waiter) {
        waiter.resolve(child);
        this.#refill();
        return;
      }
      this.#unclaimed.add(child);
      this.#ready.push(child);
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
      if (!this.#refillTimer) {
        this.#refillTimer = setTimeout(() => {
          this.#refillTimer = undefined;
          this.#refill();
        }, delay);
        this.#refillTimer.unref();
      }
    } finally {
      this.#starting--;
    }
  }

  #watchExit(child: PluginProcess): void {
    void child.exited.then((status) => {
      this.#unclaimed.delete(child);
      const index = this.#ready.indexOf(child);
      if (index < 0) return; // a session's process: the session logs its exit
      // A warm process died before any client took it.
      this.#ready.splice(index, 1);
      this.#log.warn(`idle plug-in process ${describeExit(status)}`, { plugin: this.name, pluginPid: child.pid, code: status.code, signal: status.signal });
      this.#refill();
    });
  }
}
