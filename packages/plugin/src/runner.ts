/**
 * The plugin runner: serves one client connection with a plugin object.
 *
 * It does for every plugin what lsm's PluginRunner does, and more: answers `plugin_info` before registration,
 * keeps the session's timeout, validates every request's params against the RPC table before the plugin sees
 * them, answers NO_SUPPORT for methods the plugin lacks, turns unexpected exceptions into PLUGIN_BUG, enforces
 * the timeout on every call, and pushes job progress to the client as notifications.
 */
import type { Duplex } from 'node:stream';
import {
  type AnyMethod, ErrorNumber, JobStatus, LsmError, methodsByWireName, VolumeCreateFlag,
} from '@openlsm/core';
import { Connection, type RequestContext } from '@openlsm/ipc';
import { createLogger, type Logger } from '@openlsm/log';
import { JobRegistry } from './jobs.js';
import type { CallContext, Plugin } from './plugin.js';

/** Notification the runner sends while a job runs: `{ job_id, status, percent }`. */
export const JOB_PROGRESS_NOTIFICATION = 'job_progress';

export interface ServeOptions {
  /** Largest frame accepted or sent (default 64 MiB). */
  maxFrameBytes?: number;
  /** How often a running job's progress is checked and pushed (default 200 ms). */
  progressIntervalMs?: number;
  /** The job registry for plugins that do not answer `job_status` themselves. */
  jobs?: JobRegistry;
  log?: Logger;
}

const VOLUME_CREATE_FLAGS = Object.values(VolumeCreateFlag).reduce((a, b) => a | b, 0);
const DEFAULT_TIMEOUT_MS = 30_000;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** `f(value)`, after `value` settles if it is a promise. */
function then(value: unknown, f: () => unknown): unknown {
  return isPromiseLike(value) ? Promise.resolve(value).then(f) : f();
}

/** One client session of a plugin. */
export class PluginSession {
  readonly connection: Connection;
  readonly #plugin: Plugin;
  readonly #jobs: JobRegistry;
  readonly #log: Logger;
  readonly #progressIntervalMs: number;
  readonly #watchers = new Set<NodeJS.Timeout>();
  #registered = false;
  #unregistered = false;
  #timeoutMs = DEFAULT_TIMEOUT_MS;
  /** Resolves when the session is over (unregistered or the client went away). */
  readonly finished: Promise<void>;

  constructor(plugin: Plugin, stream: Duplex, options: ServeOptions = {}) {
    this.#plugin = plugin;
    this.#jobs = options.jobs ?? new JobRegistry();
    this.#log = options.log ?? createLogger({ component: 'plugin', meta: { plugin: plugin.description } });
    this.#progressIntervalMs = options.progressIntervalMs ?? 200;
    this.connection = new Connection(stream, {
      ...(options.maxFrameBytes !== undefined ? { maxFrameBytes: options.maxFrameBytes } : {}),
      peerName: 'client',
      onRequest: (method, params, ctx) => this.#handle(method, params, ctx),
    });
    this.finished = this.connection.closed.then(() => this.#onClosed());
  }

  async #onClosed(): Promise<void> {
    for (const t of this.#watchers) clearInterval(t);
    this.#watchers.clear();
    if (this.#registered && !this.#unregistered) {
      // The client vanished without unregistering: release what the plugin holds, as lsm's runner does.
      this.#unregistered = true;
      // Bounded by the session timeout: a plugin stuck in its own clean-up must not keep the process alive.
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => { timer = setTimeout(resolve, this.#timeoutMs); });
      try {
        const work = Promise.resolve(this.#plugin.pluginUnregister?.({ flags: 0 }, this.#context(AbortSignal.timeout(this.#timeoutMs))));
        await Promise.race([work, deadline]);
      } catch (err) {
        this.#log.warn('plugin_unregister after a lost client failed', { error: (err as Error).message });
      } finally {
        clearTimeout(timer);
      }
    }
    this.#jobs.abortAll();
  }

  #context(signal: AbortSignal): CallContext {
    return { signal, jobs: this.#jobs, log: this.#log, timeoutMs: this.#timeoutMs };
  }

  /**
   * Serves one request. Returns the result itself when the plugin answered synchronously (most listings: there
   * is nothing left to time out, so no timer or promise is made), else a promise raced against the deadline.
   */
  #handle(method: string, raw: Record<string, unknown>, rctx: RequestContext): unknown {
    const descriptor = methodsByWireName.get(method);
    if (!descriptor) throw new LsmError(ErrorNumber.NO_SUPPORT, `Unsupported operation "${method.slice(0, 64)}"`);
    if (method === 'plugin_register') {
      if (this.#registered) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'plugin_register was already called on this connection');
    } else if (!this.#registered && !descriptor.beforeRegister) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `"${method}" needs a session: call plugin_register first`);
    }
    if (this.#unregistered) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'The session was unregistered');

    const params = descriptor.params.parse(raw, '') as Record<string, unknown> & { flags: number };
    this.#checkFlags(descriptor, params.flags);
    if (descriptor.searchKeys) this.#checkSearch(descriptor, params);

    // The signal handed to the plugin (aborted at the deadline or on the client's cancel) is built only if the
    // plugin reads it: AbortController and EventTarget cost microseconds each, more than a whole `systems` call.
    let controller: AbortController | undefined;
    let timedOut = false;
    const timeoutMs = this.#timeoutMs;
    const ctx: CallContext = {
      get signal() {
        if (!controller) {
          controller = new AbortController();
          if (timedOut || rctx.signal.aborted) controller.abort();
          else rctx.signal.addEventListener('abort', () => controller?.abort(), { once: true });
        }
        return controller.signal;
      },
      jobs: this.#jobs,
      log: this.#log,
      timeoutMs,
    };
    const outcome = this.#invoke(descriptor, params, ctx);
    if (!isPromiseLike(outcome)) {
      this.#afterResult(descriptor, outcome, rctx);
      return outcome;
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        timedOut = true;
        controller?.abort();
        reject(new LsmError(ErrorNumber.TIMEOUT, `Plug-in did not complete "${method}" within ${timeoutMs} ms`));
      }, timeoutMs);
      outcome.then((result) => {
        clearTimeout(timer);
        if (timedOut) return;
        this.#afterResult(descriptor, result, rctx);
        resolve(result);
      }, (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** A job was started: watch it, so the client gets progress. */
  #afterResult(descriptor: AnyMethod, result: unknown, rctx: RequestContext): void {
    if (!descriptor.job) return;
    // The client validates the answer's shape; here a malformed one must only not break the watcher.
    const jobId = descriptor.job === 'pair' ? (Array.isArray(result) ? (result[0] as unknown) : null) : result;
    if (typeof jobId === 'string') this.#watchJob(jobId, rctx);
  }

  /** Calls the plugin (or answers a session method); any failure comes out as an LsmError, sync or async. */
  #invoke(descriptor: AnyMethod, params: Record<string, unknown> & { flags: number }, ctx: CallContext): unknown {
    let outcome: unknown;
    try {
      outcome = this.#call(descriptor, params, ctx);
    } catch (err) {
      throw this.#asLsmError(descriptor, err);
    }
    if (!isPromiseLike(outcome)) return outcome;
    return Promise.resolve(outcome).catch((err: unknown) => {
      throw this.#asLsmError(descriptor, err);
    });
  }

  #call(descriptor: AnyMethod, params: Record<string, unknown> & { flags: number }, ctx: CallContext): unknown {
    const plugin = this.#plugin as unknown as Record<string, ((p: unknown, c: CallContext) => unknown) | undefined>;
    switch (descriptor.method) {
      case 'plugin_info':
        return [this.#plugin.description, this.#plugin.version];
      case 'plugin_register':
        return this.#register(params, ctx);
      case 'plugin_unregister':
        return this.#unregister(params, ctx);
      case 'time_out_set': {
        const ms = params.ms as number;
        if (ms <= 0) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'timeout must be a positive number of milliseconds');
        this.#timeoutMs = ms;
        return then(plugin.timeOutSet?.(params, ctx), () => null);
      }
      case 'time_out_get':
        return this.#timeoutMs;
      case 'job_status':
        return plugin.jobStatus ? plugin.jobStatus(params, ctx) : this.#jobs.status(params.job_id as string);
      case 'job_free':
        if (plugin.jobFree) return then(plugin.jobFree(params, ctx), () => null);
        this.#jobs.free(params.job_id as string);
        return null;
    }
    const fn = plugin[descriptor.name];
    if (typeof fn !== 'function') {
      throw new LsmError(ErrorNumber.NO_SUPPORT, `"${descriptor.method}" is not supported by this plug-in`);
    }
    return fn.call(this.#plugin, params, ctx);
  }

  async #register(params: Record<string, unknown>, ctx: CallContext): Promise<null> {
    const timeout = params.timeout as number;
    if (timeout <= 0) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'timeout must be a positive number of milliseconds');
    this.#timeoutMs = timeout;
    await this.#plugin.pluginRegister(params as never, { ...ctx, timeoutMs: timeout });
    this.#registered = true;
    return null;
  }

  async #unregister(params: Record<string, unknown>, ctx: CallContext): Promise<null> {
    this.#unregistered = true;
    await this.#plugin.pluginUnregister?.(params as never, ctx);
    // Answer first, then end the session: the client is waiting for this reply.
    setImmediate(() => { void this.connection.close(); });
    return null;
  }

  #asLsmError(descriptor: AnyMethod, err: unknown): LsmError {
    if (err instanceof LsmError) return err;
    const e = err instanceof Error ? err : new Error(String(err));
    // The stack is for whoever debugs the plugin (OPENLSM_LOG_LEVEL=debug), not for the user of a command.
    this.#log.error('unhandled exception in plug-in', { method: descriptor.method, error: e.message });
    this.#log.debug('unhandled exception in plug-in: stack', { method: descriptor.method, stack: e.stack });
    return new LsmError(ErrorNumber.PLUGIN_BUG, `Unhandled exception in plug-in while serving "${descriptor.method}": ${e.message}`);
  }

  #checkFlags(descriptor: AnyMethod, flags: number): void {
    const allowed = descriptor.method === 'volume_create' ? VOLUME_CREATE_FLAGS : 0;
    if ((flags & ~allowed) !== 0 || flags < 0) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid flags ${flags} for "${descriptor.method}"`);
    }
  }

  #checkSearch(descriptor: AnyMethod, params: Record<string, unknown>): void {
    const key = params.search_key as string | null;
    if (key === null) return;
    if (!descriptor.searchKeys?.includes(key)) {
      throw new LsmError(ErrorNumber.UNSUPPORTED_SEARCH_KEY, `Search key "${key.slice(0, 64)}" is not supported by "${descriptor.method}"; valid keys: ${descriptor.searchKeys?.join(', ')}`);
    }
    if (params.search_value === null) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `search_value is required with search_key "${key}"`);
  }

  /** Pushes `job_progress` notifications to the client until the job ends or the client leaves. */
  #watchJob(jobId: string, rctx: RequestContext): void {
    let last = -1;
    const check = async () => {
      let status: number;
      let percent: number;
      try {
        const answer = (await this.#invoke(methodsByWireName.get('job_status') as AnyMethod, { job_id: jobId, flags: 0 }, this.#context(AbortSignal.timeout(this.#timeoutMs)))) as [number, number, unknown];
        [status, percent] = answer;
      } catch {
        status = JobStatus.ERROR;
        percent = 100;
      }
      if (percent !== last || status !== JobStatus.INPROGRESS) {
        last = percent;
        rctx.notify(JOB_PROGRESS_NOTIFICATION, { job_id: jobId, status, percent });
      }
      if (status !== JobStatus.INPROGRESS) stop();
    };
    const timer = setInterval(() => { void check(); }, this.#progressIntervalMs);
    timer.unref();
    const stop = () => {
      clearInterval(timer);
      this.#watchers.delete(timer);
    };
    this.#watchers.add(timer);
  }
}

/**
 * Serves `plugin` on `stream`. Most plugins call `runPlugin` instead, which takes the connection from the
 * command line the way lsmd and the client start plugins.
 */
export function servePlugin(plugin: Plugin, stream: Duplex, options: ServeOptions = {}): PluginSession {
  return new PluginSession(plugin, stream, options);
}
