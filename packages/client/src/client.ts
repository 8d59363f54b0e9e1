/**
 * The openlsm client SDK: one connection to one plugin, one typed async method per lsm RPC.
 *
 * ```ts
 * import { Client } from '@openlsm/client';
 * const client = await Client.connect('sim://');
 * const [pool] = await client.pools({ search_key: 'id', search_value: 'POOL_ID_00004' });
 * const volume = await client.volumeCreate({ pool, volume_name: 'vol1', size_bytes: 10n << 30n },
 *   { onProgress: (pct) => console.error(`${pct}%`) });
 * await client.close();
 * ```
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import {
  allMethods, type AnyMethod, type AwaitedResultOf, ErrorNumber, JobStatus, JobStatusGet, JobFree, LsmError,
  type ParamsOf, parseUri, PluginRegister, PluginUnregister, type ResultOf,
} from '@openlsm/core';
import { type CallOptions, connectUnix, Connection, DEFAULT_TIMEOUT_MS } from '@openlsm/ipc';
import type { ClientMethods, InvokeOptions } from './api.js';
import { spawnPlugin, type EmbeddedPlugin } from './embedded.js';
import { findPluginExecutable, pluginDirectories, socketDirectory } from './locate.js';

/** Notification a plugin sends while a job runs (see the plugin kit's runner). */
const JOB_PROGRESS = 'job_progress';

/** Extra time `plugin_register` gets on top of the call timeout, for the plugin process to start. */
const PLUGIN_START_ALLOWANCE_MS = 15_000;

export interface ConnectOptions {
  /** The array's password; sent in `plugin_register`, never logged. */
  password?: string | null;
  /**
   * Deadline of every call and the plugin's timeout (default 30,000 ms). Connecting allows 15 s more, for the
   * plugin process to start.
   */
  timeoutMs?: number;
  /** Aborts connecting. */
  signal?: AbortSignal;
  /** `auto` (default): the daemon's socket when one listens, else embedded. */
  mode?: 'auto' | 'daemon' | 'embedded';
  /** Environment used to find sockets and plugins and passed to an embedded plugin (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  maxFrameBytes?: number;
  /**
   * A plugin process already started for this URI's scheme with `spawnPlugin` (from `@openlsm/client/embedded`),
   * adopted instead of looking for a daemon socket or spawning one. lsmcli uses it to start the plugin before
   * the SDK is loaded, so the plugin's start-up overlaps the CLI's.
   */
  embedded?: Promise<EmbeddedPlugin>;
}

type ArgsOf<D> = Record<string, never> extends ParamsOf<D>
  ? [params?: ParamsOf<D>, options?: InvokeOptions]
  : [params: ParamsOf<D>, options?: InvokeOptions];

/** Methods the session manages itself (`connect`, `close`) are not exposed as calls. */
type SessionMethod = typeof PluginRegister | typeof PluginUnregister;

/** The RPC methods as the RPC table defines them; `ClientMethods` (api.ts) must be exactly this, documented. */
type DerivedApi = {
  [D in Exclude<AnyMethod, SessionMethod> as D['name']]: (...args: ArgsOf<D>) => Promise<AwaitedResultOf<D>>;
};
type MissingFromApi = Exclude<keyof DerivedApi, keyof ClientMethods>;
type UnknownInApi = Exclude<keyof ClientMethods, keyof DerivedApi>;
// Compile-time checks: every RPC of the table is documented in api.ts with the table's signature, and nothing else.
const apiHasEveryRpc: [MissingFromApi, UnknownInApi] extends [never, never] ? true : never = true;
const apiMatchesTable: ClientMethods extends DerivedApi ? (DerivedApi extends ClientMethods ? true : never) : never = true;
void apiHasEveryRpc;
void apiMatchesTable;

/** One method per lsm RPC (see api.ts for each one's documentation). */
export type ClientApi = ClientMethods;

type ProgressListener = (status: number, percent: number) => void;

export interface Client extends ClientMethods {}

export class Client {
  readonly uri: string;
  /** How this client reaches its plugin. */
  readonly transport: 'daemon' | 'embedded';
  readonly timeoutMs: number;
  readonly #connection: Connection;
  readonly #embedded: EmbeddedPlugin | undefined;
  readonly #progress = new Map<string, Set<ProgressListener>>();
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(uri: string, transport: 'daemon' | 'embedded', connection: Connection, timeoutMs: number, embedded?: EmbeddedPlugin) {
    this.uri = uri;
    this.transport = transport;
    this.timeoutMs = timeoutMs;
    this.#connection = connection;
    this.#embedded = embedded;
    connection.onNotification((method, params) => {
      if (method !== JOB_PROGRESS || typeof params.job_id !== 'string') return;
      const listeners = this.#progress.get(params.job_id);
      if (!listeners) return;
      const status = typeof params.status === 'number' ? params.status : JobStatus.INPROGRESS;
      const percent = typeof params.percent === 'number' ? params.percent : 0;
      for (const l of listeners) l(status, percent);
    });
  }

  /**
   * Connects to the plugin named by the URI's scheme and registers a session.
   *
   * ```ts
   * const client = await Client.connect('targetd+ssl://admin@array:18700', { password, timeoutMs: 10_000 });
   * ```
   * Fails with INVALID_ARGUMENT for a malformed URI, PLUGIN_NOT_EXIST when no daemon socket or executable
   * exists for the scheme, and with the plugin's own error (PLUGIN_AUTH_FAILED, NETWORK_*) from registration.
   */
  static async connect(uri: string, options: ConnectOptions = {}): Promise<Client> {
    const parsed = parseUri(uri);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `timeoutMs must be a positive integer, got ${String(timeoutMs)}`);
    }
    const env = options.env ?? process.env;
    const mode = options.mode ?? 'auto';
    const socketPath = path.join(socketDirectory(env), parsed.plugin);
    const connectionOptions = {
      timeoutMs,
      ...(options.maxFrameBytes !== undefined ? { maxFrameBytes: options.maxFrameBytes } : {}),
    };
    const embeddedClient = (embedded: EmbeddedPlugin): Client => new Client(uri, 'embedded', new Connection(embedded.socket, {
      ...connectionOptions,
      peerName: `plug-in "${parsed.plugin}"`,
      closeReason: () => embedded.exitDescription(50),
    }), timeoutMs, embedded);
    let client: Client | undefined;
    if (options.embedded) {
      // A plugin process the caller started early (lsmcli overlaps its own start-up with the plugin's).
      client = embeddedClient(await options.embedded);
    } else if (mode !== 'embedded' && existsSync(socketPath)) {
      try {
        const socket = await connectUnix(socketPath, options.signal);
        client = new Client(uri, 'daemon', new Connection(socket, { ...connectionOptions, peerName: `plug-in "${parsed.plugin}" (daemon socket ${socketPath})` }), timeoutMs);
      } catch (err) {
        // A stale socket left by a daemon that died (ECONNREFUSED), or one removed while we looked: in `auto`
        // mode the plugin is still reachable embedded.
        const stale = err instanceof LsmError && (err.code === ErrorNumber.PLUGIN_IPC_FAIL || err.code === ErrorNumber.PLUGIN_NOT_EXIST);
        if (mode === 'daemon' || !stale) throw err;
      }
    }
    if (!client) {
      if (mode === 'daemon') throw new LsmError(ErrorNumber.PLUGIN_NOT_EXIST, `Plug-in ${socketPath} not found!`);
      const executable = findPluginExecutable(parsed.plugin, env);
      if (!executable) {
        throw new LsmError(
          ErrorNumber.PLUGIN_NOT_EXIST,
          `Plug-in "${parsed.plugin}" not found: no daemon socket ${socketPath} and no ${parsed.plugin}_lsmplugin in ${pluginDirectories(env).join(', ') || '(no plugin directories)'}`,
        );
      }
      client = embeddedClient(await spawnPlugin(executable, env));
    }
    try {
      // The plugin enforces `timeout` on the registration itself; the client's deadline also covers the plugin
      // process starting up (a Node process on a busy machine can take a second or more), which must not make
      // a short call timeout fail every connection.
      await client.call(PluginRegister, { uri, password: options.password ?? null, timeout: timeoutMs }, { signal: options.signal, timeoutMs: timeoutMs + PLUGIN_START_ALLOWANCE_MS });
    } catch (err) {
      await client.#shutdown(client.#connection.deadlinesMissed > 0 ? 0 : 1_000);
      throw err;
    }
    return client;
  }

  /**
   * Sends one RPC and returns lsm's raw answer, validated: for asynchronous methods that is `[jobId, item]` or
   * `jobId`, without waiting. Use it to start a job and leave it running (`lsmcli -b`).
   *
   * ```ts
   * const [jobId] = await client.call(VolumeDelete, { volume });   // returns at once
   * ```
   */
  call<D extends AnyMethod>(descriptor: D, ...[params, options]: ArgsOf<D>): Promise<ResultOf<D>> {
    // Not an async function: this is the path of every call, and a plain promise chain allocates less.
    let full: Record<string, unknown>;
    try {
      if (this.#closed) throw new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, 'The client is closed');
      full = descriptor.params.parse(params ?? {}, '') as Record<string, unknown>;
      if (descriptor.searchKeys && full.search_key !== null && !descriptor.searchKeys.includes(full.search_key as string)) {
        throw new LsmError(ErrorNumber.UNSUPPORTED_SEARCH_KEY, `Search key "${String(full.search_key).slice(0, 64)}" is not supported by "${descriptor.method}"; valid keys: ${descriptor.searchKeys.join(', ')}`);
      }
    } catch (err) {
      return Promise.reject(err);
    }
    const request = this.#connection.request(descriptor.method, full, {
      timeoutMs: options?.timeoutMs ?? this.timeoutMs,
      signal: options?.signal,
    });
    return request.then((raw) => {
      try {
        return descriptor.result.parse(raw, 'result') as ResultOf<D>;
      } catch (err) {
        throw new LsmError(ErrorNumber.PLUGIN_BUG, `Plug-in answered "${descriptor.method}" with an invalid result: ${(err as Error).message}`);
      }
    });
  }

  /**
   * Waits for a job to finish, reporting progress, and frees it. Resolves with the job's item (or null);
   * rejects with the job's error. Works for jobs started by another process.
   *
   * ```ts
   * const volume = await client.waitJob('JOB_ID_00001', { onProgress: (pct) => bar.update(pct) });
   * ```
   */
  async waitJob(jobId: string, options: InvokeOptions = {}): Promise<unknown> {
    const pollMs = options.pollIntervalMs ?? 500;
    let wake: (() => void) | undefined;
    // Progress arrives twice per step (pushed by the plugin, then read by the poll it wakes): report each value once.
    let reported: number | undefined;
    const report = (percent: number) => {
      if (percent === reported) return;
      reported = percent;
      options.onProgress?.(percent, jobId);
    };
    const listener: ProgressListener = (_status, percent) => {
      report(percent);
      wake?.();
    };
    let listeners = this.#progress.get(jobId);
    if (!listeners) this.#progress.set(jobId, (listeners = new Set()));
    listeners.add(listener);
    try {
      for (;;) {
        let answer: [number, number, unknown];
        try {
          answer = await this.call(JobStatusGet, { job_id: jobId }, options);
        } catch (err) {
          if (err instanceof LsmError && isJobError(err)) {
            // The job itself failed: free it (best effort) so a persistent job store does not keep it forever.
            await this.call(JobFree, { job_id: jobId }, options).catch(() => undefined);
          }
          throw err;
        }
        const [status, percent, item] = answer;
        if (status === JobStatus.COMPLETE) {
          report(100);
          await this.call(JobFree, { job_id: jobId }, options);
          return item;
        }
        if (status !== JobStatus.INPROGRESS) {
          throw new LsmError(ErrorNumber.PLUGIN_BUG, `Job ${jobId} ended with status ${status}`);
        }
        report(percent);
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(done, pollMs);
          const signal = options.signal;
          const onAbort = () => { clearTimeout(timer); reject(new LsmError(ErrorNumber.TIMEOUT, `Waiting for job ${jobId} was aborted by the caller`)); };
          signal?.addEventListener('abort', onAbort, { once: true });
          if (signal?.aborted) onAbort();
          function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            resolve();
          }
          wake = done;
        });
      }
    } finally {
      listeners.delete(listener);
      if (listeners.size === 0) this.#progress.delete(jobId);
    }
  }

  /**
   * Ends the session (`plugin_unregister`) and releases the connection and any embedded plugin process. A plugin
   * that missed a call's deadline is not asked: it may be stuck, so the connection is dropped and an embedded
   * plugin process is killed at once.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const stuck = this.#connection.deadlinesMissed > 0;
      try {
        if (!this.#closed && !this.#connection.isClosed && !stuck) {
          await this.call(PluginUnregister, {}, { timeoutMs: Math.min(this.timeoutMs, 5_000) });
        }
      } catch {
        // The session is ending either way; a plugin that cannot unregister is stopped below.
      }
      // Through the daemon nothing is left to wait for once the session is over: the daemon ends its plugin
      // process itself. An embedded plugin gets a moment to exit by itself.
      await this.#shutdown(stuck || !this.#embedded ? 0 : 1_000);
    })();
    return this.#closing;
  }

  /** Ends the stream, waits up to `graceMs` for the peer to close it and the plugin process to exit, then forces both. */
  async #shutdown(graceMs: number): Promise<void> {
    this.#closed = true;
    void this.#connection.close();
    if (graceMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      // Not unref'd: whoever awaits close() must see it settle even when nothing else keeps the process alive.
      await Promise.race([this.#connection.close(), new Promise((r) => { timer = setTimeout(r, graceMs); })]);
      clearTimeout(timer);
    }
    this.#connection.destroy();
    await this.#embedded?.stop(graceMs);
  }

  /** Resolves when the connection to the plugin ends (closed or lost). */
  get closed(): Promise<void> {
    return this.#connection.closed;
  }
}

/** True when `job_status` raised the job's own error, not a failure to ask (lost connection, timeout, no such job). */
function isJobError(err: LsmError): boolean {
  return err.code !== ErrorNumber.TRANSPORT_COMMUNICATION && err.code !== ErrorNumber.TRANSPORT_SERIALIZATION
    && err.code !== ErrorNumber.TIMEOUT && err.code !== ErrorNumber.NOT_FOUND_JOB && err.code !== ErrorNumber.PLUGIN_BUG;
}

function invoke(this: Client, descriptor: AnyMethod, params?: Record<string, unknown>, options: InvokeOptions = {}): Promise<unknown> {
  const answer = this.call(descriptor, params as never, options) as Promise<unknown>;
  return descriptor.job ? answer.then((raw) => awaitJob(this, descriptor, raw, options)) : answer;
}

/** Turns a job method's raw answer into what awaiting the method yields, waiting for the job if one started. */
async function awaitJob(client: Client, descriptor: AnyMethod, raw: unknown, options: InvokeOptions): Promise<unknown> {
  if (descriptor.job === 'pair') {
    const [jobId, item] = raw as [string | null, unknown];
    return jobId === null ? item : client.waitJob(jobId, options);
  }
  if (descriptor.job === 'id') {
    if (raw !== null) await client.waitJob(raw as string, options);
    return undefined;
  }
  return raw;
}

for (const descriptor of allMethods) {
  if (descriptor === PluginRegister || descriptor === PluginUnregister) continue;
  Object.defineProperty(Client.prototype, descriptor.name, {
    value: function (this: Client, params?: Record<string, unknown>, options?: InvokeOptions) {
      return invoke.call(this, descriptor, params, options);
    },
    writable: true,
    configurable: true,
  });
}
