import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorNumber } from '@openlsm/core';
import type { TgtdLun, TgtdTarget } from '@openlsm/plugin-tgt';
import { type BackingKind, type LioInventory, planMigration } from './plan.js';
import { addSecret, emptySecrets } from './targets-conf.js';
import type { TgtSnapshot } from './tgt-source.js';

const MiB = 1024n * 1024n;

function lun(n: number, path: string, extra: Partial<TgtdLun> = {}): TgtdLun {
  return { lun: n, type: 'disk', scsiId: '', scsiSn: '', blockSize: 512, online: true, readonly: false, backingStoreType: 'rdwr', path, backingStoreFlags: '', ...extra };
}

const controller: TgtdLun = { ...lun(0, ''), type: 'controller', backingStoreType: 'null', path: null };

function target(tid: number, name: string, extra: Partial<TgtdTarget> = {}): TgtdTarget {
  return { tid, name, driver: 'iscsi', state: 'ready', nexuses: [], luns: [controller], incomingAccounts: [], outgoingAccount: null, acls: [], ...extra };
}

function snapshot(targets: TgtdTarget[], secrets: Record<string, string> = {}): TgtSnapshot {
  const source = emptySecrets();
  for (const [u, s] of Object.entries(secrets)) addSecret(source, u, s);
  return {
    socket: '/run/tgtd/socket.0', targets, portals: [{ address: '192.0.2.10:3260', tpgt: 1 }], secrets: source,
    uncertain: new Set(), groupNames: new Map([['iqn.2024-01.org.openlsm:ag1.web', 'web']]), secretFiles: ['/var/lib/openlsm/tgt/state.json'],
  };
}

const emptyLio: LioInventory = { targets: new Set(), objects: new Set(), devices: new Map() };
const files = (path: string): BackingKind => (path.startsWith('/dev/') ? { kind: 'block' } : path.includes('missing') ? { kind: 'missing' } : path.endsWith('/dir') ? { kind: 'other', what: 'a directory' } : { kind: 'file', sizeBytes: 8n * MiB });

test('one LIO target per tgtd target: LUN numbers, initiators, CHAP, one storage object per backing path', () => {
  const web = target(1, 'iqn.2024-01.org.openlsm:ag1.web', {
    luns: [controller, lun(1, '/srv/images/vol1'), lun(2, '/srv/images/vol2', { readonly: true })],
    acls: ['iqn.1994-05.com.example:web1', 'iqn.1994-05.com.example:web2'], incomingAccounts: ['webhost'], outgoingAccount: 'webtarget',
  });
  const db = target(2, 'iqn.2024-01.org.openlsm:ag2.db', { luns: [controller, lun(3, '/srv/images/vol1'), lun(4, '/dev/sdb')], acls: ['iqn.1994-05.com.example:db1'] });
  const plan = planMigration(snapshot([web, db], { webhost: 'in-secret-1', webtarget: 'out-secret-2' }), emptyLio, files);
  assert.deepEqual(plan.refusals, []);
  assert.deepEqual(plan.portals, ['192.0.2.10:3260']);
  assert.deepEqual(plan.storageObjects.map((so) => [so.plugin, so.name, so.dev, so.sizeBytes]),
    [['fileio', 'vol1', '/srv/images/vol1', 8n * MiB], ['fileio', 'vol2', '/srv/images/vol2', 8n * MiB], ['block', 'sdb', '/dev/sdb', 0n]]);
  const [t1, t2] = plan.saveconfig.targets;
  assert.equal(t1?.wwn, web.name);
  const tpg = t1?.tpgs[0];
  assert.equal(tpg?.enable, false, 'saved disabled: enabled once CHAP is enforced');
  assert.deepEqual(tpg?.luns.map((l) => [l.index, l.storage_object]), [[1, '/backstores/fileio/vol1'], [2, '/backstores/fileio/vol2']]);
  assert.deepEqual(tpg?.portals, [{ ip_address: '192.0.2.10', iser: false, offload: false, port: 3260 }]);
  const acl = tpg?.node_acls[0];
  assert.equal(acl?.tag, 'web', "the tgt plugin's group name is the tag");
  assert.deepEqual(acl?.mapped_luns.map((m) => [m.index, m.tpg_lun, m.write_protect]), [[1, 1, false], [2, 2, true]]);
  assert.deepEqual([acl?.chap_userid, acl?.chap_password, acl?.chap_mutual_userid, acl?.chap_mutual_password], ['webhost', 'in-secret-1', 'webtarget', 'out-secret-2']);
  assert.equal(t2?.tpgs[0]?.node_acls[0]?.tag, 'ag2-db', 'other targets: the name after the colon');
  assert.deepEqual(t2?.tpgs[0]?.luns.map((l) => [l.index, l.storage_object]), [[3, '/backstores/fileio/vol1'], [4, '/backstores/block/sdb']]);
  assert.equal(t2?.tpgs[0]?.node_acls[0]?.chap_userid, undefined);
});

test('every item LIO cannot take is refused with its target and what is wrong', () => {
  const targets = [
    target(1, 'iqn.2020-01.com.example:all', { acls: ['ALL'] }),
    target(2, 'iqn.2020-01.com.example:net', { acls: ['192.0.2.0/24', 'iqn.1994-05.com.example:h1'] }),
    target(3, 'iqn.2020-01.com.example:two', { incomingAccounts: ['a', 'b'] }),
    target(4, 'iqn.2020-01.com.example:out', { outgoingAccount: 'o' }),
    target(5, 'iqn.2020-01.com.example:unknown', { incomingAccounts: ['nobody'] }),
    target(6, 'iqn.2020-01.com.example:cd', { luns: [controller, lun(1, '/srv/x.iso', { type: 'cd/dvd' })] }),
    target(7, 'iqn.2020-01.com.example:aio', { luns: [controller, lun(1, '/srv/a', { backingStoreType: 'aio' })] }),
    target(8, 'iqn.2020-01.com.example:high', { luns: [controller, lun(300, '/srv/h')] }),
    target(9, 'iqn.2020-01.com.example:gone', { luns: [controller, lun(1, '/srv/missing')] }),
    target(10, 'iqn.2020-01.com.example:dir', { luns: [controller, lun(1, '/srv/dir')] }),
    target(11, 'iqn.2020-01.com.example:under_score'),
    target(12, 'iqn.2020-01.com.example:taken'),
    target(13, 'iqn.2020-01.com.example:served', { luns: [controller, lun(1, '/srv/served')] }),
    target(14, 'iqn.2020-01.com.example:Case'),
    target(15, 'iqn.2020-01.com.example:case'),
  ];
  const lio: LioInventory = { targets: new Set(['iqn.2020-01.com.example:taken']), objects: new Set(), devices: new Map([['/srv/served', 'fileio/other']]) };
  const plan = planMigration(snapshot(targets, { a: 'sa-12345', b: 'sb-12345', o: 'so-12345' }), lio, files);
  const by = (tid: number) => plan.refusals.filter((r) => r.target === targets[tid - 1]?.name).map((r) => r.reason).join(' | ');
  assert.match(by(1), /admits initiators by address \(ALL\); LIO's ACLs are initiator names only/);
  assert.match(by(2), /by address \(192\.0\.2\.0\/24\)/);
  assert.match(by(3), /2 incoming CHAP accounts \(a, b\)/);
  assert.match(by(4), /outgoing account o without an incoming one/);
  assert.match(by(5), /secret of incoming account nobody is unknown: tgtd never reveals secrets.*--targets-conf/);
  assert.match(by(6), /LUN 1 is a cd\/dvd device/);
  assert.match(by(7), /"aio" backing store/);
  assert.match(by(8), /LUN 300 is above 255/);
  assert.match(by(9), /\/srv\/missing does not exist/);
  assert.match(by(10), /is a directory, neither a file nor a block device/);
  assert.match(by(11), /contains '_'/);
  assert.match(by(12), /LIO already has a target iqn\.2020-01\.com\.example:taken/);
  assert.match(by(13), /already served by LIO's storage object fileio\/other/);
  assert.match(by(15), /its name is iqn\.2020-01\.com\.example:Case's in LIO's lower case/);
  assert.equal(plan.refusals.find((r) => r.target.endsWith(':taken'))?.code, ErrorNumber.NAME_CONFLICT);
  assert.equal(plan.refusals.find((r) => r.target.endsWith(':all'))?.code, ErrorNumber.NO_SUPPORT);
  assert.ok(plan.notes.some((n) => n.includes('becomes iqn.2020-01.com.example:case')));
  assert.ok(!JSON.stringify(plan.refusals).includes('12345'), 'no secret in a refusal');
  assert.deepEqual(plan.targets.map((t) => t.tid), [14], 'only the target without a problem is planned');
});

test('secrets that cannot be trusted are refused: interrupted tgt change, two different secrets', () => {
  const snap = snapshot([target(1, 'iqn.2020-01.com.example:a', { incomingAccounts: ['u'] }), target(2, 'iqn.2020-01.com.example:b', { incomingAccounts: ['v'] })], { u: 'one-secret', v: 'first' });
  addSecret(snap.secrets, 'v', 'second');
  snap.uncertain.add('u');
  const plan = planMigration(snap, emptyLio, files);
  assert.match(plan.refusals[0]?.reason ?? '', /secret of incoming account u is uncertain \(a change of the tgt plugin was interrupted\)/);
  assert.match(plan.refusals[1]?.reason ?? '', /incoming account v has two different secrets/);
});

test("hostile names from tgtd are refused with a short message, never echoed whole", () => {
  const long = `iqn.2020-01.com.example:${'x'.repeat(10_000_000)}`;
  const plan = planMigration(snapshot([target(1, long), target(2, 'iqn.2020-01.com.example:t', { acls: ['iqn.1994-05.com.example:a\nb'] })]), emptyLio, files);
  assert.equal(plan.refusals.length, 2);
  for (const r of plan.refusals) assert.ok(r.reason.length < 400, r.reason.slice(0, 100));
});

test("portals: tgtd's by default, [::]:P standing for 0.0.0.0:P too, or the ones given", () => {
  const snap = snapshot([target(1, 'iqn.2020-01.com.example:a')]);
  snap.portals = [{ address: '0.0.0.0:3260', tpgt: 1 }, { address: '[::]:3260', tpgt: 1 }];
  const plan = planMigration(snap, emptyLio, files);
  assert.deepEqual(plan.portals, ['[::]:3260']);
  assert.ok(plan.notes.some((n) => n.includes('0.0.0.0:3260 is covered by [::]:3260')));
  assert.deepEqual(planMigration(snap, emptyLio, files, { portals: ['192.0.2.20:3261'] }).portals, ['192.0.2.20:3261']);
  assert.deepEqual(planMigration(snap, emptyLio, files, { portals: [] }).saveconfig.targets[0]?.tpgs[0]?.portals, []);
  assert.match(planMigration(snap, emptyLio, files, { portals: ['host.example:3260'] }).refusals[0]?.reason ?? '', /portal "?host\.example:3260"?: Invalid portal/);
});

test('storage object names never take one LIO or the plan already uses', () => {
  const t = target(1, 'iqn.2020-01.com.example:a', { luns: [controller, lun(1, '/a/vol1'), lun(2, '/b/vol1'), lun(3, '/c/vol1')] });
  const plan = planMigration(snapshot([t]), { ...emptyLio, objects: new Set(['/backstores/fileio/vol1']) }, files);
  assert.deepEqual(plan.storageObjects.map((so) => so.name), ['vol1-2', 'vol1-3', 'vol1-4']);
});
