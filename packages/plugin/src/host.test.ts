import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import { capabilitiesOf, ErrorNumber, LsmError, type System } from '@openlsm/core';
import {
  Connection, decodeBody, encodeBody, encodeFrame, FrameReader, memoryPair, SESSION_HOST_METHOD, StreamMux,
} from '@openlsm/ipc';
import type { Logger } from '@openlsm/log';
import { hostSessions } from './host.js';
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

/** What openlsmd does with a new process: `plugin_info` (id 0), then the frames until its answer. */
function opening(daemonEnd: Duplex): Promise<unknown[]> {
  daemonEnd.write(encodeFrame(encodeBody({ id: 0, method: 'plugin_info', params: { flags: 0 } })));
  return new Promise((resolve) => {
    const reader = new FrameReader();
    const messages: unknown[] = [];
    const onData = (chunk: Buffer) => {
      for (const body of reader.push(chunk)) messages.push(decodeBody(body));
      if (!messages.some((m) => (m as { id?: unknown }).id === 0)) return;
      daemonEnd.removeListener('data', onData);
      daemonEnd.pause();
      resolve(messages);
    };
    daemonEnd.on('data', onData);
  });
}

test('a host announces itself before its first answer, then serves sessions with their own plugin instances', async () => {
  const [daemonEnd, plugin] = memoryPair();
  const served = hostSessions(() => new SessionPlugin(), plugin, { sessions: 2, log: quiet });
  assert.deepEqual(await opening(daemonEnd), [
    { method: SESSION_HOST_METHOD, params: { sessions: 2 } },
    { id: 0, result: ['host test plugin', '1'] },
  ]);
  const mux = new StreamMux(daemonEnd);
  daemonEnd.resume();
  const a = new Connection(mux.open());
  const b = new Connection(mux.open());
  await Promise.all([register(a, 'a://'), register(b, 'b://')]);
  const [sa, sb] = await Promise.all([a.request('systems', { flags: 0 }), b.request('systems', { flags: 0 })]) as [System[], System[]];
  assert.equal(sa[0]?.id, 'a://');
  assert.equal(sb[0]?.id, 'b://');
  assert.notEqual(sa[0]?.name, sb[0]?.name);

  // A third session at once is over the maximum: its channel is closed at once.
  const c = new Connection(mux.open());
  await assert.rejects(c.request('plugin_info', { flags: 0 }), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_COMMUNICATION);

  // One session unregistering ends only its own channel, and frees its slot.
  await a.request('plugin_unregister', { flags: 0 });
  await a.closed;
  assert.equal(((await b.request('systems', { flags: 0 })) as System[])[0]?.id, 'b://');
  const d = new Connection(mux.open());
  await register(d, 'd://');
  assert.equal(((await d.request('systems', { flags: 0 })) as System[])[0]?.id, 'd://');

  // The daemon closing the shared stream ends every session and the host.
  mux.destroy();
  await served;
  await assert.rejects(b.request('systems', { flags: 0 }), LsmError);
});

test('a host whose daemon leaves before the first request costs nothing', async () => {
  const [daemonEnd, plugin] = memoryPair();
  const served = hostSessions(() => { throw new Error('no session should be created'); }, plugin, { sessions: 4, log: quiet });
  daemonEnd.destroy();
  await served;
});
