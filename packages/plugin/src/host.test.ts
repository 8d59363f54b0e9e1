import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capabilitiesOf, ErrorNumber, LsmError, type System } from '@openlsm/core';
import {
  Connection, decodeBody, encodeBody, encodeFrame, FrameReader, memoryPair, SESSION_HOST_METHOD, StreamMux,
} from '@openlsm/ipc';
import type { Logger } from '@openlsm/log';
import { serveSessions } from './host.js';
import type { Plugin } from './plugin.js';

const quiet: Logger = {
  error() {}, warn() {}, info() {}, debug() {}, child: () => quiet, enabled: () => false, flush: async () => {},
};

let instances = 0;

/** Each instance remembers its own registration: sessions sharing a process must not see each other's. */
class SessionPlugin implements Plugin {
  readonly description = 'host test plugin';
  readonly version = '1';
  readonly instance = ++instances;
  #uri = '';
  pluginRegister({ uri }: { uri: string }): void {
    this.#uri = uri;
  }
  capabilities() {
    return capabilitiesOf([]);
  }
  systems(): System[] {
    return [{ id: this.#uri, name: `instance ${this.instance}`, status: 1, status_info: '', plugin_data: null, fw_version: '', read_cache_pct: -2, mode: -2 }];
  }
  pools() {
    return [];
  }
}

const register = (c: Connection, uri: string) => c.request('plugin_register', { uri, password: null, timeout: 5_000, flags: 0 });

test('without the session-host request, the process serves its one session as before (the first frame is put back)', async () => {
  const [client, plugin] = memoryPair();
  const served = serveSessions(() => new SessionPlugin(), plugin, { sessionsPerProcess: 8, log: quiet });
  const connection = new Connection(client);
  assert.deepEqual(await connection.request('plugin_info', { flags: 0 }), ['host test plugin', '1']);
  await register(connection, 'one://');
  assert.equal(((await connection.request('systems', { flags: 0 })) as System[])[0]?.id, 'one://');
  await connection.request('plugin_unregister', { flags: 0 });
  await served;
});

test('on request, one process serves many sessions, each with its own plugin instance and registration', async () => {
  const [daemonEnd, plugin] = memoryPair();
  const served = serveSessions(() => new SessionPlugin(), plugin, { sessionsPerProcess: 2, log: quiet });
  // The daemon's first request, read by hand: after the answer the stream carries mux frames.
  daemonEnd.write(encodeFrame(encodeBody({ id: 0, method: SESSION_HOST_METHOD, params: { version: 1 } })));
  const answer = await new Promise((resolve) => {
    const reader = new FrameReader();
    const onData = (chunk: Buffer) => {
      const [body] = reader.push(chunk);
      if (!body) return;
      daemonEnd.removeListener('data', onData);
      daemonEnd.pause();
      resolve(decodeBody(body));
    };
    daemonEnd.on('data', onData);
  });
  assert.deepEqual(answer, { id: 0, result: { sessions: 2 } });
  const mux = new StreamMux(daemonEnd);
  daemonEnd.resume();
  const a = new Connection(mux.open());
  const b = new Connection(mux.open());
  await Promise.all([register(a, 'a://'), register(b, 'b://')]);
  const [sa, sb] = await Promise.all([a.request('systems', { flags: 0 }), b.request('systems', { flags: 0 })]) as [System[], System[]];
  assert.equal(sa[0]?.id, 'a://');
  assert.equal(sb[0]?.id, 'b://');
  assert.notEqual(sa[0]?.name, sb[0]?.name);

  // A third session at once is over the declared maximum: its channel is closed at once.
  const c = new Connection(mux.open());
  await assert.rejects(c.request('plugin_info', { flags: 0 }), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_COMMUNICATION);

  // One session unregistering ends only its own channel.
  await a.request('plugin_unregister', { flags: 0 });
  await a.closed;
  assert.equal(((await b.request('systems', { flags: 0 })) as System[])[0]?.id, 'b://');
  // Its slot is free again.
  const d = new Connection(mux.open());
  await register(d, 'd://');
  assert.equal(((await d.request('systems', { flags: 0 })) as System[])[0]?.id, 'd://');

  // The daemon closing the shared stream ends every session and the host.
  mux.destroy();
  await served;
  await assert.rejects(b.request('systems', { flags: 0 }), LsmError);
});

test('a peer that leaves before a whole first frame costs nothing', async () => {
  const [client, plugin] = memoryPair();
  const served = serveSessions(() => { throw new Error('no session should be created'); }, plugin, { sessionsPerProcess: 4, log: quiet });
  client.end(Buffer.from([0, 0, 0]));
  await served;
});
