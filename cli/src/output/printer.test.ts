import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool, Volume } from '@openlsm/core';
import { poolView, volumeView } from './columns.js';
import { type OutputSettings, Printer } from './printer.js';

const pools: Pool[] = [
  { id: 'POOL_ID_00001', name: 'Pool 1', element_type: 1054, unsupported_actions: 3, total_space: 2199023255552n, free_space: 1649267441664n, status: 2, status_info: '', system_id: 'sim-01', plugin_data: null },
  { id: 'POOL_ID_00004', name: 'lsm_test_aggr', element_type: 28, unsupported_actions: 0, total_space: 2305843009213693952n, free_space: 2305843009213693952n, status: 2, status_info: '', system_id: 'sim-01', plugin_data: null },
];

const base: OutputSettings = { json: false, human: false, enumNumbers: false, terse: undefined, header: false, script: false };

function print(settings: Partial<OutputSettings>, fn: (p: Printer) => void): string {
  let out = '';
  fn(new Printer({ ...base, ...settings }, (s) => { out += s; }));
  return out;
}

describe('Printer', () => {
  test('columns with -H match lsmcli\'s sample', () => {
    const lines = print({ human: true }, (p) => p.objects(poolView, pools)).split('\n').map((l) => l.trimEnd());
    assert.equal(lines[0], 'ID            | Name          | Element Type                         | Total Space | Free Space | Status | Info | System ID');
    assert.equal(lines[2], 'POOL_ID_00001 | Pool 1        | POOL,VOLUME,FS,SYSTEM_RESERVED,DELTA | 2.00 TiB    | 1.50 TiB   | OK     |      | sim-01');
    assert.equal(lines[3], 'POOL_ID_00004 | lsm_test_aggr | VOLUME,FS,DELTA                      | 2.00 EiB    | 2.00 EiB   | OK     |      | sim-01');
    assert.equal(lines[1], '-'.repeat((lines[0] ?? '').length));
  });

  test('-e prints numbers; -s adds the hidden "Does not support" row', () => {
    assert.match(print({ enumNumbers: true }, (p) => p.objects(poolView, pools)), /POOL_ID_00001 \| Pool 1 +\| 1054 +\| 2199023255552 +\| 1649267441664 +\| 2 /);
    const script = print({ script: true }, (p) => p.objects(poolView, pools.slice(0, 1)));
    assert.match(script, /^Does not support +\| Volume Grow,Volume Shrink/m);
    assert.match(script, /^-+\nID +\| POOL_ID_00001/);
  });

  test('-o json: an array with lsm field names, exact sizes, size_bytes for volumes', () => {
    const volume: Volume = { id: 'V1', name: 'v', vpd83: '', block_size: 512n, num_of_blocks: 4503599627370497n, admin_state: 1, system_id: 's', pool_id: 'p', plugin_data: null };
    const text = print({ json: true }, (p) => p.objects(volumeView, [volume]));
    assert.match(text, /"size_bytes": 2305843009213694464\b/);
    assert.match(text, /"num_of_blocks": 4503599627370497\b/);
    assert.equal((JSON.parse(text) as unknown[]).length, 1);
    assert.equal(print({ json: true }, (p) => p.objects(volumeView, [])), '[]\n');
  });

  test('an empty listing prints nothing in text mode', () => {
    assert.equal(print({}, (p) => p.objects(poolView, [])), '');
  });
});
