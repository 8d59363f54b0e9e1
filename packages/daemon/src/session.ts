/**
 * One client connection and its plugin session.
 *
 * The first bytes tell the client's framing: lsm's frames start with 10 ASCII digits; anything else is read as
 * openlsm's 4-byte big-endian length (a first byte above 0x04 announces more than the 64 MiB limit, and is
 * answered with the TRANSPORT_SERIALIZATION frame protocol.md describes). An openlsm client is relayed byte for
 * byte (the daemon only follows frame boundaries, see frame-meter.ts); an lsm client goes through the
 * translator.
 *
 * Nothing is asked of the plugin's pool until the first complete request has arrived, so a connection that
 * sends nothing (or garbage) never holds a plugin process or a `max_sessions` slot, and is closed at the
 * first-request deadline. A session with no call in flight and no traffic for `idle_timeout_ms` is closed with
 * a last error saying so. A client refused a session (too many sessions, the plugin cannot start) gets that as
 * the answer to its first request, in its own framing. Either way the session ends when either side goes: a
 * client that leaves takes its plugin session with it, and a plugin that dies closes its client's socket,
 * which the client reports as TRANSPORT_COMMUNICATION.
 */
import type net from 'node:net';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { Connection, decodeBody, encodeBody, encodeFrame, FRAME_HEADER_BYTES } from '@openlsm/ipc';
import type { Logger } from '@openlsm/log';
import type { BudgetHolder, BufferBudget } from './budget.js';
import { FrameMeter } from './frame-meter.js';
import type { PluginLease } from './lease.js';
import { LsmTranslator } from './lsm-compat/translator.js';
import { describeExit } from './plugin-process.js';
import type { PluginPool } from './pool.js';

export type Framing = 'openlsm' | 'lsm';

/** Tells the framing from the first byte a client sent. */
export function detectFraming(firstByte: number): Framing {
  return firstByte >= 0x30 && firstByte <= 0x39 ? 'lsm' : 'openlsm';
}

export interface SessionOptions {
  id: number;
  log: Logger;
  /** How long a plugin may take to exit after its client left before it is killed. */
  exitGraceMs: number;
  firstRequestTimeoutMs: number;
  /** 0: never. */
  idleTimeoutMs: number;
  budget: BufferBudget;
  /** Logs a refused connection (rate-limited by the daemon). */
  refused(reason: string, meta?: Record<string, unknown>): void;
}

/** Resolves once `s` has closed. */
const closed = (s: { readonly destroyed: boolean; once(event: 'close', listener: () => void): unknown }) =>
  (s.destroyed ? Promise.resolve() : new Promise<void>((r) => { s.once('close', () => r()); }));

export class Session implements BudgetHolder {
  readonly id: number;
  readonly #client: net.Socket;
  readonly #pool: PluginPool;
  readonly #log: Logger;
  readonly #options: SessionOptions;
  readonly #acceptedAt = Date.now();
  #lastActivity = Date.now();
  #started = false;
  #lease: PluginLease | undefined;
  #translator: LsmTranslator | undefined;
  /** openlsm: calls sent by the client and not answered yet. */
  #inFlight = 0;
  #clientMeter: FrameMeter | undefined;
  #pluginMeter: FrameMeter | undefined;
  #draining = false;
  /** Closed for a deadline already: later checks have nothing to do. */
  #timedOut = false;
  /** Closing after a last error: what the client still sends is not followed or counted. */
  #aborted = false;
  readonly done: Promise<void>;

  constructor(client: net.Socket, pool: PluginPool, options: SessionOptions) {
    this.id = options.id;
    this.#client = client;
    this.#pool = pool;
    this.#options = options;
    this.#log = options.log.child({ plugin: pool.name, session: options.id });
    client.on('error', () => {});
    this.done = this.#run().finally(() => options.budget.release(this));
  }

  /** Daemon shutdown: an lsm session closes as soon as its request in flight is answered. */
  drain(): void {
    this.#draining = true;
    if (!this.#started) this.#client.destroy();
    this.#translator?.drain();
  }

  /** Ends the session at once (shutdown deadline passed). */
  kill(): void {
    this.#client.destroy();
    this.#lease?.kill();
  }

  /** The daemon's periodic check of the first-request deadline and the idle timeout. */
  checkTimeouts(now: number): void {
    const { firstRequestTimeoutMs, idleTimeoutMs } = this.#options;
    if (this.#timedOut) return;
    if (!this.#started && !this.#translator?.started) {
      if (now - this.#acceptedAt >= firstRequestTimeoutMs) {
        this.#timedOut = true;
        this.#options.refused(`no complete request within ${firstRequestTimeoutMs} ms (first_request_timeout_ms)`);
        const err = new LsmError(ErrorNumber.TIMEOUT, `openlsmd closed the connection: no complete request within ${firstRequestTimeoutMs} ms`);
        // A client that said nothing has no framing to be answered in.
        if (this.#translator) this.#translator.close(err);
        else if (this.#clientMeter) this.#abort(err);
        else this.#client.destroy();
      }
      return;
    }
    if (idleTimeoutMs === 0) return;
    const translator = this.#translator;
    const idle = translator
      ? translator.idle && now - translator.lastActivity >= idleTimeoutMs
      : this.#inFlight === 0 && this.#quiet() && now - this.#lastActivity >= idleTimeoutMs;
    if (!idle) return;
    this.#timedOut = true;
    this.#log.info('closing an idle session', { idleTimeoutMs });
    const err = new LsmError(ErrorNumber.TIMEOUT, `openlsmd closed the session after ${idleTimeoutMs} ms without a call (idle_timeout_ms); connect again`);
    if (translator) translator.close(err);
    else this.#abort(err);
  }

  /** The buffer budget is exceeded and this connection holds the most of it. */
  overBudget(held: number, max: number): void {
    this.#log.warn('client holds the most of the buffer budget; closing', { heldBytes: held, maxBufferedBytes: max });
    this.#abort(new LsmError(
      ErrorNumber.TRANSPORT_SERIALIZATION,
      `openlsmd refused this connection's ${held} bytes of requests in progress: all connections together may hold at most ${max} bytes (max_buffered_bytes)`,
    ));
  }

  /** No frame half-way in either direction. */
  #quiet(): boolean {
    return (this.#clientMeter?.atBoundary ?? true) && (this.#pluginMeter?.atBoundary ?? true);
  }

  /**
   * Closes the connection with a last openlsm error frame `{id: nil, error}` (the protocol's way to say why a
   * connection ends), written only where it cannot land inside a frame of the plugin's.
   */
  #abort(err: LsmError): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#options.budget.release(this);
    const client = this.#client;
    const lease = this.#lease;
    if (lease) lease.stream.unpipe(client);
    if (!client.destroyed && client.writable && (this.#pluginMeter?.atBoundary ?? true)) {
      client.end(encodeFrame(encodeBody({ id: null, error: { code: err.code, message: err.message, data: null } })));
      setTimeout(() => client.destroy(), 1_000).unref();
    } else {
      client.destroy();
    }
    if (lease && !lease.stream.destroyed) lease.stream.end();
  }

  async #run(): Promise<void> {
    const first = await this.#firstChunk();
    if (first === undefined || this.#draining) {
      this.#client.destroy();
      return;
    }
    if (detectFraming(first[0] as number) === 'lsm') await this.#translate(first);
    else await this.#relay(first);
  }

  /** The first bytes, or undefined when the client left first. */
  #firstChunk(): Promise<Buffer | undefined> {
    const client = this.#client;
    return new Promise((resolve) => {
      const onData = (chunk: Buffer) => { cleanup(); client.pause(); resolve(chunk); };
      const onClose = () => { cleanup(); resolve(undefined); };
      const cleanup = () => { client.removeListener('data', onData); client.removeListener('close', onClose); };
      client.on('data', onData);
      client.once('close', onClose);
    });
  }

  /** A plugin session from the pool; a client that leaves while it waits gives its place up. */
  async #acquire(): Promise<PluginLease> {
    const left = new AbortController();
    const onClose = () => left.abort();
    this.#client.once('close', onClose);
    let lease: PluginLease;
    try {
      lease = await this.#pool.acquire(left.signal);
    } finally {
      this.#client.removeListener('close', onClose);
    }
    if (this.#client.destroyed) {
      void lease.end(0);
      throw new LsmError(ErrorNumber.TRANSPORT_COMMUNICATION, 'the client left');
    }
    this.#lease = lease;
    this.#log.info('session started', { pluginPid: lease.pid, framing: this.#translator ? 'lsm' : 'openlsm', shared: lease.shared });
    return lease;
  }

  /** lsm client: through the translator, which asks for the plugin session with its first valid request. */
  async #translate(first: Buffer): Promise<void> {
    const translator = new LsmTranslator(this.#client, {
      log: this.#log,
      budget: this.#options.budget,
      openPlugin: async () => {
        try {
          const lease = await this.#acquire();
          lease.stream.resume();
          return new Connection(lease.stream, { peerName: `plug-in "${this.#pool.name}"`, timeoutMs: 0 });
        } catch (err) {
          if (!this.#client.destroyed) this.#options.refused((err as Error).message);
          throw err;
        }
      },
    });
    this.#translator = translator;
    translator.push(first);
    this.#client.resume();
    if (this.#draining) translator.drain();
    await closed(this.#client);
    await this.#finish();
  }

  /** openlsm client: the first frame is awaited, then a plugin session is taken and bytes are relayed both ways. */
  async #relay(first: Buffer): Promise<void> {
    const client = this.#client;
    const budget = this.#options.budget;
    const held: Buffer[] = [];
    const clientMeter = new FrameMeter((kind) => {
      this.#started = true;
      if (kind === 'call') this.#inFlight++;
    });
    this.#clientMeter = clientMeter;
    const follow = (chunk: Buffer): boolean => {
      if (this.#aborted) return false;
      this.#lastActivity = Date.now();
      try {
        clientMeter.push(chunk);
      } catch (err) {
        if (this.#lease) return false; // the plugin reads the same bytes and answers the protocol error itself
        this.#options.refused((err as Error).message);
        this.#abort(err as LsmError);
        return false;
      }
      budget.set(this, clientMeter.partial);
      return true;
    };

    // Until the first request is complete, its bytes are held here.
    let onData!: (chunk: Buffer) => void;
    const firstRequest = new Promise<boolean>((resolve) => {
      onData = (chunk: Buffer) => {
        held.push(chunk);
        if (!follow(chunk)) resolve(false);
        else if (this.#started) resolve(true);
      };
      client.once('close', () => resolve(false));
    });
    client.on('data', onData);
    onData(first);
    client.resume();
    const complete = await firstRequest;
    if (!complete || client.destroyed) {
      client.removeListener('data', onData);
      if (!client.writableEnded) client.destroy();
      return;
    }

    // While a process is found the client is still read (into `held`, within the budget), so that one that
    // leaves meanwhile is noticed and gives its place up.
    let lease: PluginLease;
    try {
      lease = await this.#acquire();
    } catch (err) {
      client.removeListener('data', onData);
      if (client.destroyed) return;
      this.#options.refused((err as Error).message);
      this.#refuse(Buffer.concat(held), err as LsmError);
      await closed(client);
      return;
    } finally {
      client.pause();
    }
    client.removeListener('data', onData);
    const pluginMeter = new FrameMeter((kind) => {
      if (kind === 'call' && this.#inFlight > 0) this.#inFlight--;
    });
    this.#pluginMeter = pluginMeter;
    const stream = lease.stream;
    let followPlugin = true;
    stream.on('data', (chunk: Buffer) => {
      this.#lastActivity = Date.now();
      if (!followPlugin) return;
      try {
        pluginMeter.push(chunk);
      } catch {
        followPlugin = false; // the client's Connection reports the plugin's bad frame
      }
    });
    let followClient = true;
    client.on('data', (chunk: Buffer) => {
      if (followClient) followClient = follow(chunk);
    });
    for (const chunk of held) stream.write(chunk);
    client.pipe(stream);
    stream.pipe(client);
    client.resume();
    stream.resume();
    await this.#bothWays(lease);
    await this.#finish();
  }

  /** Answers the first request with `err` (its id echoed, so the client's call fails with it), then closes. */
  #refuse(firstFrame: Buffer, err: LsmError): void {
    let id: unknown = null;
    try {
      const size = firstFrame.readUInt32BE(0);
      const message = decodeBody(firstFrame.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + size)) as { id?: unknown };
      id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : null;
    } catch {
      // not MessagePack: the id-less error below still tells why
    }
    const client = this.#client;
    if (id === null) {
      this.#abort(err);
      return;
    }
    client.end(encodeFrame(encodeBody({ id, error: { code: err.code, message: err.message, data: null } })));
    setTimeout(() => client.destroy(), 1_000).unref();
  }

  /** Resolves when either side is gone, after telling the other side to go too. */
  #bothWays(lease: PluginLease): Promise<void> {
    const client = this.#client;
    const stream = lease.stream;
    const clientGone = closed(client).then(() => {
      // Let the plugin see EOF and exit by itself; `end()` cuts it off after the grace period.
      if (!stream.destroyed) stream.end();
    });
    const pluginGone = Promise.race([closed(stream as net.Socket), lease.done]).then(() => {
      if (!client.destroyed) {
        client.end();
        setTimeout(() => client.destroy(), 1_000).unref();
      }
    });
    return Promise.race([clientGone, pluginGone]);
  }

  /** After the client is gone: the plugin session ends (its process exits or is killed), its exit logged. */
  async #finish(): Promise<void> {
    const lease = this.#lease;
    if (!lease) return;
    const logged = lease.exited?.then((status) => {
      const meta = { pluginPid: lease.pid, code: status.code, signal: status.signal };
      if (status.code === 0) this.#log.info('plug-in process exited', meta);
      else this.#log.warn(`plug-in process ${describeExit(status)}`, meta);
    });
    await lease.end(this.#options.exitGraceMs);
    await logged;
    if (lease.shared) this.#log.debug('session ended', { pluginPid: lease.pid });
  }
}
