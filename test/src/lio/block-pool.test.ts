// A block-device pool: configured devices (loop devices over sparse files here, made with losetup) served one per
// volume as block (iblock) objects, on the emulated configfs. Sizes come from sysfs; a device that holds a
// volume is not free; deleting the volume never touches the device's data.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Pool, Volume } from '@openlsm/core';
import { emulationUnavailable } from '../fixtures/configfs/index.js';
import { newLio, TARGET_IQN } from './harness.js';

function loopUnavailable(): string | undefined {
  const why = emulationUnavailable();
  if (why) return why;
  if (spawnSync('losetup', ['--version']).status !== 0) return 'losetup is missing';
  if (!fs.existsSync('/dev/loop-control')) return 'no loop devices here';
  return undefined;
}

describe('lio:// block-device pool', { skip: loopUnavailable() }, () => {
  test('one volume per device, sizes from sysfs, the device kept on delete', async (t) => {
    const lio = await newLio(t);
    const devices: string[] = [];
    t.after(() => { for (const d of devices) spawnSync('losetup', ['-d', d]); });
    for (const [name, mib] of [['small', 8], ['large', 16]] as const) {
      const file = path.join(lio.dir, `${name}.raw`);
      fs.writeFileSync(file, '');
      fs.truncateSync(file, mib * 1024 * 1024);
      try {
        devices.push(execFileSync('losetup', ['--find', '--show', file], { encoding: 'utf8' }).trim());
      } catch (err) {
        t.skip(`cannot attach a loop device here: ${(err as Error).message.split('\n')[0]}`);
        return;
      }
    }
    fs.writeFileSync(`${lio.dir}/lio.yaml`, [
      `target_iqn: ${TARGET_IQN}`, 'portals: ["127.0.0.1:3260"]', 'pools:', `  images: { directory: ${lio.images} }`,
      `  disks: { devices: [${devices.join(', ')}] }`, '',
    ].join('\n'));
    const disks = () => lio.json<Pool[]>(['list', '--type', 'pools']).then((p) => p.find((x) => x.id === 'disks') as Pool);
    const before = await disks();
    assert.equal(before.total_space, 24 * 1024 * 1024);
    assert.equal(before.free_space, 24 * 1024 * 1024);

    const [vol] = await lio.json<Volume[]>(['volume-create', '--name', 'blk1', '--size', '10MiB', '--pool', 'disks']);
    assert.equal(vol?.pool_id, 'disks');
    assert.equal(vol?.num_of_blocks, (16 * 1024 * 1024) / 512, 'the smallest device large enough: the whole 16 MiB');
    const T = (p: string) => fs.readFileSync(path.join(lio.cfs.root, 'target', p), 'utf8');
    assert.equal(T('core/iblock_0/blk1/udev_path'), `${devices[1]}\n`);
    assert.match(T('core/iblock_0/blk1/info'), /UDEV PATH: \/dev\/loop\d+ {2}readonly: 0/);
    assert.equal((await disks()).free_space, 8 * 1024 * 1024);
    const full = await lio.cli(['volume-create', '--name', 'blk2', '--size', '10MiB', '--pool', 'disks']);
    assert.match(full.stderr, /^NOT_ENOUGH_SPACE\(350\): Pool disks has no free device of at least 10485760 bytes/);
    const resize = await lio.cli(['-f', 'volume-resize', '--vol', vol.id, '--size', '20MiB']);
    assert.match(resize.stderr, /^NO_SUPPORT\(153\)/);
    assert.equal(lio.saveconfig().storage_objects[0]?.plugin, 'block');

    fs.writeFileSync(devices[1] as string, 'data on the device');
    await lio.ok(['-f', 'volume-delete', '--vol', vol.id]);
    assert.equal(fs.existsSync(path.join(lio.cfs.root, 'target/core/iblock_0')), false);
    assert.equal(fs.readFileSync(devices[1] as string).subarray(0, 18).toString(), 'data on the device');
    assert.equal((await disks()).free_space, 24 * 1024 * 1024);
  });

  test('capabilities say exactly what works', async (t) => {
    const lio = await newLio(t);
    const caps = await lio.ok(['capabilities', '--sys', 'lio']);
    for (const cap of ['VOLUME_CREATE', 'VOLUME_RESIZE', 'VOLUME_REPLICATE_COPY', 'VOLUME_MASK', 'ACCESS_GROUP_CREATE_ISCSI_IQN', 'VOLUME_ISCSI_CHAP_AUTHENTICATION', 'TARGET_PORTS']) {
      assert.match(caps, new RegExp(`^${cap}\\s+\\| SUPPORTED`, 'm'), cap);
    }
    for (const cap of ['VOLUME_REPLICATE_CLONE', 'ACCESS_GROUP_CREATE_WWPN', 'FS', 'VOLUME_ENABLE']) {
      assert.match(caps, new RegExp(`^${cap}\\s+\\| UNSUPPORTED`, 'm'), cap);
    }
  });
});
