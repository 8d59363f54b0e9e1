/**
 * libstoragemgmt clients on openlsmd's sockets: lsm's framing and JSON, spoken by a client written from the
 * specification (lsm-client.ts), against the echo test plugin and the simulator.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fc from 'fast-check';
import { Capability, ErrorNumber, InitiatorType, JobStatus } from '@openlsm/core';
import { daemonEnv, type DaemonEnv, type DaemonProcess, sleep } from './daemon-env.js';
import { LsmWireClient, LsmWireError } from './lsm-client.js';

type Obj = Record<string, unknown>;

function wireError(code: number) {
  return (err: unknown) => {
    if (!(err instanceof LsmWireError)) return false;
    if (err.code !== code) throw new Error(`expected error ${code}, got ${err.code}: ${err.message}`);
    return true;
  };
}

/** Waits for a job through job_status polling, as lsm clients do, then frees it. */
async function waitJob(client: LsmWireClient, jobId: string): Promise<unknown> {
  for (;;) {
    const [status, percent, item] = (await client.call('job_status', { job_id: jobId })) as [number, number, unknown];
    assert.ok(percent >= 0 && percent <= 100);
    if (status === JobStatus.COMPLETE) {
      assert.equal(await client.call('job_free', { job_id: jobId }), null);
      return item;
    }
    assert.equal(status, JobStatus.INPROGRESS);
    await sleep(50);
  }
}

describe('lsm-framed clients', () => {
  let env: DaemonEnv;
  let daemon: DaemonProcess;
  const socket = (name: string) => path.join(env.socketDir, name);

  before(async () => {
    env = daemonEnv({ plugins: ['echo', 'sim'] });
    daemon = await env.start();
  });
  after(async () => {
    await env.cleanup();
  });

  test('echo: plugin_info before registration, class tags, hex capabilities, exact 2^61 sizes, lsm errors', async () => {
    const c = await LsmWireClient.connect(socket('echo'));
    assert.deepEqual(await c.call('plugin_info'), ['openlsm test plugin', '0.0.1']);
    assert.equal(await c.call('plugin_register', { uri: 'echo://', password: null, timeout: 30_000 }), null);
    const [system] = (await c.call('systems')) as Obj[];
    assert.ok(system);
    assert.equal(Object.keys(system)[0], 'class');
    assert.equal(system.class, 'System');
    const caps = (await c.call('capabilities', { system })) as { class: string; cap: string };
    assert.deepEqual(Object.keys(caps), ['class', 'cap']);
    assert.match(caps.cap, /^[0-9a-f]{1024}$/);
    assert.equal(caps.cap.slice(Capability.VOLUMES * 2, Capability.VOLUMES * 2 + 2), '01');
    assert.equal(caps.cap.slice(Capability.FS * 2, Capability.FS * 2 + 2), '00');
    const [pool] = (await c.call('pools', { search_key: null, search_value: null })) as Obj[];
    assert.equal(pool?.total_space, 2n ** 61n);
    assert.deepEqual(Object.keys(pool ?? {}), ['class', 'id', 'name', 'element_type', 'unsupported_actions', 'total_space', 'free_space', 'status', 'status_info', 'system_id', 'plugin_data']);
    // A job, polled with job_status until its Volume arrives tagged with its class.
    const [jobId, none] = (await c.call('volume_create', { pool, volume_name: 'slow-200', size_bytes: 1n << 30n, provisioning: 3 })) as [string, null];
    assert.equal(none, null);
    const volume = (await waitJob(c, jobId)) as Obj;
    assert.equal(volume.class, 'Volume');
    assert.equal(volume.name, 'slow-200');
    await assert.rejects(c.call('job_status', { job_id: 'JOB_NOPE' }), wireError(ErrorNumber.NOT_FOUND_JOB));
    await assert.rejects(c.call('volume_delete', { volume: { ...volume, id: 'VOL_NOPE' } }), wireError(ErrorNumber.NOT_FOUND_VOLUME));
    await assert.rejects(c.call('volumes', { search_key: 'name', search_value: 'x' }), wireError(ErrorNumber.UNSUPPORTED_SEARCH_KEY));
    await assert.rejects(c.call('no_such_method'), wireError(ErrorNumber.NO_SUPPORT));
    await assert.rejects(c.call('fs', { search_key: null, search_value: null }), wireError(ErrorNumber.NO_SUPPORT));
    await assert.rejects(c.call('volume_create', { pool, volume_name: 'v', size_bytes: 'big' }), wireError(ErrorNumber.INVALID_ARGUMENT));
    await assert.rejects(c.call('volume_create', { pool, volume_name: 'bug', size_bytes: 1024 }), wireError(ErrorNumber.PLUGIN_BUG));
    assert.equal(await c.call('plugin_unregister'), null);
    await c.closed;
  });

  test('the id is echoed; bad JSON is answered and the session goes on; a broken header ends it', async () => {
    const c = await LsmWireClient.connect(socket('echo'));
    c.sendText('{"method": "plugin_info", "id": 7, "params": {"flags": 0}}');
    assert.deepEqual(await c.receive(), { id: 7, result: ['openlsm test plugin', '0.0.1'] });
    c.sendText('{"method": "plugin_info", "id": 8, ');
    const bad = await c.receive();
    assert.equal((bad.error as Obj).code, ErrorNumber.TRANSPORT_SERIALIZATION);
    assert.deepEqual(await c.call('plugin_info'), ['openlsm test plugin', '0.0.1']);
    // Requests written back to back are answered one at a time, in order.
    const frame = (id: number) => { const t = `{"method": "time_out_get", "id": ${id}, "params": {"flags": 0}}`; return String(t.length).padStart(10, '0') + t; };
    c.sendRaw(Array.from({ length: 40 }, (_, i) => frame(200 + i)).join(''));
    for (let i = 0; i < 40; i++) assert.equal((await c.receive()).id, 200 + i);
    c.sendRaw('00000abcde{}');
    const fatal = await c.receive();
    assert.equal((fatal.error as Obj).code, ErrorNumber.TRANSPORT_SERIALIZATION);
    await c.closed;
  });

  test('a plugin that dies mid-call gives TRANSPORT_COMMUNICATION and closes the session', async () => {
    const c = await LsmWireClient.connect(socket('echo'));
    await c.call('plugin_register', { uri: 'echo://', password: null, timeout: 30_000 });
    const [pool] = (await c.call('pools', { search_key: null, search_value: null })) as Obj[];
    await assert.rejects(c.call('volume_create', { pool, volume_name: 'crash', size_bytes: 1024 }), wireError(ErrorNumber.TRANSPORT_COMMUNICATION));
    await c.closed;
  });

  test('sim: lists, creates, masks, unmasks and deletes volumes, with lsm\'s error codes', async () => {
    const c = await LsmWireClient.connect(socket('sim'));
    const stateFile = path.join(env.dir, 'lsm-sim.sqlite3');
    await c.call('plugin_register', { uri: `sim://?statefile=${encodeURIComponent(stateFile)}`, password: null, timeout: 30_000 });
    const [system] = (await c.call('systems')) as Obj[];
    assert.equal(system?.id, 'sim-01');
    const caps = (await c.call('capabilities', { system })) as { cap: string };
    assert.equal(caps.cap.slice(Capability.VOLUME_MASK * 2, Capability.VOLUME_MASK * 2 + 2), '01');
    const pools = (await c.call('pools', { search_key: null, search_value: null })) as Obj[];
    const big = pools.find((p) => p.id === 'POOL_ID_00004');
    assert.equal(big?.total_space, 2305843009213693952n);
    const pool = pools.find((p) => p.id === 'POOL_ID_00001');
    assert.ok(pool);
    const before = (await c.call('volumes', { search_key: null, search_value: null })) as Obj[];

    // The simulator always answers volume_create with a job, as lsm's does.
    const [jobId, created] = (await c.call('volume_create', { pool, volume_name: 'lsm-vol', size_bytes: 1n << 30n, provisioning: 3 })) as [string, null];
    assert.equal(typeof jobId, 'string');
    assert.equal(created, null);
    const volume = (await waitJob(c, jobId)) as Obj;
    assert.equal(volume.class, 'Volume');
    assert.equal(volume.name, 'lsm-vol');
    const listed = (await c.call('volumes', { search_key: 'id', search_value: volume.id })) as Obj[];
    assert.deepEqual(listed, [volume]);
    assert.equal(((await c.call('volumes', { search_key: null, search_value: null })) as Obj[]).length, before.length + 1);
    await assert.rejects(c.call('volume_create', { pool, volume_name: 'lsm-vol', size_bytes: 1n << 30n, provisioning: 3 }), wireError(ErrorNumber.NAME_CONFLICT));

    const group = (await c.call('access_group_create', { name: 'lsm-ag', init_id: 'iqn.1994-05.com.domain:01.lsm', init_type: InitiatorType.ISCSI_IQN, system })) as Obj;
    assert.equal(group.class, 'AccessGroup');
    assert.equal(await c.call('volume_mask', { access_group: group, volume }), null);
    await assert.rejects(c.call('volume_mask', { access_group: group, volume }), wireError(ErrorNumber.NO_STATE_CHANGE));
    const masked = (await c.call('volumes_accessible_by_access_group', { access_group: group })) as Obj[];
    assert.deepEqual(masked.map((v) => v.id), [volume.id]);
    await assert.rejects(c.call('volume_delete', { volume }), wireError(ErrorNumber.IS_MASKED));
    assert.equal(await c.call('volume_unmask', { access_group: group, volume }), null);

    const deleteJob = (await c.call('volume_delete', { volume })) as string | null;
    if (deleteJob !== null) assert.equal(await waitJob(c, deleteJob), null);
    await assert.rejects(c.call('volume_delete', { volume }), wireError(ErrorNumber.NOT_FOUND_VOLUME));
    assert.equal(((await c.call('volumes', { search_key: null, search_value: null })) as Obj[]).length, before.length);
    assert.equal(await c.call('plugin_unregister'), null);
    await c.closed;
  });

  test('random lsm-framed garbage never harms the daemon (time-boxed fuzz)', async () => {
    const payloads = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.record({ method: fc.constantFrom('volumes', 'volume_create', 'capabilities', 'job_status', 'x'), id: fc.jsonValue({ maxDepth: 1 }), params: fc.jsonValue({ maxDepth: 2 }) }).map((v) => JSON.stringify(v)),
    );
    await fc.assert(fc.asyncProperty(payloads, async (text) => {
      const c = await LsmWireClient.connect(socket('echo'));
      try {
        c.sendText(text.length > 0 ? text : ' ');
        const answer: unknown = await c.receive().catch((err: unknown) => err);
        // Either an answer (result or lsm error) or, for unframeable input, the connection closed.
        if (!(answer instanceof Error)) assert.ok('result' in (answer as Obj) || 'error' in (answer as Obj));
      } finally {
        c.close();
        await c.closed;
      }
    }), { numRuns: 60, interruptAfterTimeLimit: 8_000 });
    const after = await LsmWireClient.connect(socket('echo'));
    assert.deepEqual(await after.call('plugin_info'), ['openlsm test plugin', '0.0.1']);
    after.close();
  });

  test('lsm and openlsm clients share the daemon', async () => {
    const [lsm, own] = await Promise.all([LsmWireClient.connect(socket('echo')), env.connect('echo://')]);
    await lsm.call('plugin_register', { uri: 'echo://', password: null, timeout: 30_000 });
    const [a, b] = await Promise.all([lsm.call('systems'), own.systems()]);
    assert.equal((a as Obj[])[0]?.id, b[0]?.id);
    lsm.close();
    assert.ok(daemon.logs.some((l) => l.framing === 'lsm'));
  });
});
