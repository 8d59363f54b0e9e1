/**
 * `openlsm-migrate tgt-to-lio` end to end: a real tgtd (fixtures/tgtd.ts) populated through the tgt plugin (the
 * SDK on a real tgt_lsmplugin process: volumes, two access groups, masking, CHAP in and out), migrated by the
 * built openlsm-migrate into the emulated configfs (fixtures/configfs: the kernel's configfs cannot run here),
 * then listed through lio:// with the built lsmcli: the same volumes, groups, initiators and masking, and
 * saveconfig.json with the CHAP credentials. What LIO cannot take (an address ACL made with tgtd directly, two
 * incoming accounts on one target) is refused before anything changes; so is a target LIO already has; --dry-run
 * changes nothing; a failure injected halfway leaves LIO as it was. tgtd is never changed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Client } from '@openlsm/client';
import { type AccessGroup, InitiatorType, type Pool, type Volume } from '@openlsm/core';
import { Mode, Op, type TgtdTarget } from '@openlsm/plugin-tgt';
import { lsmcli } from '../cli/harness.js';
import { emulationUnavailable } from '../fixtures/configfs/index.js';
import { runNode } from '../fixtures/run-process.js';
import { newLio, snapshotTree, type Lio } from '../lio/harness.js';
import { PREFIX, tgtEnv, type TgtEnv } from '../tgt/tgt-env.js';

const MIGRATE = fileURLToPath(new URL('../../../packages/migrate/bin/openlsm-migrate.js', import.meta.url));
const WEB_1 = 'iqn.1994-05.com.example:web1';
const WEB_2 = 'iqn.1994-05.com.example:web2';
const DB_1 = 'iqn.1994-05.com.example:db1';
const IN_SECRET = 'web-in-secret-1';
const OUT_SECRET = 'web-out-secret-2';

function tgtdUnavailable(): string | undefined {
  if (!fs.existsSync('/usr/sbin/tgtd')) return '/usr/sbin/tgtd is missing (apt-get install tgt)';
  return emulationUnavailable();
}

let env: TgtEnv;
let client: Client;
let webTarget: string;
let dbTarget: string;
/** configfs calls a whole migration makes (measured on the first), to aim failures within it. */
let mutations = 0;

/** What tgtd serves, without the parts that move by themselves (sessions). */
async function tgtdView(): Promise<unknown> {
  return (await env.tgtd.admin.targets()).map((t: TgtdTarget) => ({ ...t, nexuses: [] }));
}

function migrate(lio: Lio, extra: readonly string[] = []) {
  return runNode(MIGRATE, ['tgt-to-lio', '--tgt-config', env.configFile, '--targets-conf', path.join(env.tgtd.dir, 'targets.conf'),
    '--configfs', lio.cfs.root, '--lio-config', path.join(lio.dir, 'lio.yaml'), '--saveconfig', lio.saveconfigPath, ...extra]);
}

function lioWithPool(t: TestContext): Promise<Lio> {
  return newLio(t, { yaml: `target_iqn: iqn.2003-01.org.example.test:unused\nportals: ["127.0.0.1:3260"]\npools:\n  images: { directory: ${env.poolDir} }\n` });
}

/** lsmcli -o json on lio:// with the target `iqn` as the plugin's own (lio:// manages one target). */
async function onTarget<T>(lio: Lio, iqn: string, argv: readonly string[]): Promise<T> {
  const config = path.join(lio.dir, `lio-${iqn.replace(/[^a-z0-9]/g, '_')}.yaml`);
  fs.writeFileSync(config, `target_iqn: ${iqn}\nportals: ["127.0.0.1:3260"]\npools:\n  images: { directory: ${env.poolDir} }\n`);
  const r = await lsmcli(['-u', `lio://?configfs=${lio.cfs.root}&config=${config}&saveconfig=${lio.saveconfigPath}`, '-o', 'json', ...argv]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** The LIO tree, saveconfig.json and lio's state file, to check that nothing changed. dbroot is rtslib's setting. */
function lioState(lio: Lio): unknown {
  const tree = snapshotTree(path.join(lio.cfs.root, 'target'));
  delete tree.dbroot;
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null);
  return { tree, saveconfig: read(lio.saveconfigPath), state: read(lio.statePath) };
}

describe('openlsm-migrate tgt-to-lio', { skip: tgtdUnavailable() }, () => {
  before(async () => {
    env = await tgtEnv();
    client = await env.connect();
    const [pool] = await client.pools() as Pool[];
    assert.ok(pool);
    const [system] = await client.systems();
    assert.ok(system);
    const volume = async (name: string, mib: bigint) => client.volumeCreate({ pool, volume_name: name, size_bytes: mib * 1024n * 1024n }) as Promise<Volume>;
    const vol1 = await volume('vol1', 8n);
    const vol2 = await volume('vol2', 16n);
    const vol3 = await volume('vol3', 4n);
    let web: AccessGroup = await client.accessGroupCreate({ name: 'web', init_id: WEB_1, init_type: InitiatorType.ISCSI_IQN, system });
    web = await client.accessGroupInitiatorAdd({ access_group: web, init_id: WEB_2, init_type: InitiatorType.ISCSI_IQN });
    const db = await client.accessGroupCreate({ name: 'db', init_id: DB_1, init_type: InitiatorType.ISCSI_IQN, system });
    for (const v of [vol1, vol2]) await client.volumeMask({ volume: v, access_group: web });
    for (const v of [vol3, vol1]) await client.volumeMask({ volume: v, access_group: db });
    for (const init of [WEB_1, WEB_2]) {
      await client.iscsiChapAuth({ init_id: init, in_user: 'webhost', in_password: IN_SECRET, out_user: 'webtarget', out_password: OUT_SECRET });
    }
    const targets = await env.tgtd.admin.targets();
    webTarget = targets.find((t) => t.name.endsWith('.web'))?.name as string;
    dbTarget = targets.find((t) => t.name.endsWith('.db'))?.name as string;
    assert.ok(webTarget?.startsWith(`${PREFIX}:ag`) && dbTarget, 'the tgt plugin made one target per group');
    fs.writeFileSync(path.join(env.tgtd.dir, 'targets.conf'), '# no accounts of other tools\n');
  });

  after(async () => {
    await env?.cleanup();
  });

  test('--dry-run prints the plan and changes nothing, on LIO or tgtd', async (t) => {
    const lio = await lioWithPool(t);
    const lioBefore = lioState(lio);
    const tgtdBefore = await tgtdView();
    const r = await migrate(lio, ['--dry-run', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { applied: boolean; targets: { iqn: string; luns: { lun: number }[]; initiators: string[]; inUser: string }[]; storage_objects: unknown[]; refusals: unknown[] };
    assert.equal(plan.applied, false);
    assert.deepEqual(plan.refusals, []);
    assert.deepEqual(plan.targets.map((x) => x.iqn).sort(), [dbTarget, webTarget].sort());
    assert.equal(plan.storage_objects.length, 3, 'vol1, exported by both targets, is one storage object');
    assert.ok(!r.stdout.includes(IN_SECRET) && !r.stdout.includes(OUT_SECRET) && !r.stderr.includes(IN_SECRET), 'no secret in the output');
    const text = await migrate(lio, ['--dry-run']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /dry run: nothing was changed \(2 target\(s\), 3 storage object\(s\) would be made\)/);
    assert.match(text.stdout, new RegExp(`LUN 1: ${env.poolDir}/vol1 -> fileio/vol1 \\(8.0 MiB\\)`));
    assert.deepEqual(lioState(lio), lioBefore);
    assert.deepEqual(await tgtdView(), tgtdBefore);
  });

  test('the whole configuration comes over: lio:// lists the same volumes, groups, initiators and masking', async (t) => {
    const lio = await lioWithPool(t);
    const tgtdBefore = await tgtdView();
    const start = (await lio.cfs.status()).mutations;
    const r = await migrate(lio);
    assert.equal(r.code, 0, r.stderr);
    mutations = (await lio.cfs.status()).mutations - start;
    assert.match(r.stdout, /migrated 2 target\(s\) and 3 storage object\(s\); LIO read back the same/);
    assert.deepEqual(await tgtdView(), tgtdBefore, 'tgtd is not changed');

    const tgtVolumes = await client.volumes();
    for (const [iqn, group] of [[webTarget, 'web'], [dbTarget, 'db']] as const) {
      const volumes = await onTarget<Volume[]>(lio, iqn, ['list', '--type', 'volumes']);
      assert.deepEqual(volumes.map((v) => [v.name, v.pool_id, BigInt(v.block_size) * BigInt(v.num_of_blocks)]).sort(),
        tgtVolumes.map((v) => [v.name, 'images', BigInt(v.block_size) * BigInt(v.num_of_blocks)]).sort());
      const tgtGroup = (await client.accessGroups()).find((g) => g.name === group) as AccessGroup;
      const groups = await onTarget<AccessGroup[]>(lio, iqn, ['list', '--type', 'access_groups']);
      assert.deepEqual(groups.map((g) => [g.id, g.name, [...g.init_ids].sort()]), [[group, group, [...tgtGroup.init_ids].sort()]]);
      const lioMasked = await onTarget<Volume[]>(lio, iqn, ['access-group-volumes', '--ag', group]);
      const tgtMasked = await client.volumesAccessibleByAccessGroup({ access_group: tgtGroup });
      assert.deepEqual(lioMasked.map((v) => v.name).sort(), tgtMasked.map((v) => v.name).sort());
    }

    const saved = lio.saveconfig();
    assert.equal((fs.statSync(lio.saveconfigPath).mode & 0o777), 0o600, 'saveconfig.json holds secrets: 0600');
    assert.deepEqual(saved.storage_objects.map((so) => [so.plugin, so.name, so.dev]).sort(),
      ['vol1', 'vol2', 'vol3'].map((n) => ['fileio', n, path.join(env.poolDir, n)]));
    const tgtdTargets = await env.tgtd.admin.targets();
    for (const target of saved.targets) {
      const source = tgtdTargets.find((x) => x.name === target.wwn) as TgtdTarget;
      const [tpg] = target.tpgs;
      assert.ok(source && tpg && tpg.enable);
      assert.deepEqual(tpg.portals.map((p) => `${p.ip_address}:${p.port}`), [env.tgtd.portal], "tgtd's portal");
      assert.deepEqual(tpg.luns.map((l) => [l.index, l.storage_object]),
        source.luns.filter((l) => l.lun > 0).map((l) => [l.lun, `/backstores/fileio/${path.basename(l.path as string)}`]), 'LUN numbers kept');
      assert.deepEqual(tpg.node_acls.map((a) => a.node_wwn).sort(), [...source.acls].sort());
      for (const acl of tpg.node_acls) {
        assert.deepEqual(acl.mapped_luns.map((m) => [m.index, m.tpg_lun, m.write_protect]), tpg.luns.map((l) => [l.index, l.index, false]), 'initiators see the LUNs at tgtd\'s numbers');
        const web = target.wwn === webTarget;
        assert.deepEqual([acl.chap_userid, acl.chap_password, acl.chap_mutual_userid, acl.chap_mutual_password],
          web ? ['webhost', IN_SECRET, 'webtarget', OUT_SECRET] : [undefined, undefined, undefined, undefined]);
        const enforced = fs.readFileSync(path.join(lio.cfs.root, 'target/iscsi', target.wwn, 'tpgt_1/acls', acl.node_wwn, 'attrib/authentication'), 'utf8').trim();
        assert.equal(enforced, web ? '1' : '-1', 'CHAP is required where tgtd required it');
      }
    }
    assert.deepEqual(lio.saveconfig(), await lio.fullDump(), 'saveconfig.json is what a full dump of the tree gives');
  });

  test('an address ACL and two incoming accounts (made with tgtd directly) are refused, and nothing changes', async (t) => {
    const admin = env.tgtd.admin;
    const file = path.join(env.tgtd.dir, 'foreign.img');
    fs.writeFileSync(file, Buffer.alloc(1 << 20));
    await admin.newTarget(50, 'iqn.2020-01.com.example:by-address');
    t.after(() => admin.deleteTarget(50, true));
    await admin.newLun(50, 1, { path: file });
    await admin.client.request({ mode: Mode.TARGET, op: Op.BIND, tid: 50, payload: 'initiator-address=ALL' }, 'allowing every address');
    await admin.newTarget(51, 'iqn.2020-01.com.example:two-users');
    t.after(() => admin.deleteTarget(51, true));
    await admin.bindInitiatorName(51, 'iqn.1994-05.com.example:other');
    for (const user of ['alice', 'bob']) {
      await admin.newAccount(user, `${user}-secret-123`);
      t.after(() => admin.deleteAccount(user));
      await admin.bindAccount(51, user, false);
    }
    fs.writeFileSync(path.join(env.tgtd.dir, 'targets.conf'), 'incominguser alice alice-secret-123\nincominguser bob bob-secret-123\n');
    t.after(() => fs.writeFileSync(path.join(env.tgtd.dir, 'targets.conf'), ''));

    const lio = await lioWithPool(t);
    const before = lioState(lio);
    const r = await migrate(lio);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /target iqn\.2020-01\.com\.example:by-address: it admits initiators by address \(ALL\); LIO's ACLs are initiator names only/);
    assert.match(r.stderr, /target iqn\.2020-01\.com\.example:two-users: 2 incoming CHAP accounts \(alice, bob\)/);
    assert.match(r.stderr, /nothing was changed/);
    assert.ok(!r.stderr.includes('secret-123') && !r.stdout.includes('secret-123'), 'no secret in messages');
    assert.deepEqual(lioState(lio), before, 'LIO, saveconfig.json and the state file are unchanged');
    assert.equal(fs.existsSync(lio.saveconfigPath), false);
  });

  test('a target LIO already has is refused, and LIO stays as it was', async (t) => {
    const lio = await lioWithPool(t);
    // lio:// makes its target with its first access group: the web target's name, by another tool.
    const config = path.join(lio.dir, 'taken.yaml');
    fs.writeFileSync(config, `target_iqn: ${webTarget}\nportals: ["127.0.0.1:3260"]\npools:\n  images: { directory: ${env.poolDir} }\n`);
    const made = await lsmcli(['-u', `lio://?configfs=${lio.cfs.root}&config=${config}&saveconfig=${lio.saveconfigPath}`,
      'access-group-create', '--name', 'other', '--init', 'iqn.1994-05.com.example:elsewhere', '--sys', 'lio']);
    assert.equal(made.code, 0, made.stderr);
    const before = lioState(lio);
    const r = await migrate(lio);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`target ${webTarget.replaceAll('.', '\\.')}: LIO already has a target`));
    assert.deepEqual(lioState(lio), before);
  });

  test('a failure halfway (the kernel refusing a step) is undone: LIO is as it was', async (t) => {
    assert.ok(mutations > 10, `a migration makes many configfs calls (${mutations})`);
    const lio = await lioWithPool(t);
    const before = lioState(lio);
    for (const nth of [2, Math.floor(mutations / 3), Math.floor((2 * mutations) / 3), mutations - 1]) {
      await lio.cfs.failNth(nth, 'ENOMEM');
      const r = await migrate(lio);
      assert.equal(r.code, 4, `call ${nth} of ${mutations} failing: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /ENOMEM|refused part of the migration/);
      await lio.cfs.clearFailure();
      assert.deepEqual(lioState(lio), before, `call ${nth} failing leaves nothing behind`);
    }
  });
});

describe('openlsm-migrate: bad arguments and a bad tgtd', () => {
  test('usage errors exit 2 and say what is wrong', async () => {
    for (const [argv, why] of [[[], /no command/], [['lio-to-tgt'], /unknown command "lio-to-tgt"/], [['tgt-to-lio', '--bogus'], /Unknown option '--bogus'/],
      [['tgt-to-lio', '--portal', '127.0.0.1:3260', '--no-portals'], /exclude each other/]] as const) {
      const r = await runNode(MIGRATE, argv);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, why);
      assert.ok(!r.stderr.includes('    at '), 'no stack trace');
    }
    const help = await runNode(MIGRATE, ['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: openlsm-migrate tgt-to-lio/);
  });

  test('no tgtd on the socket, or a peer answering garbage: exit 4 with the reason, nothing else touched', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-migrate-peer-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const lioArgs = ['--configfs', path.join(dir, 'no-configfs'), '--saveconfig', path.join(dir, 'saveconfig.json')];
    const absent = await runNode(MIGRATE, ['tgt-to-lio', '--tgt-socket', path.join(dir, 'none.sock'), '--targets-conf', '/dev/null', ...lioArgs]);
    assert.equal(absent.code, 4, absent.stderr);
    assert.match(absent.stderr, /tgtd is not running: nothing answers on its management socket/);
    const sock = path.join(dir, 'garbage.sock');
    const server = net.createServer((c) => c.end(Buffer.from('\xff\xff\xff\x7f this is not tgtd', 'latin1')));
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    t.after(() => server.close());
    const garbage = await runNode(MIGRATE, ['tgt-to-lio', '--tgt-socket', sock, '--targets-conf', '/dev/null', ...lioArgs]);
    assert.equal(garbage.code, 4, garbage.stderr);
    assert.match(garbage.stderr, /TRANSPORT_SERIALIZATION|announces \d+ bytes|is .* tgtd's management socket/);
    assert.ok(!garbage.stderr.includes('    at '), 'no stack trace');
    assert.equal(fs.existsSync(path.join(dir, 'saveconfig.json')), false);
  });
});
