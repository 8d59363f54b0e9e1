/**
 * A plugin process that serves many sessions at once, for plugins that declare they can
 * (`runPlugin(create, { sessionsPerProcess: 64 })`).
 *
 * lsm's rule, kept as the default, is one process per session: a plugin that crashes or leaks harms one
 * client. Starting a Node process costs tens of milliseconds and ~40 MB, though, so a daemon with 50 clients at
 * once spends its time starting processes. A plugin whose state lives in its instances (one per session) and
 * on the array may instead let openlsmd multiplex sessions onto one process: openlsmd's first request on a
 * fresh process is `$/session_host`, and a process that answers it speaks mux frames from then on, each channel
 * one client session served by its own plugin instance and PluginSession (its own registration, timeout and
 * jobs). Clients cannot tell the difference; a plugin started by a client (embedded mode) never sees the
 * request and serves its one session as before.
 */
import type { Duplex } from 'node:stream';
import {
  decodeBody, encodeBody, encodeFrame, FRAME_HEADER_BYTES, FrameReader, type MuxChannel, SESSION_HOST_METHOD, StreamMux,
} from '@openlsm/ipc';
import type { Logger } from '@openlsm/log';
import type { Plugin } from './plugin.js';
import { servePlugin, type ServeOptions } from './runner.js';

/** What the first frame on a fresh connection turned out to be. */
type Opening = { host: true; id: unknown; rest: Buffer } | { host: false; raw: Buffer } | { host: false; gone: true };

/**
 * Reads the first frame without consuming the stream: a `$/session_host` request is taken (with any bytes after
 * it); anything else is put back (`unshift`) for a normal session to read. Leaves the stream paused. `finish`
 * may run twice (an 'end' then a 'close'); a promise settles once.
 */
function readOpening(stream: Duplex): Promise<Opening> {
  return new Promise((resolve) => {
    const reader = new FrameReader();
    const chunks: Buffer[] = [];
    const finish = (opening: Opening) => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('close', onEnd);
      stream.pause();
      resolve(opening);
    };
    const putBack = () => finish({ host: false, raw: Buffer.concat(chunks) });
    // The peer left before a whole first frame: there is no session to serve.
    const onEnd = () => finish({ host: false, gone: true });
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      let body: Buffer | undefined;
      try {
        body = reader.push(chunk)[0];
      } catch {
        putBack(); // a bad first frame: the session's own Connection reports it
        return;
      }
      if (!body) return;
      let message: { id?: unknown; method?: unknown } | undefined;
      try {
        message = decodeBody(body) as typeof message;
      } catch {
        message = undefined;
      }
      if (message?.method !== SESSION_HOST_METHOD) {
        putBack();
        return;
      }
      finish({ host: true, id: message.id, rest: Buffer.concat(chunks).subarray(FRAME_HEADER_BYTES + body.length) });
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
  });
}

export interface HostOptions extends ServeOptions {
  /** Most sessions served at once; openlsmd never opens more. */
  sessionsPerProcess: number;
  log: Logger;
}

/**
 * Serves the connection a plugin process was started with: as one session, or as a host of many when openlsmd
 * asks. Resolves when everything is served (the connection is closed and every session finished).
 */
export async function serveSessions(create: () => Plugin, stream: Duplex, options: HostOptions): Promise<void> {
  const opening = await readOpening(stream);
  if ('gone' in opening) {
    stream.destroy();
    return;
  }
  if (!opening.host) {
    if (opening.raw.length > 0) stream.unshift(opening.raw);
    const session = servePlugin(create(), stream, options);
    stream.resume();
    await session.finished;
    return;
  }
  const { sessionsPerProcess, log } = options;
  stream.write(encodeFrame(encodeBody({ id: opening.id, result: { sessions: sessionsPerProcess } })));
  const sessions = new Set<Promise<void>>();
  const mux = new StreamMux(stream, {
    onChannel: (channel: MuxChannel) => {
      if (sessions.size >= sessionsPerProcess) {
        log.warn('refused a session: this process serves its declared maximum', { sessions: sessions.size });
        channel.destroy();
        return;
      }
      let finished: Promise<void>;
      try {
        finished = servePlugin(create(), channel, { ...options, log: log.child({ session: channel.id }) }).finished;
      } catch (err) {
        log.error('cannot create a plug-in session', { error: (err as Error).message });
        channel.destroy();
        return;
      }
      const done = finished.finally(() => {
        sessions.delete(done);
        channel.destroy();
      });
      sessions.add(done);
    },
  });
  if (opening.rest.length > 0) stream.unshift(opening.rest);
  stream.resume();
  log.debug('serving many sessions in this process', { sessionsPerProcess });
  await mux.closed;
  await Promise.all(sessions);
}
