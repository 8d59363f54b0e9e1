// Names that must never reach a configfs path or an iSCSI name: each is refused with INVALID_ARGUMENT before
// anything is written, and the emulated tree (a FUSE emulation of the kernel's configfs), saveconfig.json and the
// pool directory stay exactly as they were. The kernel itself would accept most of them (it checks no IQN
// syntax, and takes any directory name for a storage object), so the plugin's own checks are what is tested.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { lsmcli } from '../cli/harness.js';
import { emulationUnavailable } from '../fixtures/configfs/index.js';
import { INITIATOR_1, newLio } from './harness.js';
import { connectLio } from './in-process.js';

const HOSTILE_NAMES = ['../x', 'a/b', 'x\ny', 'a'.repeat(10_000), '', '-rf', '.hidden', 'two words', 'a;b', 'tab\there'];
const BAD_IQNS = [
  'iqn.bad', 'iqn.2003-01.com.example:a b', 'iqn.2003-01.com.example_x:y', '../../etc/passwd',
  'iqn.2003-01.org.example:x\n', `iqn.2003-01.org.example:${'x'.repeat(10_000)}`, 'naa.1234', 'eui.12345', 'iqn.2003-13.org.example:x',
];

async function refused(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (err) {
    assert.ok(err instanceof LsmError, String(err));
    assert.equal(err.code, ErrorNumber.INVALID_ARGUMENT, err.message);
    assert.ok(err.message.length < 400, 'the message quotes a long name shortened');
    return err.message;
  }
  assert.fail('accepted');
}

describe('lio:// refuses hostile names', { skip: emulationUnavailable() }, () => {
  test('volume, access-group, initiator and CHAP values: INVALID_ARGUMENT and nothing changes', async (t) => {
    const lio = await newLio(t);
    const c = await connectLio(t, lio);
    await c.createVolume('keep');
    const [system] = await c.call<unknown[]>('systems');
    await c.call('access_group_create', { name: 'hosts', init_id: INITIATOR_1, init_type: 5, system });
    const tree = lio.snapshot();
    const saved = lio.saveconfigText();
    const images = fs.readdirSync(lio.images);
    const pool = await c.pool();
    const group = await c.group('hosts');
    const keep = await c.volume('keep');

    for (const name of HOSTILE_NAMES) {
      await refused(() => c.call('volume_create', { pool, volume_name: name, size_bytes: 1048576n }));
      await refused(() => c.call('access_group_create', { name, init_id: 'iqn.1994-05.com.example:other', init_type: 5, system }));
      await refused(() => c.call('volume_replicate', { pool: null, rep_type: 3, volume_src: keep, name }));
    }
    for (const iqn of BAD_IQNS) {
      await refused(() => c.call('access_group_create', { name: 'g2', init_id: iqn, init_type: 5, system }));
      await refused(() => c.call('access_group_initiator_add', { access_group: group, init_id: iqn, init_type: 5 }));
      await refused(() => c.call('iscsi_chap_auth', { init_id: iqn, in_user: 'u', in_password: 'p' }));
    }
    for (const secret of ['two words', 'NULL', 'x'.repeat(300), 'line\nbreak', 'tab\tin']) {
      await refused(() => c.call('iscsi_chap_auth', { init_id: INITIATOR_1, in_user: 'user', in_password: secret }));
      await refused(() => c.call('iscsi_chap_auth', { init_id: INITIATOR_1, in_user: secret, in_password: 'secret123456' }));
    }
    assert.deepEqual(lio.snapshot(), tree);
    assert.equal(lio.saveconfigText(), saved);
    assert.deepEqual(fs.readdirSync(lio.images), images);
  });

  test('through lsmcli: a name with a slash is refused with a message that quotes it safely', async (t) => {
    const lio = await newLio(t);
    const before = lio.snapshot();
    const r = await lio.cli(['volume-create', '--name', '../../etc/x', '--size', '1MiB', '--pool', 'images']);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^INVALID_ARGUMENT\(101\): Invalid volume name "..\/..\/etc\/x"/);
    assert.deepEqual(lio.snapshot(), before);
  });

  test('a bad target IQN or portal in the configuration, and unknown URI parameters, are refused at register', async (t) => {
    const lio = await newLio(t);
    fs.writeFileSync(`${lio.dir}/lio.yaml`, 'target_iqn: iqn.2003-01.org.example_bad:x\n');
    let r = await lio.cli(['list', '--type', 'pools']);
    assert.match(r.stderr, /^INVALID_ARGUMENT\(101\): target_iqn "iqn.2003-01.org.example_bad:x" contains '_'/);
    fs.writeFileSync(`${lio.dir}/lio.yaml`, 'portals: ["999.1.1.1:3260"]\n');
    r = await lio.cli(['list', '--type', 'pools']);
    assert.match(r.stderr, /^INVALID_ARGUMENT\(101\): Invalid portal "999.1.1.1:3260"/);
    fs.writeFileSync(`${lio.dir}/lio.yaml`, 'pool: {}\n');
    r = await lio.cli(['list', '--type', 'pools']);
    assert.match(r.stderr, /unknown setting "pool"/);
    r = await lsmcli(['-u', `${lio.uri}&statefile=/x`, 'list', '--type', 'pools']);
    assert.match(r.stderr, /Unknown lio:\/\/ parameter "statefile"/);
  });
});
