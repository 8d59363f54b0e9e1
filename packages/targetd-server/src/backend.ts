/**
 * The server's sessions with its backend plugin, through the SDK (the server is a client of a plugin, never a
 * plugin host).
 *
 * Several sessions (`backend_sessions`, default 2) are kept, and each call goes to the least busy one: calls in
 * flight on one session are pipelined, and a plugin that serves one call at a time (a synchronous library) still
 * answers on another session while a slow call runs. A session whose connection is lost (the plugin crashed) is
 * reopened on its next use; the call that saw the loss fails, since whether it took effect is unknown.
 */
import { Client } from '@openlsm/client';
import { ErrorNumber, LsmError } from '@openlsm/core';
import type { Logger } from '@openlsm/log';

export interface BackendOptions {
  uri: string;
  password: string | null;
  sessions: number;
  /** Deadline of each backend call (the SDK's and the plugin's). */
  timeoutMs: number;
  log: Logger;
  /** Environment for finding the plugin (default: the process's). */
  env?: NodeJS.ProcessEnv;
}

interface Slot {
  client: Client | undefined;
  connecting: Promise<Client> | undefined;
  busy: number;
}

function lost(err: unknown): boolean {
  return err instanceof LsmError && (err.code === ErrorNumber.TRANSPORT_COMMUNICATION || err.code === ErrorNumber.TRANSPORT_SERIALIZATION);
}

export class Backend {
  readonly #options: BackendOptions;
  readonly #slots: Slot[];
  #closed = false;

  constructor(options: BackendOptions) {
    this.#options = options;
    this.#slots = Array.from({ length: options.sessions }, () => ({ client: undefined, connecting: undefined, busy: 0 }));
  }

  /** Opens every session; fails with the plugin's error (PLUGIN_NOT_EXIST, PLUGIN_AUTH_FAILED, ...) if one cannot open. */
  async start(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => this.#ready(slot)));
  }

  #ready(slot: Slot): Promise<Client> {
    if (slot.client) return Promise.resolve(slot.client);
    if (this.#closed) return Promise.reject(new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, 'The server is stopping'));
    slot.connecting ??= Client.connect(this.#options.uri, {
      password: this.#options.password,
      timeoutMs: this.#options.timeoutMs,
      mode: 'auto',
      ...(this.#options.env ? { env: this.#options.env } : {}),
    }).then((client) => {
      slot.client = client;
      void client.closed.then(() => {
        if (slot.client !== client) return;
        slot.client = undefined;
        if (!this.#closed) this.#options.log.warn('backend session lost; it reopens on the next call', { backend: client.uri });
      });
      return client;
    }).finally(() => {
      slot.connecting = undefined;
    });
    return slot.connecting;
  }

  /** Runs `fn` with the least busy session. */
  async use<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    let slot = this.#slots[0] as Slot;
    for (const s of this.#slots) if (s.busy < slot.busy) slot = s;
    slot.busy++;
    try {
      const client = await this.#ready(slot);
      try {
        return await fn(client);
      } catch (err) {
        if (lost(err) && slot.client === client) {
          slot.client = undefined;
          void client.close();
        }
        throw err;
      }
    } finally {
      slot.busy--;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const clients = await Promise.all(this.#slots.map((s) => s.client ?? s.connecting?.catch(() => undefined)));
    await Promise.all(clients.map((c) => c?.close()));
  }
}
