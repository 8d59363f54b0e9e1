/**
 * Replay and reconciliation against a real tgtd: what tgtd holds is made to match the plugin's state at every
 * session start, without touching targets that are not the plugin's; drift (a LUN removed, an address rule
 * added by hand) is repaired; an account whose secret on tgtd is unknown (the journal of a crash) is
 * recreated; and one broken volume neither stops the others from being replayed nor lets a change half-apply.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorNumber, LsmError, type Volume } from '@openlsm/core';
import { parseState } from '@openlsm/plugin-tgt';
import { readCapacity } from '../fixtures/iscsi-initiator.js';
import { PREFIX, tgtEnv, type TgtEnv } from './tgt-env.js';

const H1 = 'iqn.2024-01.org.openlsm.test:replay1';
const H2 = 'iqn.2024-01.org.openlsm.test:replay2';
const FOREIGN = 'iqn.2024-01.org.example:foreign';

let env: TgtEnv;

before(async () => {
  env = await tgtEnv();
});

after(async () => {
  await env?.cleanup();
});

/** tgtadm, as a test-only stand-in for an admin changing tgtd by hand. */
function tgtadm(args: string[]): void {
  execFileSync('/usr/sbin/tgtadm', ['-C', '0', '--lld', 'iscsi', ...args], {
    env: { PATH: '/usr/sbin:/usr/bin', TGT_IPC_SOCKET: path.join(env.tgtd.dir, 'tgtd.sock') },
    stdio: 'pipe',
  });
}

async function ownTarget(name: string) {
  return (await env.tgtd.admin.targets()).find((t) => t.name === name);
}

async function volume(name: string): Promise<Volume> {
  const client = await env.connect();
  const [v] = await client.volumes({ search_key: 'id', search_value: `images/${name}` });
  assert.ok(v, name);
  return v;
}

test('a foreign target keeps its tid and content; the plugin\'s target takes another tid', async () => {
  const foreignImage = path.join(env.tgtd.dir, 'foreign.img');
  writeFileSync(foreignImage, '');
  truncateSync(foreignImage, 8 * 1024 * 1024);
  await env.tgtd.admin.newTarget(1, FOREIGN);
  await env.tgtd.admin.newLun(1, 1, { path: foreignImage });
  await env.tgtd.admin.bindInitiatorName(1, H1);

  const client = await env.connect();
  const [pool] = await client.pools();
  assert.ok(pool);
  for (const name of ['r1', 'r2', 'r3', 'r4']) await client.volumeCreate({ pool, volume_name: name, size_bytes: 4n << 20n });
  const system = (await client.systems())[0];
  assert.ok(system);
  const ag1 = await client.accessGroupCreate({ name: 'replay1', init_id: H1, init_type: 5, system });
  const ag2 = await client.accessGroupCreate({ name: 'replay2', init_id: H2, init_type: 5, system });
  await client.volumeMask({ access_group: ag1, volume: await volume('r1') });
  await client.volumeMask({ access_group: ag1, volume: await volume('r2') });
  await client.volumeMask({ access_group: ag2, volume: await volume('r3') });

  const targets = await env.tgtd.admin.targets();
  const foreign = targets.find((t) => t.name === FOREIGN);
  assert.deepEqual([foreign?.tid, foreign?.luns.map((l) => l.path), foreign?.acls], [1, [null, foreignImage], [H1]]);
  const mine = targets.filter((t) => t.name.startsWith(PREFIX));
  assert.deepEqual(mine.map((t) => t.tid).sort(), [2, 3]);
  assert.ok(mine.every((t) => t.state === 'ready'));
});

test('drift is repaired at the next session: a LUN removed and an address rule added by hand', async () => {
  const name = `${PREFIX}:ag1.replay1`;
  const before = await ownTarget(name);
  assert.ok(before);
  tgtadm(['--op', 'delete', '--mode', 'logicalunit', '--tid', String(before.tid), '--lun', '2']);
  tgtadm(['--op', 'bind', '--mode', 'target', '--tid', String(before.tid), '--initiator-address', 'ALL']);
  assert.deepEqual((await ownTarget(name))?.acls, ['ALL', H1], 'tgtd ORs these: ALL would admit any initiator name');

  await env.session();
  const after = await ownTarget(name);
  assert.deepEqual(after?.acls, [H1]);
  assert.deepEqual(after?.luns.map((l) => l.lun), [0, 1, 2]);
  assert.deepEqual((await ownTarget(FOREIGN))?.acls, [H1], 'the foreign target was left as it was');
});

test('an account in the journal (a crash between tgtd and the state file) is recreated with the recorded secret', async () => {
  const client = await env.connect();
  await client.iscsiChapAuth({ init_id: H2, in_user: 'replay2-chap', in_password: 'recorded-secret-1', out_user: null, out_password: null });
  // What a crash mid-change leaves: tgtd holds a secret the state does not know, and the name is in the journal.
  await env.tgtd.admin.deleteAccount('replay2-chap');
  await env.tgtd.admin.newAccount('replay2-chap', 'unknown-secret-2');
  const t = await ownTarget(`${PREFIX}:ag2.replay2`);
  assert.ok(t);
  await env.tgtd.admin.bindAccount(t.tid, 'replay2-chap', false);
  const stateFile = path.join(env.stateDir, 'state.json');
  const doc = JSON.parse(readFileSync(stateFile, 'utf8')) as { dirtyAccounts: string[] };
  doc.dirtyAccounts = ['replay2-chap'];
  writeFileSync(stateFile, JSON.stringify(doc), { mode: 0o600 });

  const l = { portal: env.tgtd.portal, target: t.name, lun: 1, initiator: H2, user: 'replay2-chap' };
  assert.equal((await readCapacity({ ...l, secret: 'unknown-secret-2' })).code, 0, 'the stray secret works before the replay');
  await env.session();
  assert.equal((await readCapacity({ ...l, secret: 'recorded-secret-1' })).code, 0);
  assert.notEqual((await readCapacity({ ...l, secret: 'unknown-secret-2' })).code, 0);
  assert.deepEqual(parseState(JSON.parse(readFileSync(stateFile, 'utf8'))).dirtyAccounts, []);
});

test('a volume deleted behind the plugin\'s back: the others replay, a change to its target fails whole', async () => {
  rmSync(path.join(env.poolDir, 'r1'));
  await env.tgtd.kill();
  await env.tgtd.restart();

  const session = await env.cli(['list', '--type', 'systems']);
  assert.equal(session.code, 0, session.stderr);
  assert.match(session.stderr, /could not be brought in line for .*ag1\.replay1/, 'the broken target is reported');
  const h2 = await ownTarget(`${PREFIX}:ag2.replay2`);
  assert.equal(h2?.state, 'ready');
  assert.equal((await readCapacity({ portal: env.tgtd.portal, target: h2.name, lun: 1, initiator: H2, user: 'replay2-chap', secret: 'recorded-secret-1' })).code, 0);
  const h1 = await ownTarget(`${PREFIX}:ag1.replay1`);
  assert.equal(h1?.state, 'offline', 'a target that could not be built completely stays closed');

  const client = await env.connect();
  const [ag1] = await client.accessGroups({ search_key: 'id', search_value: 'ag-1' });
  assert.ok(ag1);
  await assert.rejects(client.volumeMask({ access_group: ag1, volume: await volume('r4') }), (err) => {
    assert.ok(err instanceof LsmError);
    assert.equal(err.code, ErrorNumber.NOT_FOUND_VOLUME);
    assert.match(err.message, /LUN 1 of target .*ag1.replay1 cannot be served: its volume.s data .*\/pool\/r1 is gone/);
    return true;
  });
  assert.deepEqual((await client.volumesAccessibleByAccessGroup({ access_group: ag1 })).map((v) => v.name), ['r2'], 'the mask was not recorded');

  const r1 = { ...(await volume('r2')), id: 'images/r1', name: 'r1' };
  await client.volumeUnmask({ access_group: ag1, volume: r1 });
  const repaired = await ownTarget(`${PREFIX}:ag1.replay1`);
  assert.deepEqual([repaired?.state, repaired?.luns.map((l) => l.lun)], ['ready', [0, 2]]);
  await assert.rejects(client.volumeUnmask({ access_group: ag1, volume: r1 }), (err) => err instanceof LsmError && err.code === ErrorNumber.NO_STATE_CHANGE);
});

test('a lost state file does not wipe tgtd: the session is refused until the file is back', async () => {
  const stateFile = path.join(env.stateDir, 'state.json');
  const aside = `${stateFile}.aside`;
  renameSync(stateFile, aside);
  const before = (await env.tgtd.admin.targets()).filter((t) => t.name.startsWith(PREFIX)).length;
  const refused = await env.cli(['list', '--type', 'systems']);
  assert.equal(refused.code, 4);
  assert.match(refused.stderr, /state file .* is missing, but tgtd serves \d+ target\(s\) under/);
  assert.equal((await env.tgtd.admin.targets()).filter((t) => t.name.startsWith(PREFIX)).length, before, 'nothing removed');
  renameSync(aside, stateFile);
  await env.session();
});
