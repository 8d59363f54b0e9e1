import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { formatId, Ids, parseId, requireId, requireSystem } from './ids.js';

test('ids render as lsm\'s <PREFIX>_ID_%05d and parse back, past 99,999 too', () => {
  assert.equal(formatId(Ids.volume, 1), 'VOL_ID_00001');
  assert.equal(formatId(Ids.snapshot, 42n), 'FS_SNAP_ID_00042');
  assert.equal(formatId(Ids.volume, 123456), 'VOL_ID_123456');
  assert.equal(parseId(Ids.volume, 'VOL_ID_00001'), 1);
  assert.equal(parseId(Ids.volume, 'VOL_ID_123456'), 123456);
  assert.equal(parseId(Ids.job, 'JOB_ID_00007'), 7);
});

test('anything else resolves to nothing: other prefixes, junk, injections, huge strings, zero', () => {
  for (const bad of ['POOL_ID_00001', 'VOL_ID_', 'VOL_ID_0000x', 'VOL_ID_00001 ', ' VOL_ID_00001', 'XVOL_ID_00001',
    "VOL_ID_1'; DROP TABLE volumes;--", 'VOL_ID_-1', 'VOL_ID_1e3', 'VOL_ID_00000', 'VOL_ID_9999999999999999',
    'VOL_ID_' + '1'.repeat(10_000), '', 'VOL_ID_\u0661']) {
    assert.equal(parseId(Ids.volume, bad), null, JSON.stringify(bad.slice(0, 40)));
  }
});

test('requireId raises the kind\'s NOT_FOUND_* with the id quoted safely', () => {
  assert.throws(() => requireId(Ids.volume, 'nope\nline'), (err: unknown) => err instanceof LsmError
    && err.code === ErrorNumber.NOT_FOUND_VOLUME && err.message === 'Volume not found: "nope\\nline"');
  assert.throws(() => requireId(Ids.fs, 'x'.repeat(1_000_000)), (err: unknown) => err instanceof LsmError
    && err.code === ErrorNumber.NOT_FOUND_FS && err.message.length < 100);
  assert.throws(() => requireId(Ids.accessGroup, 'VOL_ID_00001'), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.NOT_FOUND_ACCESS_GROUP);
  assert.throws(() => requireSystem('sim-02'), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.NOT_FOUND_SYSTEM);
  requireSystem('sim-01');
});
