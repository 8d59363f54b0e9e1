// Two plugin processes changing one target at once (two lsmcli commands, or lsmcli and openlsmd) cannot corrupt
// it: every change runs under one lock (a SQLite exclusive lock the kernel releases if a holder dies), so no HBA
// index is taken twice and no update of saveconfig.json or the state file is lost. On the emulated configfs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import type { Volume } from '@openlsm/core';
import { emulationUnavailable } from '../fixtures/configfs/index.js';
import { canonical, newLio } from './harness.js';

describe('lio:// under concurrent changes', { skip: emulationUnavailable() }, () => {
  test('two processes creating volumes at once: all made, each once, all saved', async (t) => {
    const lio = await newLio(t);
    const chain = async (prefix: string) => {
      for (let i = 0; i < 4; i++) await lio.ok(['volume-create', '--name', `${prefix}${i}`, '--size', '1MiB', '--pool', 'images']);
    };
    await Promise.all([chain('a'), chain('b')]);
    const volumes = await lio.json<Volume[]>(['list', '--type', 'volumes']);
    assert.equal(volumes.length, 8);
    assert.equal(new Set(volumes.map((v) => v.plugin_data)).size, 8, 'eight storage objects, each in its own HBA');
    const saved = lio.saveconfig();
    assert.deepEqual(saved.storage_objects.map((so) => so.name).sort(), volumes.map((v) => v.name).sort());
    assert.deepEqual(canonical(saved), canonical(await lio.fullDump()));
    const state = JSON.parse(fs.readFileSync(lio.statePath, 'utf8')) as { volumes: Record<string, unknown> };
    assert.deepEqual(Object.keys(state.volumes).sort(), volumes.map((v) => v.id).sort());
  });
});
