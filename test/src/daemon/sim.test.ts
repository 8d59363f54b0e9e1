/**
 * openlsmd with the simulator: many clients at once on one state file, through the daemon.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Client } from '@openlsm/client';
import { daemonEnv, type DaemonEnv } from './daemon-env.js';

describe('openlsmd with sim://', () => {
  let env: DaemonEnv;
  let uri: string;

  before(async () => {
    env = daemonEnv({ plugins: ['sim'] });
    uri = `sim://?statefile=${encodeURIComponent(path.join(env.dir, 'state.sqlite3'))}`;
    await env.start();
  });
  after(async () => {
    await env.cleanup();
  });

  test('50 concurrent clients each list and create volumes on one state file', async () => {
    const setup = await env.connect(uri);
    const [pool] = await setup.pools({ search_key: 'id', search_value: 'POOL_ID_00003' });
    assert.ok(pool);
    const initial = (await setup.volumes()).length;
    const names = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const client = await Client.connect(uri, { env: env.env, mode: 'daemon' });
      try {
        assert.equal(client.transport, 'daemon');
        await client.volumes();
        const volume = await client.volumeCreate({ pool, volume_name: `daemon-vol-${i}`, size_bytes: 1n << 20n }, { pollIntervalMs: 20 });
        const [again] = await client.volumes({ search_key: 'id', search_value: volume.id });
        assert.equal(again?.name, `daemon-vol-${i}`);
        return volume.name;
      } finally {
        await client.close();
      }
    }));
    assert.equal(new Set(names).size, 50);
    assert.equal((await setup.volumes()).length, initial + 50);
  });
});
