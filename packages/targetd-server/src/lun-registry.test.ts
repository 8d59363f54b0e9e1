import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LunRegistry } from './lun-registry.js';

describe('the LUN table', () => {
  it('numbers masks, keeps explicit numbers, persists atomically with mode 0600, and follows the backend', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-luns-'));
    try {
      const file = path.join(dir, 'sub', 'luns.json');
      const luns = await LunRegistry.open(file);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(luns.lowestFree('AG1'), 0);
      await luns.set('AG1', 'V1', 0);
      await luns.set('AG1', 'V2', 5);
      assert.equal(luns.lowestFree('AG1'), 1);
      // V3 was masked elsewhere: it gets the lowest free number; V1's mask is gone: its number is freed.
      const table = await luns.reconcile(new Map([['AG1', ['V2', 'V3']]]), false);
      assert.deepEqual([...(table.get('AG1') ?? [])], [['V2', 5], ['V3', 0]]);
      await luns.set('AG2', 'V1', 3);
      await luns.reconcile(new Map([['AG1', ['V2', 'V3']]]), true);
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { version: 1, luns: { AG1: { V2: 5, V3: 0 } } });
      const again = await LunRegistry.open(file);
      assert.equal(again.lowestFree('AG1'), 1);
      await again.delete('AG1', 'V3');
      await again.delete('AG1', 'V2');
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { version: 1, luns: {} });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('all 256 numbers taken: none free, and extra masks from elsewhere get none', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-luns-'));
    try {
      const luns = await LunRegistry.open(path.join(dir, 'luns.json'));
      const vols = Array.from({ length: 257 }, (_, i) => `V${i}`);
      const table = await luns.reconcile(new Map([['AG', vols]]), true);
      assert.equal(table.get('AG')?.size, 256);
      assert.equal(luns.lowestFree('AG'), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a damaged file is refused, not reset', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-luns-'));
    try {
      const file = path.join(dir, 'luns.json');
      for (const text of ['not json', '{"version": 2, "luns": {}}', '{"version": 1, "luns": {"A": {"V": -1}}}', '{"version": 1, "luns": {"A": 3}}']) {
        writeFileSync(file, text);
        await assert.rejects(LunRegistry.open(file), /Cannot use the state file/, text);
        assert.equal(readFileSync(file, 'utf8'), text);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
