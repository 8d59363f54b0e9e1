import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { capabilitiesOf, JobStatusGet, VolumeSchema } from '@openlsm/core';
import { stringifyLsmJson } from '@openlsm/core';
import { toLsmValue } from './objects.js';

const volume = VolumeSchema.parse({
  id: 'VOL_1', name: 'v', vpd83: '', block_size: 512, num_of_blocks: 4503599627370496n, admin_state: 1,
  system_id: 'sim-01', pool_id: 'P1', plugin_data: null,
}, 'v');

describe('openlsm objects to lsm objects', () => {
  test('model objects get "class" first, then their fields in lsm order', () => {
    assert.equal(
      stringifyLsmJson(toLsmValue([volume])),
      '[{"class": "Volume", "id": "VOL_1", "name": "v", "vpd83": "", "block_size": 512, "num_of_blocks": 4503599627370496, "admin_state": 1, "system_id": "sim-01", "pool_id": "P1", "plugin_data": null}]',
    );
  });

  test('capabilities become 1024 hex digits', () => {
    const lsm = toLsmValue(capabilitiesOf([20])) as { class: string; cap: string };
    assert.equal(lsm.class, 'Capabilities');
    assert.equal(lsm.cap.length, 1024);
    assert.equal(lsm.cap, `${'0'.repeat(40)}01${'0'.repeat(982)}`);
  });

  test('a finished job_status carries its item with the item\'s class', () => {
    const result = JobStatusGet.result.parse([2, 100, { ...volume }], 'result');
    const lsm = toLsmValue(result) as [number, number, Record<string, unknown>];
    assert.equal(lsm[2].class, 'Volume');
    assert.deepEqual(Object.keys(lsm[2]).slice(0, 2), ['class', 'id']);
  });

  test('plain values and unknown shapes pass unchanged', () => {
    assert.deepEqual(toLsmValue(['a', 1, null, true]), ['a', 1, null, true]);
    assert.deepEqual(toLsmValue({ x: 1 }), { x: 1 });
  });
});
