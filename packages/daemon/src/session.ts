/**
 * One client connection and its own plugin process.
 *
 * The first bytes tell the client's framing: openlsm's frames start with a 4-byte big-endian length, whose
 * first byte is 0x00..0x04 for any frame up to the 64 MiB limit; lsm's start with 10 ASCII digits. An openlsm
 * client is relayed byte for byte (the daemon parses nothing, so it adds almost nothing to a call); an lsm
 * client goes through the translator. Either way the session ends when either side goes: a client that leaves
 * takes its plugin process with it (killed after a grace period), and a plugin that dies closes its client's
 * socket, which the client reports as TRANSPORT_COMMUNICATION.
 */
import type net from 'node:net';
import { Connection } from '@openlsm/ipc';
import type { Logger } from '@openlsm/log';
import { LsmTranslator } from './lsm-compat/translator.js';
import { describeExit, type PluginProcess } from './plugin-process.js';
import type { PluginPool } from './pool.js';

/** Largest first byte of an openlsm frame header (a length of at most 0x04ffffff). */
const MAX_OPENLSM_FIRST_BYTE = 0x04;

export type Framing = 'openlsm' | 'lsm';

/** Tells the framing from the first byte a client sent; undefined when it is neither. */
export function detectFraming(firstByte: number): Framing | undefined {
  if (firstByte <= MAX_OPENLSM_FIRST_BYTE) return 'openlsm';
  if (firstByte >= 0x30 && firstByte <= 0x39) return 'lsm';
  return undefined;
}

export interface SessionOptions {
  id: number;
  log: Logger;
  /** How long a plugin may take to exit after its client left before it is killed. */
  exitGraceMs: number;
}

export class Session {
  readonly id: number;
  readonly #client: net.Socket;
  readonly #pool: PluginPool;
  readonly #log: Logger;
  readonly #exitGraceMs: number;
  #plugin: PluginProcess | undefined;
  #translator: LsmTranslator | undefined;
  #draining = false;
  readonly done: Promise<void>;

  constructor(client: net.Socket, pool: PluginPool, options: SessionOptions) {
    this.id = options.id;
    this.#client = client;
    this.#pool = pool;
    this.#exitGraceMs = options.exitGraceMs;
    this.#log = options.log.child({ plugin: pool.name, session: options.id });
    client.on('error', () => {});
    this.done = this.#run();
  }

  /** Daemon shutdown: an lsm session closes as soon as its request in flight is answered. */
  drain(): void {
    this.#draining = true;
    this.#translator?.drain();
  }

  /** Ends the session at once (shutdown deadline passed). */
  kill(): void {
    this.#client.destroy();
    this.#plugin?.child.kill('SIGKILL');
  }

  async #run(): Promise<void> {
    const firstChunk = new Promise<Buffer | undefined>((resolve) => {
      const onData = (chunk: Buffer) => { cleanup(); this.#client.pause(); resolve(chunk); };
      const onClose = () => { cleanup(); resolve(undefined); };
      const cleanup = () => { this.#client.removeListener('data', onData); this.#client.removeListener('close', onClose); };
      this.#client.on('data', onData);
      this.#client.once('close', onClose);
    });
    let plugin: PluginProcess;
    try {
      plugin = await this.#pool.acquire();
    } catch (err) {
      this.#log.warn('refused connection', { reason: (err as Error).message });
      this.#client.destroy();
      return;
    }
    this.#plugin = plugin;
    const exited = plugin.exited.then((status) => {
      const meta = { pluginPid: plugin.pid, code: status.code, signal: status.signal };
      if (status.code === 0) this.#log.info('plug-in process exited', meta);
      else this.#log.warn(`plug-in process ${describeExit(status)}`, meta);
    });
    try {
      const first = await firstChunk;
      if (first === undefined || this.#draining) {
        // The client left (or the daemon is stopping) before saying anything.
        plugin.socket.end();
      } else {
        const framing = detectFraming(first[0] as number);
        if (framing === undefined) {
          this.#log.warn('refused connection: unknown framing', { firstByte: first[0] });
          this.#client.destroy();
          plugin.socket.end();
        } else {
          if (framing === 'openlsm') this.#relay(plugin, first);
          else this.#translate(plugin, first);
          // Logged once the client's first bytes are on their way: formatting a line costs more than relaying.
          this.#log.info('session started', { pluginPid: plugin.pid, framing });
        }
      }
      await this.#closed(plugin);
      await plugin.stop(this.#exitGraceMs);
      plugin.socket.destroy();
      await exited;
    } finally {
      this.#pool.release();
    }
  }

  /** openlsm client: bytes both ways, untouched. */
  #relay(plugin: PluginProcess, first: Buffer): void {
    const pluginSocket = plugin.socket;
    pluginSocket.write(first);
    this.#client.pipe(pluginSocket);
    pluginSocket.pipe(this.#client);
    this.#client.resume();
    pluginSocket.resume();
  }

  /** lsm client: through the translator, which owns an openlsm connection to the plugin. */
  #translate(plugin: PluginProcess, first: Buffer): void {
    const connection = new Connection(plugin.socket, { peerName: `plug-in "${this.#pool.name}"`, timeoutMs: 0 });
    plugin.socket.resume();
    this.#translator = new LsmTranslator(this.#client, connection, { log: this.#log });
    this.#translator.push(first);
    this.#client.resume();
    if (this.#draining) this.#translator.drain();
  }

  /** Resolves when either side is gone, after telling the other side to go too. */
  #closed(plugin: PluginProcess): Promise<void> {
    const client = this.#client;
    const pluginSocket = plugin.socket;
    const closed = (s: net.Socket) => (s.destroyed ? Promise.resolve() : new Promise<void>((r) => s.once('close', () => r())));
    const clientGone = closed(client).then(() => {
      // Let the plugin see EOF and exit by itself; `stop()` kills it after the grace period.
      if (!pluginSocket.destroyed) pluginSocket.end();
    });
    const pluginGone = Promise.race([closed(pluginSocket), plugin.exited]).then(() => {
      if (!client.destroyed) {
        client.end();
        setTimeout(() => client.destroy(), 1_000).unref();
      }
    });
    return Promise.race([clientGone, pluginGone]);
  }
}
