import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { SimPlugin } from './plugin.js';
import { SimStore } from './store.js';

test('masking to an access group without initiators is EMPTY_ACCESS_GROUP', (t) => {
  // The API cannot empty a group (creation needs an initiator, the last one cannot be removed), but a state file
  // edited by another tool can hold one; the simulator must still answer as lsm specifies.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-sim-ag-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 's.sqlite3');
  const plugin = new SimPlugin({ LSM_SIM_TIME: '0' });
  plugin.pluginRegister({ uri: `sim://?statefile=${encodeURIComponent(file)}`, password: null, timeout: 1000, flags: 0 });
  t.after(() => plugin.pluginUnregister());
  const [system] = plugin.systems();
  const ag = plugin.accessGroupCreate({ name: 'ag', init_id: 'iqn.1994-05.com.domain:01.abc', init_type: 5, system: system!, flags: 0 });
  const [pool] = plugin.pools({ search_key: 'id', search_value: 'POOL_ID_00004', flags: 0 });
  plugin.volumeCreate({ pool: pool!, volume_name: 'v', size_bytes: 512n, provisioning: 3, flags: 0 });
  const [volume] = plugin.volumes({ search_key: null, search_value: null, flags: 0 });
  const editor = SimStore.open(file, { timeoutMs: 1000 });
  editor.write(() => editor.run('DELETE FROM inits'));
  editor.close();
  assert.throws(() => plugin.volumeMask({ access_group: ag, volume: volume!, flags: 0 }),
    (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.EMPTY_ACCESS_GROUP);
  assert.deepEqual(plugin.accessGroups({ search_key: null, search_value: null, flags: 0 })[0]?.init_ids, []);
});
