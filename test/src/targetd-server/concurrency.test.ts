/**
 * Many clients at once against openlsm-targetd, a slow backend call that does not hold the others up (targetd
 * serialises every call behind one lock), the per-call timeout, and a backend plugin that dies.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { RpcClient, RpcError, rpcError } from './rpc-client.js';
import { PASSWORD, POOL, startServer, USER } from './server-env.js';

const MiB = 1024 * 1024;

/** Process ids of the children of `pid` (the backend plugin processes of the server). */
function children(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
    .filter((s) => s !== '').map(Number);
}

describe('openlsm-targetd concurrency', () => {
  it('16 clients at once: every create succeeds; one name created 8 times at once is made once', async () => {
    const server = await startServer({ tls: true });
    const clients = Array.from({ length: 16 }, () => new RpcClient(server.target, USER, PASSWORD));
    try {
      await Promise.all(clients.map((c, i) => c.call('vol_create', { pool: POOL, name: `many_${i}`, size: MiB })));
      const names = (await clients[0]!.call<{ name: string }[]>('vol_list', { pool: POOL })).map((v) => v.name);
      assert.deepEqual(names.filter((n) => n.startsWith('many_')).sort(), Array.from({ length: 16 }, (_, i) => `many_${i}`).sort());
      const same = await Promise.allSettled(clients.slice(0, 8).map((c) => c.call('vol_create', { pool: POOL, name: 'once', size: MiB })));
      assert.equal(same.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of same) if (r.status === 'rejected') assert.equal((r.reason as RpcError).code, -50);
      const lists = await Promise.all(clients.map((c) => c.call<unknown[]>('vol_list', { pool: POOL })));
      assert.ok(lists.every((l) => l.length === 17));
    } finally {
      for (const c of clients) c.close();
      await server.stop();
    }
  });

  it('a slow backend call does not hold up the others', async () => {
    // Simulated jobs take 4 s: vol_create waits for its job while other calls are answered.
    const server = await startServer({ simTime: '4' });
    const rpc = new RpcClient(server.target, USER, PASSWORD);
    try {
      let created = false;
      const slow = rpc.call('vol_create', { pool: POOL, name: 'slow', size: MiB }).then(() => { created = true; });
      const other = new RpcClient(server.target, USER, PASSWORD);
      assert.ok(Array.isArray(await other.call('pool_list')));
      assert.ok(Array.isArray(await other.call('vol_list', { pool: POOL })));
      assert.deepEqual(await other.call('access_group_list'), []);
      assert.equal(created, false, 'the other calls waited for the slow one');
      other.close();
      await slow;
      assert.equal(created, true);
    } finally {
      rpc.close();
      await server.stop();
    }
  });

  it('a call that passes call_timeout_ms is answered with a TIMEOUT error, and the server goes on', async () => {
    const server = await startServer({ simTime: '60', config: { call_timeout_ms: 1_000 } });
    const rpc = new RpcClient(server.target, USER, PASSWORD);
    try {
      await assert.rejects(rpc.call('vol_create', { pool: POOL, name: 'late', size: MiB }), rpcError(-1, /^TIMEOUT: .*list before retrying/));
      assert.ok(Array.isArray(await rpc.call('pool_list')));
    } finally {
      rpc.close();
      await server.stop();
    }
  });

  it('a backend plugin that dies: the calls it was serving fail, later calls reopen the session', async () => {
    const server = await startServer({ config: { backend_sessions: 1 } });
    const rpc = new RpcClient(server.target, USER, PASSWORD);
    try {
      await rpc.call('vol_create', { pool: POOL, name: 'before', size: MiB });
      const plugins = children(server.proc.pid!);
      assert.ok(plugins.length >= 1, 'no plugin process found');
      for (const pid of plugins) process.kill(pid, 'SIGKILL');
      let names: string[] | undefined;
      for (let attempt = 0; attempt < 20 && !names; attempt++) {
        try {
          names = (await rpc.call<{ name: string }[]>('vol_list', { pool: POOL })).map((v) => v.name);
        } catch (err) {
          assert.ok(err instanceof RpcError && err.code === -1, String(err));
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      assert.deepEqual(names, ['before']);
      assert.equal(server.proc.exitCode, null);
      assert.ok(server.logLines().some((l) => l.message === 'backend session lost; it reopens on the next call'));
    } finally {
      rpc.close();
      await server.stop();
    }
  });
});
