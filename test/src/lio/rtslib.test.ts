// Cross-checks with LIO's own tools, Debian's python3-rtslib-fb and targetcli-fb, run unchanged against the
// configfs emulation mounted at the real /sys/kernel/config in a private mount namespace (unshare -m; see
// fixtures/configfs/emulator/namespace.py). rtslib restores the saveconfig.json we wrote and dumps the same
// configuration, building the same tree we built; we list what targetcli made and restore what it saved.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { AccessGroup, Volume } from '@openlsm/core';
import { LSMCLI } from '../cli/harness.js';
import { emulationUnavailable, mountEmulatedConfigfs, PYTHON } from '../fixtures/configfs/index.js';
import {
  acrossKernels, canonical, inNamespace, newLio, openlsmLio, SNAPSHOT_PY, TARGET_IQN,
} from './harness.js';
import { populateExample } from './in-process.js';

function toolsMissing(): string | undefined {
  const why = emulationUnavailable();
  if (why) return why;
  if (spawnSync(PYTHON, ['-c', 'import rtslib_fb'], { encoding: 'utf8' }).status !== 0) return 'python3-rtslib-fb is not installed';
  for (const tool of ['targetcli', 'unshare', 'dbus-daemon']) {
    if (spawnSync('which', [tool]).status !== 0) return `${tool} is not installed (targetcli-fb, util-linux, dbus-daemon)`;
  }
  return undefined;
}


const RTSLIB_RESTORE_AND_DUMP = [
  'import json, sys, rtslib_fb',
  'root = rtslib_fb.RTSRoot()',
  'errors = root.restore_from_file(sys.argv[1], clear_existing=False)',
  'print(json.dumps({"errors": errors, "dump": root.dump()}))',
].join('\n');

describe('lio:// with rtslib and targetcli', { skip: toolsMissing() }, () => {
  test('rtslib restores our saveconfig.json, dumps the same configuration and builds the same tree', async (t) => {
    const lio = await newLio(t);
    await populateExample(t, lio);

    const [restored, tree, listing] = await inNamespace([
      { argv: [PYTHON, '-c', RTSLIB_RESTORE_AND_DUMP, lio.saveconfigPath] },
      { argv: [PYTHON, SNAPSHOT_PY, '/sys/kernel/config/target'] },
      { argv: ['targetcli', 'ls', '/'] },
    ]);
    assert.equal(restored?.code, 0, `${restored?.stderr}${restored?.stdout}`);
    const { errors, dump } = JSON.parse(restored?.stdout ?? '{}') as { errors: string[]; dump: unknown };
    assert.deepEqual(errors, [], 'rtslib restored every setting');
    assert.deepEqual(canonical(dump), canonical(lio.saveconfig()), 'rtslib dumps the configuration we saved');
    assert.equal(tree?.code, 0, tree?.stderr);
    assert.deepEqual(acrossKernels(JSON.parse(tree?.stdout ?? '{}') as Record<string, string>), acrossKernels(lio.snapshot()), 'rtslib made the tree we made');
    assert.equal(listing?.code, 0, listing?.stderr);
    assert.match(listing?.stdout ?? '', /o- vol1 .*\[.*vol1\.img \(8\.0MiB\) write-thru activated\]/);
    // targetcli shows ACLs sharing a tag as one group, as our access groups are.
    assert.match(listing?.stdout ?? '', /o- hosts .*\[\(group of 2\), Mapped LUNs: 2\]/);
  });

  test('we list what targetcli made, and restore the saveconfig.json targetcli wrote', async (t) => {
    const lio = await newLio(t);
    const alias = fs.mkdtempSync(path.join(lio.dir, 'configfs-'));
    const tcSave = path.join(lio.etc, 'targetcli.json');
    const ours = `lio://?configfs=${alias}&config=${lio.dir}/lio.yaml&saveconfig=${lio.etc}/ours.json`;
    const lsm = (...argv: string[]) => ({ argv: [process.execPath, LSMCLI, '-u', ours, '-o', 'json', ...argv] });
    const steps = [
      { argv: ['targetcli', 'set', 'global', 'auto_save_on_exit=false'] },
      { argv: ['targetcli', '/backstores/fileio', 'create', 'name=tcvol', `file_or_dev=${lio.images}/tcvol.img`, 'size=4M'] },
      { argv: ['targetcli', '/backstores/fileio', 'create', 'name=elsewhere', `file_or_dev=${lio.dir}/elsewhere.img`, 'size=2M'] },
      { argv: ['targetcli', '/iscsi', 'create', TARGET_IQN] },
      { argv: ['targetcli', `/iscsi/${TARGET_IQN}/tpg1/luns`, 'create', '/backstores/fileio/tcvol'] },
      { argv: ['targetcli', `/iscsi/${TARGET_IQN}/tpg1/acls`, 'create', 'iqn.1994-05.com.example:tchost'] },
      { argv: ['targetcli', 'saveconfig', tcSave] },
      lsm('list', '--type', 'volumes'),
      lsm('list', '--type', 'access_groups'),
      lsm('access-group-volumes', '--ag', 'iqn.1994-05.com.example:tchost'),
    ];
    const results = await inNamespace(steps, alias);
    results.forEach((r, i) => assert.equal(r.code, 0, `${steps[i]?.argv.join(' ')}: ${r.stderr}`));
    const volumes = JSON.parse(results[7]?.stdout ?? '[]') as Volume[];
    assert.deepEqual(volumes.map((v) => [v.name, v.pool_id]).sort(), [['elsewhere', 'external'], ['tcvol', 'images']]);
    const groups = JSON.parse(results[8]?.stdout ?? '[]') as AccessGroup[];
    assert.deepEqual(groups.map((g) => [g.id, g.init_ids]), [['iqn.1994-05.com.example:tchost', ['iqn.1994-05.com.example:tchost']]]);
    assert.deepEqual((JSON.parse(results[9]?.stdout ?? '[]') as Volume[]).map((v) => v.name), ['tcvol']);

    // targetcli's file, restored by us into a fresh kernel, dumps back to the same configuration.
    const fresh = await mountEmulatedConfigfs();
    t.after(() => fresh.unmount());
    const r = await openlsmLio(['restore', '--configfs', fresh.root, '--config', `${lio.dir}/lio.yaml`, '--saveconfig', tcSave]);
    assert.equal(r.code, 0, r.stderr);
    const again = await newLio(t, { configfs: fresh });
    assert.deepEqual(canonical(await again.fullDump()), canonical(JSON.parse(fs.readFileSync(tcSave, 'utf8'))));

    // Objects we did not make are left alone unless asked, and asked, we remove the object, never its file.
    fs.copyFileSync(`${lio.dir}/lio.yaml`, `${again.dir}/lio.yaml`);
    await again.ok(['-f', 'volume-unmask', '--vol', (volumes.find((v) => v.name === 'tcvol') as Volume).id, '--ag', 'iqn.1994-05.com.example:tchost']);
    for (const v of volumes) await again.ok(['-f', 'volume-delete', '--vol', v.id]);
    assert.deepEqual(await again.json<Volume[]>(['list', '--type', 'volumes']), []);
    assert.ok(fs.existsSync(`${lio.images}/tcvol.img`) && fs.existsSync(`${lio.dir}/elsewhere.img`), 'their files stay');
  });
});
