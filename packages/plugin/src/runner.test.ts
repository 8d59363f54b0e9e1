import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  capabilitiesOf, ErrorNumber, JobStatus, LsmError, type Pool, type System, type Volume,
} from '@openlsm/core';
import { Connection, memoryPair } from '@openlsm/ipc';
import type { Logger } from '@openlsm/log';
import type { CallContext, Plugin } from './plugin.js';
import { JOB_PROGRESS_NOTIFICATION, servePlugin } from './runner.js';
import { searchFilter } from './search.js';

const quiet: Logger = {
  error() {}, warn() {}, info() {}, debug() {}, child: () => quiet, enabled: () => false, flush: async () => {},
};

const system: System = { id: 'S1', name: 'sys', status: 1, status_info: '', plugin_data: null, fw_version: '', read_cache_pct: -2, mode: -2 };
const pool: Pool = { id: 'P1', name: 'p', element_type: 4, unsupported_actions: 0, total_space: 2n ** 61n, free_space: 2n ** 61n, status: 2, status_info: '', system_id: 'S1', plugin_data: null };

class TestPlugin implements Plugin {
  readonly description = 'runner test plugin';
  readonly version = '1.2.3';
  registered: unknown;
  unregistered = 0;
  lastSignal: AbortSignal | undefined;

  pluginRegister(params: { uri: string; password: string | null; timeout: number }): void {
    if (params.password === 'wrong') throw new LsmError(ErrorNumber.PLUGIN_AUTH_FAILED, 'Authentication failed');
    this.registered = params;
  }
  pluginUnregister(): void {
    this.unregistered++;
  }
  capabilities() {
    return capabilitiesOf(['VOLUMES']);
  }
  systems() {
    return [system];
  }
  pools({ search_key, search_value }: { search_key: string | null; search_value: string | null }) {
    return searchFilter([pool], search_key, search_value);
  }
  volumes(): Volume[] {
    throw new TypeError('cannot read property of undefined');
  }
  async volumeCreate(params: { volume_name: string; size_bytes: bigint }, ctx: CallContext): Promise<[string | null, Volume | null]> {
    if (params.volume_name === 'hang') {
      this.lastSignal = ctx.signal;
      await new Promise(() => {});
    }
    const volume: Volume = { id: 'V1', name: params.volume_name, vpd83: '', block_size: 512n, num_of_blocks: params.size_bytes / 512n, admin_state: 1, system_id: 'S1', pool_id: 'P1', plugin_data: null };
    const fails = params.volume_name === 'fail';
    const id = ctx.jobs.run(async (progress) => {
      await new Promise((r) => setTimeout(r, 30));
      progress(50);
      await new Promise((r) => setTimeout(r, 30));
      if (fails) throw new LsmError(ErrorNumber.NOT_ENOUGH_SPACE, 'Insufficient space in pool');
      return volume;
    });
    return [id, null];
  }
}

function start(plugin = new TestPlugin()) {
  const [a, b] = memoryPair();
  const session = servePlugin(plugin, b, { log: quiet, progressIntervalMs: 10 });
  const notifications: [string, Record<string, unknown>][] = [];
  const client = new Connection(a, { peerName: 'plug-in', onNotification: (m, p) => notifications.push([m, p]) });
  const register = (params: Record<string, unknown> = {}) => client.request('plugin_register', { uri: 'test://', password: null, timeout: 30_000, flags: 0, ...params });
  return { plugin, session, client, notifications, register };
}

function isCode(code: number, message?: RegExp) {
  return (err: unknown) => err instanceof LsmError && err.code === code && (!message || message.test(err.message));
}

test('plugin_info is answered before registration; other methods need plugin_register first', async () => {
  const { client, register, plugin } = start();
  assert.deepEqual(await client.request('plugin_info', { flags: 0 }), ['runner test plugin', '1.2.3']);
  await assert.rejects(client.request('systems', { flags: 0 }), isCode(ErrorNumber.INVALID_ARGUMENT, /call plugin_register first/));
  await assert.rejects(register({ password: 'wrong' }), isCode(ErrorNumber.PLUGIN_AUTH_FAILED));
  assert.equal(await register({ password: 'secret', timeout: 5_000 }), null);
  assert.deepEqual(plugin.registered, { uri: 'test://', password: 'secret', timeout: 5_000, flags: 0 });
  await assert.rejects(register(), isCode(ErrorNumber.INVALID_ARGUMENT, /already called/));
  assert.equal(await client.request('time_out_get', { flags: 0 }), 5_000);
  const systems = await client.request('systems', { flags: 0 });
  assert.deepEqual(systems, [system]);
  await client.close();
});

test('unknown methods and methods the plugin lacks are NO_SUPPORT', async () => {
  const { client, register } = start();
  await register();
  await assert.rejects(client.request('no_such_method', { flags: 0 }), isCode(ErrorNumber.NO_SUPPORT, /Unsupported operation "no_such_method"/));
  await assert.rejects(client.request('disks', { flags: 0 }), isCode(ErrorNumber.NO_SUPPORT, /"disks" is not supported/));
  await client.close();
});

test('wrong, missing or extra-flagged params are INVALID_ARGUMENT before the plugin sees them', async () => {
  const { client, register } = start();
  await register();
  await assert.rejects(client.request('capabilities', { system: 'S1', flags: 0 }), isCode(ErrorNumber.INVALID_ARGUMENT, /"system": expected a System object, got a string/));
  await assert.rejects(client.request('capabilities', { flags: 0 }), isCode(ErrorNumber.INVALID_ARGUMENT, /"system": missing/));
  await assert.rejects(client.request('volume_create', { pool, volume_name: 'v', size_bytes: 'big', flags: 0 }), isCode(ErrorNumber.INVALID_ARGUMENT, /size_bytes/));
  await assert.rejects(client.request('volume_create', { pool: { ...pool, total_space: 1.5 }, volume_name: 'v', size_bytes: 1n, flags: 0 }), isCode(ErrorNumber.INVALID_ARGUMENT, /pool.total_space/));
  await assert.rejects(client.request('systems', { flags: 4 }), isCode(ErrorNumber.INVALID_ARGUMENT, /Invalid flags 4/));
  await assert.rejects(client.request('time_out_set', { ms: 0, flags: 0 }), isCode(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.request('pools', { search_key: 'name', search_value: 'x', flags: 0 }), isCode(ErrorNumber.UNSUPPORTED_SEARCH_KEY, /valid keys: id, system_id/));
  await assert.rejects(client.request('pools', { search_key: 'id', flags: 0 }), isCode(ErrorNumber.INVALID_ARGUMENT, /search_value is required/));
  assert.deepEqual(await client.request('pools', { search_key: 'id', search_value: 'P1', flags: 0 }), [pool]);
  assert.deepEqual(await client.request('pools', { search_key: 'id', search_value: 'nope', flags: 0 }), []);
  await client.close();
});

test('an unexpected exception in the plugin is PLUGIN_BUG with a sentence and no stack; the session goes on', async () => {
  const { client, register } = start();
  await register();
  await assert.rejects(client.request('volumes', { flags: 0 }), (err) => isCode(ErrorNumber.PLUGIN_BUG, /Unhandled exception in plug-in while serving "volumes": cannot read property/)(err) && (err as LsmError).data === null);
  assert.deepEqual(await client.request('systems', { flags: 0 }), [system]);
  await client.close();
});

test('a hung call gives TIMEOUT at the session timeout and aborts the call signal', async () => {
  const { client, register, plugin } = start();
  await register();
  await client.request('time_out_set', { ms: 60, flags: 0 });
  await assert.rejects(client.request('volume_create', { pool, volume_name: 'hang', size_bytes: 512n, flags: 0 }), isCode(ErrorNumber.TIMEOUT, /did not complete "volume_create" within 60 ms/));
  assert.equal(plugin.lastSignal?.aborted, true);
  await client.close();
});

test('a job pushes job_progress, then job_status yields the item and job_free forgets it', async () => {
  const { client, register, notifications } = start();
  await register();
  const [jobId, item] = await client.request('volume_create', { pool, volume_name: 'v1', size_bytes: 1024n, flags: 0 }) as [string, null];
  assert.match(jobId, /^JOB_/);
  assert.equal(item, null);
  let status: [number, number, unknown];
  do {
    await new Promise((r) => setTimeout(r, 20));
    status = await client.request('job_status', { job_id: jobId, flags: 0 }) as [number, number, unknown];
  } while (status[0] === JobStatus.INPROGRESS);
  assert.equal(status[0], JobStatus.COMPLETE);
  assert.equal(status[1], 100);
  assert.equal((status[2] as Volume).name, 'v1');
  // Progress notifications carry the job id; the last one says COMPLETE.
  await new Promise((r) => setTimeout(r, 30));
  const progress = notifications.filter(([m, p]) => m === JOB_PROGRESS_NOTIFICATION && p.job_id === jobId).map(([, p]) => p);
  assert.ok(progress.some((p) => p.status === JobStatus.INPROGRESS && p.percent === 50), JSON.stringify(progress));
  assert.deepEqual(progress.at(-1), { job_id: jobId, status: JobStatus.COMPLETE, percent: 100 });
  assert.equal(await client.request('job_free', { job_id: jobId, flags: 0 }), null);
  await assert.rejects(client.request('job_status', { job_id: jobId, flags: 0 }), isCode(ErrorNumber.NOT_FOUND_JOB));
  await client.close();
});

test("a failed job raises its own error from job_status", async () => {
  const { client, register } = start();
  await register();
  const [jobId] = await client.request('volume_create', { pool, volume_name: 'fail', size_bytes: 1024n, flags: 0 }) as [string, null];
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    try {
      const [status] = await client.request('job_status', { job_id: jobId, flags: 0 }) as [number];
      assert.equal(status, JobStatus.INPROGRESS);
    } catch (err) {
      assert.ok(isCode(ErrorNumber.NOT_ENOUGH_SPACE, /Insufficient space/)(err));
      break;
    }
  }
  await client.close();
});

test('plugin_unregister ends the session; a client that vanishes gets the plugin unregistered anyway', async () => {
  const first = start();
  await first.register();
  assert.equal(await first.client.request('plugin_unregister', { flags: 0 }), null);
  await first.session.finished;
  assert.equal(first.plugin.unregistered, 1);

  const second = start();
  await second.register();
  second.client.destroy();
  await second.session.finished;
  assert.equal(second.plugin.unregistered, 1);
});
