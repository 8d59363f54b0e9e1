/**
 * The acceptance path, end to end with real processes only: the built lsmcli creates a volume and an access
 * group on tgt:// and masks the volume; a real iSCSI initiator (qemu-io through qemu's libiscsi driver, and
 * libiscsi's own tools) logs in to the real tgtd with the right initiator name and CHAP secret, writes a
 * pattern and reads it back. A wrong initiator name, a wrong secret, no secret and a wrong target secret
 * (mutual CHAP) are refused. After unmask the initiator cannot log in. After tgtd is killed and restarted
 * empty, the next plugin session replays the state and the data is there again.
 *
 * CHAP secrets are set through the SDK, not lsmcli's `iscsi-chap --in-pass` (that puts them in argv).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type IscsiLogin, qemuIo, readCapacity, totalSize, writeAndVerify } from '../fixtures/iscsi-initiator.js';
import { PREFIX, tgtEnv, type TgtEnv } from './tgt-env.js';

const HOST = 'iqn.2024-01.org.openlsm.test:host1';
const STRANGER = 'iqn.2024-01.org.openlsm.test:stranger';
// A second host keeps a target on tgtd throughout: a tgtd with no target at all resets every iSCSI connection
// instead of answering "target not found", which would make the refusals below indistinguishable.
const OTHER_HOST = 'iqn.2024-01.org.openlsm.test:host2';
const SECOND = 'iqn.2024-01.org.openlsm.test:host1b';
const IN_USER = 'host1-chap';
const IN_SECRET = 'in-secret-4812';
const OUT_USER = 'target-chap';
const OUT_SECRET = 'out-secret-9035';
const MiB = 1024 * 1024;

let env: TgtEnv;

before(async () => {
  env = await tgtEnv();
});

after(async () => {
  await env?.cleanup();
});

interface PortJson {
  service_address: string;
  network_address: string;
}

async function login(): Promise<IscsiLogin> {
  const ports = (await env.json<PortJson[]>(['list', '--type', 'target_ports'])).filter((p) => p.service_address.endsWith('.host1'));
  assert.equal(ports.length, 1, 'one target for the group, on the one portal');
  const [port] = ports as [PortJson];
  assert.equal(port.network_address, env.tgtd.portal);
  return { portal: port.network_address, target: port.service_address, lun: 1, initiator: HOST, user: IN_USER, secret: IN_SECRET };
}

async function refused(l: IscsiLogin, status: RegExp): Promise<void> {
  const r = await readCapacity(l);
  assert.notEqual(r.code, 0, `login must fail: ${r.stdout}`);
  assert.match(r.stdout + r.stderr, status);
}

test('lsmcli provisions; a real initiator logs in with the right name and CHAP, writes and reads back', async () => {
  await env.ok(['volume-create', '--name', 'vol1', '--size', '64MiB', '--pool', 'images']);
  await env.ok(['access-group-create', '--name', 'host1', '--init', HOST, '--sys', 'tgt']);
  const client = await env.connect();
  await client.iscsiChapAuth({ init_id: HOST, in_user: IN_USER, in_password: IN_SECRET, out_user: null, out_password: null });
  await env.ok(['volume-mask', '--vol', 'images/vol1', '--ag', 'ag-1']);
  const [pool] = await client.pools();
  const [system] = await client.systems();
  assert.ok(pool && system);
  const vol2 = await client.volumeCreate({ pool, volume_name: 'vol2', size_bytes: 16n << 20n });
  await client.volumeMask({ access_group: await client.accessGroupCreate({ name: 'host2', init_id: OTHER_HOST, init_type: 5, system }), volume: vol2 });

  const l = await login();
  assert.equal(l.target, `${PREFIX}:ag1.host1`);
  const capacity = await readCapacity(l);
  assert.equal(capacity.code, 0, capacity.stdout + capacity.stderr);
  assert.equal(totalSize(capacity), BigInt(64 * MiB), 'the initiator sees the volume\'s size');

  const io = await writeAndVerify(l, 0xa5, '0', '1M');
  assert.ok(io.verified, io.stdout + io.stderr);
  const tail = await writeAndVerify(l, 0x3c, String(63 * MiB), '1M');
  assert.ok(tail.verified, tail.stdout + tail.stderr);
  const mismatch = await qemuIo(l, ['read -P 0x00 0 4k']);
  assert.match(mismatch.stdout, /Pattern verification failed/, 'the pattern check itself can fail');
});

test('a wrong initiator name, a wrong secret and no secret are refused', async () => {
  const l = await login();
  await refused({ ...l, initiator: STRANGER }, /Target not found\(515\)/);
  await refused({ ...l, secret: 'wrong-secret-0000' }, /Authentication failure\(513\)/);
  const { user: _u, secret: _s, ...anonymous } = l;
  await refused(anonymous, /Authentication failure\(513\)/);
});

test('mutual CHAP: the target proves itself; a wrong target secret is refused by the initiator', async () => {
  const client = await env.connect();
  await client.iscsiChapAuth({ init_id: HOST, in_user: IN_USER, in_password: IN_SECRET, out_user: OUT_USER, out_password: OUT_SECRET });
  const l = await login();
  const mutual = await readCapacity({ ...l, targetUser: OUT_USER, targetSecret: OUT_SECRET });
  assert.equal(mutual.code, 0, mutual.stdout + mutual.stderr);
  await refused({ ...l, targetUser: OUT_USER, targetSecret: 'not-the-target-secret' }, /CHAP_R|CHAP/i);
});

test('two hosts of a group share the target; one taken out of the group is logged out and refused', async () => {
  const client = await env.connect();
  await client.iscsiChapAuth({ init_id: SECOND, in_user: 'host1b-chap', in_password: 'second-secret-77', out_user: OUT_USER, out_password: OUT_SECRET });
  await env.ok(['access-group-add', '--ag', 'ag-1', '--init', SECOND]);
  const l = await login();
  const second = { ...l, initiator: SECOND, user: 'host1b-chap', secret: 'second-secret-77' };
  // A session that stays open (qemu-io waits), watched from tgtd's side; qemu itself would then try to
  // reconnect forever, so the test stops it.
  const stop = new AbortController();
  const session = qemuIo(second, ['read -P 0xa5 0 4k', 'sleep 60000'], 90_000, stop.signal);
  const hasSession = async () => (await env.tgtd.admin.targets()).some((t) => t.nexuses.some((n) => n.initiator === SECOND));
  try {
    const deadline = Date.now() + 20_000;
    while (!(await hasSession())) {
      assert.ok(Date.now() < deadline, 'the second host logged in');
      await new Promise((r) => setTimeout(r, 50));
    }
    await env.ok(['access-group-remove', '--ag', 'ag-1', '--init', SECOND]);
    assert.equal(await hasSession(), false, 'tgtd closed the session of the host taken out');
  } finally {
    stop.abort();
    await session;
  }
  await refused(second, /Target not found\(515\)/);
  assert.equal((await readCapacity(l)).code, 0, 'the first host is unaffected');
});

test('after unmask the initiator can no longer log in', async () => {
  const l = await login();
  await env.ok(['volume-unmask', '--vol', 'images/vol1', '--ag', 'ag-1']);
  const ports = await env.json<PortJson[]>(['list', '--type', 'target_ports']);
  assert.deepEqual(ports.map((p) => p.service_address), [`${PREFIX}:ag2.host2`], 'only host2\'s target is left');
  await refused(l, /Target not found\(515\)/);
});

test('a tgtd restart empties tgtd; the next session replays the state and the data is back', async () => {
  await env.ok(['volume-mask', '--vol', 'images/vol1', '--ag', 'ag-1']);
  const l = await login();
  assert.equal((await readCapacity(l)).code, 0);
  await env.tgtd.kill();
  await env.tgtd.restart();
  assert.deepEqual(await env.tgtd.admin.targets(), [], 'tgtd came back with nothing');
  // An empty tgtd resets the connection rather than answering the login.
  await refused(l, /Can not reconnect right now|Target not found\(515\)/);

  await env.ok(['list', '--type', 'systems']); // any session: plugin_register replays
  const back = await readCapacity({ ...l, targetUser: OUT_USER, targetSecret: OUT_SECRET });
  assert.equal(back.code, 0, back.stdout + back.stderr);
  const read = await qemuIo(l, ['read -P 0xa5 0 1M', `read -P 0x3c ${63 * MiB} 1M`]);
  assert.equal(read.code, 0, read.stdout + read.stderr);
  assert.doesNotMatch(read.stdout, /Pattern verification failed/);
  await refused({ ...l, secret: 'wrong-secret-0000' }, /Authentication failure\(513\)/);
});
