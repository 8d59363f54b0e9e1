/**
 * openlsm's tgtd client against a real tgtd (test/src/fixtures/tgtd.ts): what it configures is what tgtadm,
 * asked independently, reports; hostile values never reach tgtd (which would crash or misparse them); more
 * requests at once than tgtd's listen backlog all succeed (connect EAGAIN is retried); the fixture stops tgtd
 * by its pid and a restarted tgtd starts empty.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { isTgtdError, TgtadmErr, TgtdAdmin, TgtdClient } from '@openlsm/plugin-tgt';
import { startTgtd, type Tgtd } from '../fixtures/tgtd.js';

let tgtd: Tgtd;

before(async () => {
  tgtd = await startTgtd();
});

after(async () => {
  await tgtd?.stop();
});

/** tgtadm's own view, as an independent check (tests only: product code never runs tgtadm). */
function tgtadmShow(mode: 'target' | 'account'): string {
  return execFileSync('/usr/sbin/tgtadm', ['-C', '0', '--lld', 'iscsi', '--op', 'show', '--mode', mode], {
    env: { PATH: '/usr/sbin:/usr/bin', TGT_IPC_SOCKET: path.join(tgtd.dir, 'tgtd.sock') },
    encoding: 'utf8',
  });
}

test('targets, LUNs, ACLs and accounts created over the socket are what tgtadm sees', async () => {
  const image = path.join(tgtd.dir, 'proto.img');
  writeFileSync(image, '');
  truncateSync(image, 16 * 1024 * 1024);
  const { admin } = tgtd;
  await admin.newTarget(3, 'iqn.2024-01.org.openlsm.test:proto');
  await admin.newLun(3, 1, { path: image });
  await admin.setLunIdentity(3, 1, '0123456789abcdef01234567', 'SERIAL31');
  await admin.bindInitiatorName(3, 'iqn.2024-01.org.openlsm.test:host1');
  await admin.newAccount('proto-in', 'secret-in-1234');
  await admin.newAccount('proto-out', 'secret-out-1234');
  await admin.bindAccount(3, 'proto-in', false);
  await admin.bindAccount(3, 'proto-out', true);

  const seen = tgtadmShow('target');
  assert.match(seen, /^Target 3: iqn\.2024-01\.org\.openlsm\.test:proto$/m);
  assert.match(seen, new RegExp(`Backing store path: ${image.replace(/[.]/g, '\\.')}$`, 'm'));
  assert.match(seen, /SCSI ID: 0123456789abcdef01234567$/m);
  assert.match(seen, /^ {8}proto-in$/m);
  assert.match(seen, /^ {8}proto-out \(outgoing\)$/m);
  assert.match(seen, /^ {8}iqn\.2024-01\.org\.openlsm\.test:host1$/m);
  assert.match(tgtadmShow('account'), /proto-in/);

  const [target] = (await admin.targets()).filter((t) => t.tid === 3);
  assert.ok(target);
  assert.deepEqual(target.luns.map((l) => l.path), [null, image]);
  assert.deepEqual([target.incomingAccounts, target.outgoingAccount, target.acls], [['proto-in'], 'proto-out', ['iqn.2024-01.org.openlsm.test:host1']]);

  await assert.rejects(admin.newTarget(3, 'iqn.2024-01.org.openlsm.test:other'), (err) => isTgtdError(err, TgtadmErr.TARGET_EXIST));
  await assert.rejects(admin.newLun(3, 2, { path: path.join(tgtd.dir, 'missing.img') }), (err) => isTgtdError(err, TgtadmErr.INVALID_REQUEST));
  await assert.rejects(admin.bindAccount(3, 'proto-out', true), (err) => isTgtdError(err, TgtadmErr.OUTACCOUNT_EXIST));

  await admin.deleteAccount('proto-in');
  await admin.deleteTarget(3, false);
  assert.equal((await admin.targets()).filter((t) => t.tid === 3).length, 0);
  assert.deepEqual(await admin.accounts(), ['proto-out']);
  await admin.deleteAccount('proto-out');
});

test('hostile values are refused before they reach tgtd, and tgtd stays up', async () => {
  const { admin } = tgtd;
  const hostile = ['', 'iqn.x,targetname=iqn.evil', 'iqn.x\n', 'iqn.x; rm -rf /', 'x'.repeat(10 * 1024 * 1024)];
  for (const name of hostile) {
    await assert.rejects(admin.newTarget(4, name), (err) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT);
  }
  await admin.newTarget(4, 'iqn.2024-01.org.openlsm.test:hostile');
  for (const p of ['/tmp/a,bsoflags=direct', 'relative.img', '/tmp/../etc/shadow', '/tmp/a\nb']) {
    await assert.rejects(admin.newLun(4, 1, { path: p }), (err) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT);
  }
  await assert.rejects(admin.bindInitiatorName(4, 'iqn.a,initiator-address=ALL'), (err) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT);
  await assert.rejects(admin.newAccount('u,password=x', 'secret-1234'), (err) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT);
  assert.equal(await admin.systemState(), 'ready');
  const [target] = (await admin.targets()).filter((t) => t.tid === 4);
  assert.deepEqual([target?.luns.length, target?.acls], [1, []], 'nothing half-applied');
  await admin.deleteTarget(4, false);
});

test('300 requests at once, far beyond tgtd\'s listen backlog of 32, all succeed', async () => {
  const greedy = new TgtdAdmin(new TgtdClient({ socketPath: tgtd.socketPath, maxInFlight: 300 }));
  const states = await Promise.all(Array.from({ length: 300 }, () => greedy.systemState()));
  assert.equal(states.filter((s) => s === 'ready').length, 300);
});

test('after SIGKILL by pid and a restart, tgtd is empty: it keeps no state of its own', async () => {
  const { admin } = tgtd;
  await admin.newTarget(5, 'iqn.2024-01.org.openlsm.test:volatile');
  const pid = tgtd.pid;
  await tgtd.kill();
  assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the recorded pid is gone');
  await assert.rejects(admin.targets({ timeoutMs: 2_000 }), (err) => err instanceof LsmError && err.code === ErrorNumber.NETWORK_CONNREFUSED);
  await tgtd.restart();
  assert.notEqual(tgtd.pid, pid);
  assert.deepEqual(await admin.targets(), []);
  assert.deepEqual((await admin.portals()).map((p) => p.address), [tgtd.portal]);
});
