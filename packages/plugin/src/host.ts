/**
 * A plugin process that serves many sessions at once, for plugins that declare they can
 * (`runPlugin(create, { sessionsPerProcess: 64 })`).
 *
 * lsm's rule, kept as the default, is one process per session: a plugin that crashes or leaks harms one
 * client. Starting a Node process costs tens of milliseconds and ~40 MB, though, so a daemon with 50 clients at
 * once spends its time starting processes. A plugin whose state lives in its instances (one per session) and
 * on the array may instead let openlsmd multiplex sessions onto one process. openlsmd says it can by starting
 * the process with `OPENLSM_SESSION_HOST=N`; the process announces `$/session_host {sessions}`, answers
 * openlsmd's `plugin_info`, and from then on speaks mux frames (@openlsm/ipc mux.ts), each channel one client
 * session served by its own plugin instance and PluginSession (its own registration, timeout and jobs).
 * Clients cannot tell the difference; a plugin a client starts itself (embedded mode) serves one session.
 */
import type { Duplex } from 'node:stream';
import { ErrorNumber } from '@openlsm/core';
import {
  decodeBody, encodeBody, encodeFrame, FRAME_HEADER_BYTES, FrameReader, type MuxChannel, SESSION_HOST_METHOD, StreamMux,
} from '@openlsm/ipc';
import type { Logger } from '@openlsm/log';
import type { Plugin } from './plugin.js';
import { servePlugin, type ServeOptions } from './runner.js';

export interface HostOptions extends ServeOptions {
  /** Most sessions served at once (the smaller of the plugin's declaration and openlsmd's offer). */
  sessions: number;
  log: Logger;
}

/**
 * Reads openlsmd's first request (an openlsm frame) and answers it: `plugin_info` with the plugin's
 * description and version, anything else with an error. Resolves with the bytes that followed it, or
 * undefined when the stream ended first. Leaves the stream paused.
 */
function answerOpening(stream: Duplex, create: () => Plugin): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const reader = new FrameReader();
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (rest: Buffer | undefined) => {
      stream.removeListener('data', onData);
      stream.removeListener('close', onClose);
      stream.removeListener('end', onClose);
      stream.pause();
      resolve(rest);
    };
    const onClose = () => finish(undefined);
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      let body: Buffer | undefined;
      try {
        body = reader.push(chunk)[0];
      } catch {
        finish(undefined);
        return;
      }
      if (!body) return;
      let request: { id?: unknown; method?: unknown } = {};
      try {
        request = decodeBody(body) as typeof request;
      } catch {
        // answered below as not plugin_info
      }
      const id = request.id ?? null;
      if (request.method === 'plugin_info') {
        const plugin = create();
        stream.write(encodeFrame(encodeBody({ id, result: [plugin.description, plugin.version] })));
      } else {
        stream.write(encodeFrame(encodeBody({ id, error: { code: ErrorNumber.INVALID_ARGUMENT, message: 'A session host first answers plugin_info', data: null } })));
      }
      finish(Buffer.concat(chunks, length).subarray(FRAME_HEADER_BYTES + body.length));
    };
    stream.on('data', onData);
    stream.once('close', onClose);
    stream.once('end', onClose);
    stream.resume();
  });
}

/** Serves every session openlsmd opens on `stream`; resolves when the stream is closed and every session finished. */
export async function hostSessions(create: () => Plugin, stream: Duplex, options: HostOptions): Promise<void> {
  const { sessions: max, log } = options;
  // Announced before anything else, so openlsmd knows how to read what follows.
  stream.write(encodeFrame(encodeBody({ method: SESSION_HOST_METHOD, params: { sessions: max } })));
  const rest = await answerOpening(stream, create);
  if (rest === undefined) {
    stream.destroy();
    return;
  }
  const sessions = new Set<Promise<void>>();
  const mux = new StreamMux(stream, {
    onChannel: (channel: MuxChannel) => {
      if (sessions.size >= max) {
        log.warn('refused a session: this process serves its maximum', { sessions: sessions.size });
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
  if (rest.length > 0) stream.unshift(rest);
  stream.resume();
  log.debug('serving many sessions in this process', { sessions: max });
  await mux.closed;
  await Promise.all(sessions);
}
