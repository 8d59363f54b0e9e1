// Persistence: saveconfig.json restored into an empty tree (a fresh configfs emulation standing in for the kernel
// after a reboot) reproduces the same tree, by `openlsm-lio restore` and by the plugin itself at start; the ids
// a new plugin process lists are the ids of before.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import type { AccessGroup, Volume } from '@openlsm/core';
import { emulationUnavailable, mountEmulatedConfigfs } from '../fixtures/configfs/index.js';
import { acrossKernels, canonical, newLio, openlsmLio } from './harness.js';
import { populateExample } from './in-process.js';

describe('lio:// restore after a reboot', { skip: emulationUnavailable() }, () => {
  test('openlsm-lio restore into an empty tree reproduces the tree; a new process lists the same ids', async (t) => {
    const lio = await newLio(t);
    await populateExample(t, lio);
    const before = acrossKernels(lio.snapshot());
    const volumes = await lio.json<Volume[]>(['list', '--type', 'volumes']);
    const groups = await lio.json<AccessGroup[]>(['list', '--type', 'access_groups']);
    assert.deepEqual(groups.map((g) => g.name).sort(), ['group.with.dots', 'hosts']);

    // The reboot: the same settings against a new, empty kernel tree.
    const fresh = await mountEmulatedConfigfs();
    t.after(() => fresh.unmount());
    const args = ['--configfs', fresh.root, '--config', `${lio.dir}/lio.yaml`, '--saveconfig', lio.saveconfigPath];
    const r = await openlsmLio(['restore', ...args]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /restored .*saveconfig\.json\n$/);
    const after = await newLio(t, { configfs: fresh });
    fs.copyFileSync(`${lio.dir}/lio.yaml`, `${after.dir}/lio.yaml`);
    fs.copyFileSync(lio.saveconfigPath, after.saveconfigPath);
    fs.copyFileSync(lio.statePath, after.statePath);
    assert.deepEqual(acrossKernels(after.snapshot()), before, 'the same tree');
    assert.deepEqual(canonical(await after.fullDump()), canonical(lio.saveconfig()));
    // lio.yaml names the same image directory: the files are where they were.
    assert.deepEqual(await after.json<Volume[]>(['list', '--type', 'volumes']), volumes, 'the same volume ids');
    assert.deepEqual(await after.json<AccessGroup[]>(['list', '--type', 'access_groups']), groups, 'the same group ids and names');

    // A second restore over existing objects is refused, unless told to clear.
    const again = await openlsmLio(['restore', ...args]);
    assert.equal(again.code, 4);
    assert.match(again.stderr, /^openlsm-lio: storageobject 'fileio:vol1' exist not restoring\n$/);
    const cleared = await openlsmLio(['restore', '--clear', ...args]);
    assert.equal(cleared.code, 0, cleared.stderr);
    // Clearing first writes "NULL" to discovery authentication, as rtslib's clear_existing does (same meaning).
    assert.deepEqual(acrossKernels(after.snapshot()), before);
  });

  test('the plugin restores saveconfig.json itself when it finds the tree empty', async (t) => {
    const lio = await newLio(t);
    await populateExample(t, lio);
    const before = acrossKernels(lio.snapshot());
    const volumes = await lio.json<Volume[]>(['list', '--type', 'volumes']);
    const fresh = await mountEmulatedConfigfs();
    t.after(() => fresh.unmount());
    const uri = lio.uri.replace(lio.cfs.root, fresh.root);
    const { lsmcli } = await import('../cli/harness.js');
    const listed = await lsmcli(['-u', uri, '-o', 'json', 'list', '--type', 'volumes']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout), volumes);
    const restored = await newLio(t, { configfs: fresh });
    assert.deepEqual(acrossKernels(restored.snapshot()), before);
  });

  test('openlsm-lio save writes the whole tree; restore of a missing file is nothing to do', async (t) => {
    const lio = await newLio(t);
    await populateExample(t, lio);
    const saved = lio.saveconfigText();
    fs.rmSync(lio.saveconfigPath);
    const args = ['--configfs', lio.cfs.root, '--config', `${lio.dir}/lio.yaml`, '--saveconfig', lio.saveconfigPath];
    const r = await openlsmLio(['save', ...args]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lio.saveconfigText(), saved, 'a full dump equals the incrementally saved file');
    assert.equal(fs.statSync(lio.saveconfigPath).mode & 0o777, 0o600);
    const missing = await openlsmLio(['restore', '--configfs', lio.cfs.root, '--config', `${lio.dir}/lio.yaml`, '--saveconfig', `${lio.dir}/none.json`]);
    assert.equal(missing.code, 0);
    assert.match(missing.stderr, /none\.json does not exist: nothing to restore/);
    const bad = await openlsmLio(['restore', '--bogus']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^openlsm-lio: unexpected argument "--bogus"\nusage:/);
  });
});
