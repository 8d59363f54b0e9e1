/**
 * What a command handler works with: the global options, the printer, and the plugin connection, opened on
 * first use (or adopted from the one main.ts started early) and always closed by run.ts.
 */
import type { Client } from '@openlsm/client';
import { ErrorNumber, LsmError } from '@openlsm/core';
import type { EmbeddedPlugin } from '@openlsm/client/embedded';
import { ArgError, ExitCode, ExitWith } from './errors.js';
import type { Printer } from './output/printer.js';
import { askPassword } from './prompt.js';
import { checkPasswordUser, chooseUri, type ConnectionSettings, DEFAULT_TIMEOUT_MS, pluginEnvironment } from './settings.js';

/** The global options as commander parsed them. */
export interface Globals {
  uri?: string;
  prompt?: boolean;
  human?: boolean;
  terse?: string;
  header?: boolean;
  enum?: boolean;
  force?: boolean;
  wait?: number;
  b?: boolean;
  script?: boolean;
  output?: string;
  fork_plugin?: string;
}

/** A connection main.ts started before the CLI was loaded, with the settings it used. */
export interface EarlyClient {
  settings: ConnectionSettings;
  client: Promise<Client>;
}

/**
 * Opens a client; the SDK is loaded lazily so that local commands never load it. `started` is a plugin
 * process main.ts already spawned for this URI (see early-plugin.ts).
 */
export async function openClient(settings: ConnectionSettings, started?: Promise<EmbeddedPlugin | undefined>): Promise<Client> {
  const { Client } = await import('@openlsm/client');
  const embedded = await started?.catch(() => undefined);
  try {
    return await Client.connect(settings.uri, {
      password: settings.password,
      env: pluginEnvironment(process.env),
      timeoutMs: settings.timeoutMs,
      ...(embedded ? { embedded: Promise.resolve(embedded) } : {}),
    });
  } catch (err) {
    await embedded?.stop(0);
    throw err;
  }
}

/**
 * `--fork_plugin <exe>`: lsmcli runs that executable as the URI's plugin; exit 8 when it cannot start, which
 * includes a plugin that dies before it answered `plugin_register`.
 */
async function forkPlugin(settings: ConnectionSettings, executable: string, env: NodeJS.ProcessEnv): Promise<Client> {
  const { spawnPlugin } = await import('@openlsm/client/embedded');
  const failed = (err: unknown) => new ExitWith(ExitCode.PLUGIN_START, `Plug-in failed to start: ${err instanceof Error ? err.message : String(err)}`);
  let started: EmbeddedPlugin;
  try {
    started = await spawnPlugin(executable, pluginEnvironment(env));
  } catch (err) {
    throw failed(err);
  }
  try {
    return await openClient(settings, Promise.resolve(started));
  } catch (err) {
    if (err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_COMMUNICATION) throw failed(err);
    throw err;
  }
}

/** Closes a client that may have failed to open (its error was reported where it was used). */
export async function closeQuietly(client: Promise<Client>): Promise<void> {
  try {
    await (await client).close();
  } catch {
    // nothing was opened
  }
}

export class Context {
  readonly command: string;
  readonly globals: Globals;
  readonly out: Printer;
  readonly env: NodeJS.ProcessEnv;
  #early: EarlyClient | undefined;
  #client: Promise<Client> | undefined;

  constructor(command: string, globals: Globals, out: Printer, early?: EarlyClient, env: NodeJS.ProcessEnv = process.env) {
    this.command = command;
    this.globals = globals;
    this.out = out;
    this.#early = early;
    this.env = env;
  }

  /** -f: skip confirmations. */
  get force(): boolean {
    return this.globals.force === true;
  }

  /** -b: do not wait for jobs. */
  get background(): boolean {
    return this.globals.b === true;
  }

  /** The connection to the plugin, opened once. */
  client(): Promise<Client> {
    this.#client ??= this.#open();
    return this.#client;
  }

  async #open(): Promise<Client> {
    const uri = chooseUri(this.globals.uri, this.env);
    if (!uri) throw new ArgError('--uri missing or export LSMCLI_URI');
    const password = this.globals.prompt ? await askPassword() : (this.env.LSMCLI_PASSWORD || null);
    checkPasswordUser(uri, password);
    const settings: ConnectionSettings = { uri, password, timeoutMs: this.globals.wait ?? DEFAULT_TIMEOUT_MS };
    if (this.globals.fork_plugin !== undefined) return forkPlugin(settings, this.globals.fork_plugin, this.env);
    const early = this.#early;
    if (early && early.settings.uri === uri && early.settings.password === password && early.settings.timeoutMs === settings.timeoutMs) {
      this.#early = undefined;
      return early.client;
    }
    return openClient(settings);
  }

  /** Closes the connection (plugin_unregister) and any early connection that was not used. */
  async close(): Promise<void> {
    const pending = [this.#client, this.#early?.client].filter((p): p is Promise<Client> => p !== undefined);
    this.#client = undefined;
    this.#early = undefined;
    await Promise.all(pending.map(closeQuietly));
  }
}
