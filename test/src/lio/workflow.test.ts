// The whole block workflow with the built lsmcli against lio:// on an emulated configfs (see
// fixtures/configfs: the kernel's semantics in a FUSE mount; on a real machine the same calls hit the kernel).
// After each step: the tree holds exactly the objects rtslib would have made for it, and saveconfig.json is a
// complete dump of the tree in targetcli's format (the incremental save equals a full dump), mode 0600.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { AccessGroup, Volume } from '@openlsm/core';
import { emulationUnavailable, PYTHON } from '../fixtures/configfs/index.js';
import { canonical, INITIATOR_1, INITIATOR_2, newLio, type Lio, TARGET_IQN } from './harness.js';

const TPG = `iscsi/${TARGET_IQN}/tpgt_1`;

async function checkSaved(lio: Lio): Promise<void> {
  assert.equal(fs.statSync(lio.saveconfigPath).mode & 0o777, 0o600);
  assert.deepEqual(canonical(lio.saveconfig()), canonical(await lio.fullDump()), 'saveconfig.json is a full dump of the tree');
}

describe('lio:// block workflow through lsmcli', { skip: emulationUnavailable() }, () => {
  test('pools, volumes, resize, replicate, groups, masking, both queries, CHAP, unmask, delete', async (t) => {
    const lio = await newLio(t);
    const T = (p: string) => fs.readFileSync(path.join(lio.cfs.root, 'target', p), 'utf8');
    const has = (p: string) => fs.existsSync(path.join(lio.cfs.root, 'target', p));

    const pools = await lio.json<{ id: string; status: number }[]>(['list', '--type', 'pools']);
    assert.deepEqual(pools.map((p) => p.id), ['images', 'external']);

    // Volumes: a sparse image and a fileio object each, in rtslib's order of writes.
    const [vol1] = await lio.json<Volume[]>(['volume-create', '--name', 'vol1', '--size', '1GiB', '--pool', 'images']);
    const [vol2] = await lio.json<Volume[]>(['volume-create', '--name', 'vol2', '--size', '10MiB', '--pool', 'images']);
    assert.ok(vol1 && vol2);
    assert.equal(T('core/fileio_0/vol1/udev_path'), `${lio.images}/vol1.img\n`);
    assert.equal(T('core/fileio_0/vol1/enable'), '1\n');
    assert.equal(T('core/fileio_0/vol1/wwn/vpd_unit_serial'), `T10 VPD Unit Serial Number: ${vol1.id}\n`);
    assert.match(T('core/fileio_1/vol2/info'), /Size: 10485760 /);
    assert.equal(vol1.vpd83, `6001405${vol1.id.replaceAll('-', '').slice(0, 25)}`);
    const image = fs.statSync(path.join(lio.images, 'vol1.img'));
    assert.equal(image.size, 1024 ** 3);
    assert.ok(image.blocks * 512 < 1024 ** 2, 'the image is sparse');
    await checkSaved(lio);

    // Resize: the image grows and the kernel is told the new size.
    const [grown] = await lio.json<Volume[]>(['-f', 'volume-resize', '--vol', vol2.id, '--size', '20MiB']);
    assert.equal(grown?.num_of_blocks, (20 * 1024 * 1024) / 512);
    assert.match(T('core/fileio_1/vol2/info'), /Size: 20971520 /);
    assert.equal(fs.statSync(path.join(lio.images, 'vol2.img')).size, 20 * 1024 * 1024);
    await checkSaved(lio);

    // Replicate: a copy of the image, served by a new object (a job, waited for by lsmcli).
    fs.writeFileSync(path.join(lio.images, 'vol2.img'), 'data at the start', { flag: 'r+' });
    const [copy] = await lio.json<Volume[]>(['volume-replicate', '--vol', vol2.id, '--name', 'vol2copy', '--rep-type', 'COPY']);
    assert.ok(copy);
    assert.equal(copy.num_of_blocks, grown?.num_of_blocks);
    assert.equal(fs.readFileSync(path.join(lio.images, 'vol2copy.img')).subarray(0, 17).toString(), 'data at the start');
    assert.equal(T('core/fileio_2/vol2copy/udev_path'), `${lio.images}/vol2copy.img\n`);
    await checkSaved(lio);

    // An access group is a set of ACLs sharing a tag; the target and TPG 1 appear with the first one.
    const [ag] = await lio.json<AccessGroup[]>(['access-group-create', '--name', 'hosts', '--init', INITIATOR_1, '--sys', 'lio']);
    assert.equal(ag?.id, 'hosts');
    await lio.ok(['access-group-add', '--ag', 'hosts', '--init', INITIATOR_2]);
    assert.equal(T(`${TPG}/acls/${INITIATOR_1}/tag`), 'hosts');
    assert.equal(T(`${TPG}/acls/${INITIATOR_2}/tag`), 'hosts');
    assert.equal(T(`${TPG}/enable`), '1\n');
    assert.equal(T(`${TPG}/attrib/authentication`), '0\n');
    assert.ok(has(`${TPG}/np/127.0.0.1:3260`));
    await checkSaved(lio);

    // Masking: one TPG LUN per volume, mapped into every member under the same free number.
    await lio.ok(['volume-mask', '--vol', vol1.id, '--ag', 'hosts']);
    await lio.ok(['volume-mask', '--vol', vol2.id, '--ag', 'hosts']);
    const linkOf = (dir: string) => {
      const names = fs.readdirSync(path.join(lio.cfs.root, 'target', dir)).filter((n) => fs.lstatSync(path.join(lio.cfs.root, 'target', dir, n)).isSymbolicLink());
      assert.equal(names.length, 1, `${dir} has one link`);
      return path.relative(path.join(lio.cfs.root, 'target'), fs.realpathSync(path.join(lio.cfs.root, 'target', dir, names[0] as string)));
    };
    assert.equal(linkOf(`${TPG}/lun/lun_0`), 'core/fileio_0/vol1');
    assert.equal(linkOf(`${TPG}/lun/lun_1`), 'core/fileio_1/vol2');
    for (const init of [INITIATOR_1, INITIATOR_2]) {
      assert.equal(linkOf(`${TPG}/acls/${init}/lun_0`), `${TPG}/lun/lun_0`);
      assert.equal(linkOf(`${TPG}/acls/${init}/lun_1`), `${TPG}/lun/lun_1`);
      assert.equal(T(`${TPG}/acls/${init}/lun_1/write_protect`), '0\n');
    }
    assert.match(T('core/fileio_0/vol1/info'), /^Status: ACTIVATED/);
    const again = await lio.cli(['volume-mask', '--vol', vol1.id, '--ag', 'hosts']);
    assert.equal(again.code, 4);
    assert.match(again.stderr, /NO_STATE_CHANGE/);
    await checkSaved(lio);

    // Both queries.
    const visible = await lio.json<Volume[]>(['access-group-volumes', '--ag', 'hosts']);
    assert.deepEqual(visible.map((v) => v.name).sort(), ['vol1', 'vol2']);
    const granted = await lio.json<AccessGroup[]>(['volume-access-group', '--vol', vol1.id]);
    assert.deepEqual(granted.map((g) => g.id), ['hosts']);
    assert.deepEqual(await lio.json<AccessGroup[]>(['volume-access-group', '--vol', copy.id]), []);

    // CHAP, one-way then mutual: the ACL's auth files, and CHAP required for that initiator only.
    await lio.ok(['iscsi-chap', '--init', INITIATOR_1, '--in-user', 'host1user', '--in-pass', 'host1secret12', '--out-user', 'arrayuser', '--out-pass', 'arraysecret12']);
    assert.equal(T(`${TPG}/acls/${INITIATOR_1}/auth/userid`), 'host1user\n');
    assert.equal(T(`${TPG}/acls/${INITIATOR_1}/auth/password`), 'host1secret12\n');
    assert.equal(T(`${TPG}/acls/${INITIATOR_1}/auth/userid_mutual`), 'arrayuser\n');
    assert.equal(T(`${TPG}/acls/${INITIATOR_1}/auth/authenticate_target`), '1\n');
    assert.equal(T(`${TPG}/acls/${INITIATOR_1}/attrib/authentication`), '1\n');
    assert.equal(T(`${TPG}/acls/${INITIATOR_2}/attrib/authentication`), '-1\n');
    const acl = lio.saveconfig().targets[0]?.tpgs[0]?.node_acls.find((a) => a.node_wwn === INITIATOR_1);
    assert.equal(acl?.chap_password, 'host1secret12');
    const stranger = await lio.cli(['iscsi-chap', '--init', 'iqn.1994-05.com.example:stranger', '--in-user', 'u', '--in-pass', 'secret123456']);
    assert.match(stranger.stderr, /^NOT_FOUND_ACCESS_GROUP\(200\): Initiator "iqn.1994-05.com.example:stranger" is in no access group/);
    await checkSaved(lio);

    // Target ports: the TPG's portals.
    const ports = await lio.json<{ id: string; service_address: string; network_address: string }[]>(['list', '--type', 'target_ports']);
    assert.deepEqual(ports.map((p) => [p.service_address, p.network_address]), [[TARGET_IQN, '127.0.0.1:3260']]);

    // A masked volume is not deleted; unmask removes the mapped LUNs, then the TPG LUN nobody maps.
    const refused = await lio.cli(['-f', 'volume-delete', '--vol', vol1.id]);
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /IS_MASKED/);
    await lio.ok(['-f', 'volume-unmask', '--vol', vol1.id, '--ag', 'hosts']);
    assert.equal(has(`${TPG}/acls/${INITIATOR_1}/lun_0`), false);
    assert.equal(has(`${TPG}/lun/lun_0`), false);
    assert.ok(has(`${TPG}/lun/lun_1`));
    await lio.ok(['-f', 'volume-delete', '--vol', vol1.id]);
    assert.equal(has('core/fileio_0'), false);
    assert.equal(fs.existsSync(path.join(lio.images, 'vol1.img')), false);
    await checkSaved(lio);

    // Groups: the last initiator stays; a group with masked volumes stays.
    await lio.ok(['-f', 'access-group-remove', '--ag', 'hosts', '--init', INITIATOR_2]);
    assert.equal(has(`${TPG}/acls/${INITIATOR_2}`), false);
    const last = await lio.cli(['-f', 'access-group-remove', '--ag', 'hosts', '--init', INITIATOR_1]);
    assert.match(last.stderr, /LAST_INIT_IN_ACCESS_GROUP/);
    const busy = await lio.cli(['-f', 'access-group-delete', '--ag', 'hosts']);
    assert.match(busy.stderr, /IS_MASKED/);
    await lio.ok(['-f', 'volume-unmask', '--vol', vol2.id, '--ag', 'hosts']);
    await lio.ok(['-f', 'access-group-delete', '--ag', 'hosts']);
    assert.deepEqual(fs.readdirSync(path.join(lio.cfs.root, 'target', TPG, 'acls')), []);
    await checkSaved(lio);

    const saved = lio.saveconfig();
    assert.deepEqual(saved.storage_objects.map((so) => so.name), ['vol2', 'vol2copy']);
    assert.deepEqual(saved.targets.map((x) => x.wwn), [TARGET_IQN]);
    // Byte for byte the text Python's json module (rtslib's save_to_file) writes for this document.
    const python = spawnSync(PYTHON, ['-c', 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True, indent=2))', lio.saveconfigPath], { encoding: 'utf8' });
    assert.equal(python.stdout, lio.saveconfigText());
  });
});
