import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pluginOfUri, startPluginEarly } from './early-plugin.js';

describe('early plugin start', () => {
  test('the plugin name is the scheme before "+", lower-cased', () => {
    assert.equal(pluginOfUri('sim://'), 'sim');
    assert.equal(pluginOfUri('TargetD+ssl://admin@host:18700'), 'targetd');
    assert.equal(pluginOfUri('sim://?statefile=/tmp/x'), 'sim');
    assert.equal(pluginOfUri('not a uri'), undefined);
    assert.equal(pluginOfUri('/path/only'), undefined);
  });

  test('nothing is started when a daemon socket serves the plugin or no executable exists', async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lsmcli-early-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'sim'), ''); // stands in for the daemon's socket: only its existence is checked
    assert.equal(await startPluginEarly('sim://', { LSM_UDS_PATH: dir }), undefined);
    assert.equal(await startPluginEarly('nosuchplugin://', { LSM_UDS_PATH: dir, OPENLSM_PLUGIN_DIR: dir }), undefined);
  });
});
