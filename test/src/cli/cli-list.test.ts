/**
 * lsmcli listings against the simulator: every type, the shortcuts, filters, and the output formats.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lsmcli, newSim, rows } from './harness.js';

describe('lsmcli list', () => {
  test('every type lists the simulator\'s initial content, in lsmcli\'s columns', async (t) => {
    const sim = newSim(t);
    await sim.ok(['ls']); // create the state file once, before the concurrent runs
    const [ls, lp, ld, lt, lb, lv, auth] = await Promise.all([
      sim.ok(['ls']), sim.ok(['lp', '-H']), sim.ok(['ld']), sim.ok(['lt']), sim.ok(['lb']), sim.ok(['lv']),
      sim.ok(['list', '--type', 'NFS_CLIENT_AUTH']),
    ]);
    assert.match(ls, /^ID +\| Name +\| Status \| Info \| FW Ver +\| Mode +\| Read Cache Percentage\s*\n-+\n/);
    assert.deepEqual(rows(ls), [['sim-01', 'LSM simulated storage plug-in', 'OK', '', 'LSM_SIMULATOR_DATA_4.1', 'HW RAID', '10']]);
    assert.deepEqual(rows(lp)[0], ['POOL_ID_00001', 'Pool 1', 'POOL,VOLUME,FS,SYSTEM_RESERVED,DELTA', '2.00 TiB', '1.50 TiB', 'OK', '', 'sim-01']);
    assert.deepEqual(rows(lp)[3], ['POOL_ID_00004', 'lsm_test_aggr', 'VOLUME,FS,DELTA', '2.00 EiB', '2.00 EiB', 'OK', '', 'sim-01']);
    const disks = rows(ld);
    assert.equal(disks.length, 20);
    assert.deepEqual(disks[4]?.slice(0, 5), ['DISK_ID_00005', '2EiB SAS Disk_5', 'SAS', '1152921504606846976', 'OK,Free']);
    assert.equal(disks[0]?.[8], '7200');
    assert.equal(disks[0]?.[9], 'PATA/SATA');
    assert.equal(disks[8]?.[8], 'Non-Rotating Medium');
    assert.deepEqual(rows(lt).map((r) => r[1]), ['FC', 'FCoE', 'iSCSI', 'iSCSI', 'iSCSI']);
    assert.deepEqual(rows(lb).map((r) => [r[0], r[2], r[3]]), [['BAT_ID_00001', 'Chemical', 'OK'], ['BAT_ID_00002', 'Capacitor', 'OK']]);
    assert.equal(lv, '', 'an empty listing prints nothing');
    assert.equal(auth, 'standard\n');
  });

  test('filters: by id, by system, by pool; only one filter; invalid combinations exit 2', async (t) => {
    const sim = newSim(t);
    await sim.ok(['vc', '--name', 'v1', '--size', '1GiB', '--pool', 'POOL_ID_00004']);
    await sim.ok(['vc', '--name', 'v2', '--size', '1GiB', '--pool', 'POOL_ID_00001']);
    const [byPool, byId, bySys, pool, disk, two, bad, snapNoFs, sysSearch, unknownPool] = await Promise.all([
      sim.ok(['lv', '--pool', 'POOL_ID_00001']),
      sim.ok(['list', '--type', 'volumes', '--vol', 'VOL_ID_00001']),
      sim.ok(['lv', '--sys', 'sim-01']),
      sim.ok(['list', '--type', 'pools', '--pool', 'POOL_ID_00003']),
      sim.ok(['ld', '--disk', 'DISK_ID_00007']),
      sim.cli(['lv', '--sys', 'sim-01', '--pool', 'POOL_ID_00001']),
      sim.cli(['lp', '--vol', 'VOL_ID_00001']),
      sim.cli(['list', '--type', 'snapshots']),
      sim.cli(['ls', '--sys', 'sim-01']),
      sim.ok(['lv', '--pool', 'NO_SUCH_POOL']),
    ]);
    assert.deepEqual(rows(byPool).map((r) => r[1]), ['v2']);
    assert.deepEqual(rows(byId).map((r) => r[1]), ['v1']);
    assert.equal(rows(bySys).length, 2);
    assert.deepEqual(rows(pool).map((r) => r[0]), ['POOL_ID_00003']);
    assert.deepEqual(rows(disk).map((r) => r[0]), ['DISK_ID_00007']);
    assert.equal(two.code, 2);
    assert.equal(two.stderr, 'lsmcli: error: Search key specified more than once (system_id, pool_id)\n');
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, "lsmcli: error: Search key 'volume' is not supported by POOLS listing\n");
    assert.equal(snapNoFs.code, 2);
    assert.equal(snapNoFs.stderr, 'lsmcli: error: --fs <file system id> required\n');
    assert.equal(sysSearch.code, 2);
    assert.match(sysSearch.stderr, /SYSTEMS listing with search is not supported/);
    assert.equal(unknownPool, '');
  });

  test('output formats: terse, --header, script, enums, human sizes, JSON', async (t) => {
    const sim = newSim(t);
    await sim.ok(['ls']);
    const [terse, header, script, enums, json, pmi, jsonDisks] = await Promise.all([
      sim.ok(['-t', ',', 'lp']),
      sim.ok(['lp', '-t', ';', '--header']),
      sim.ok(['-s', 'ls']),
      sim.ok(['-e', 'lp']),
      sim.json<Record<string, unknown>[]>(['lp']),
      sim.ok(['pmi', '--pool', 'POOL_ID_00001']),
      sim.json<Record<string, unknown>[]>(['list', '--type', 'disks', '--disk', 'DISK_ID_00003']),
    ]);
    const first = terse.split('\n')[0] ?? '';
    // lsm pads an empty column to one blank (reference §11.7: `OK, ,sim-01`).
    assert.match(first, /^POOL_ID_00001,Pool 1 +,POOL,VOLUME,FS,SYSTEM_RESERVED,DELTA,2199023255552 +,1649267441664 +,OK, ,sim-01$/);
    assert.equal(terse.split('\n').length, 5);
    assert.match(header, /^ID +;Name +;Element Type/);
    assert.match(script, /^-+\nID +\| sim-01 +\nName +\| LSM simulated storage plug-in\n/);
    assert.match(script, /\nRead Cache Percentage \| 10 +\n-+\n$/);
    assert.match(enums, /\nPOOL_ID_00001 \| Pool 1 +\| 1054 +\| 2199023255552 +\| 1649267441664 +\| 2 +\|/);
    assert.equal(json.length, 4);
    assert.deepEqual(json[0], {
      id: 'POOL_ID_00001', name: 'Pool 1', element_type: 1054, unsupported_actions: 3, total_space: 2199023255552,
      free_space: 1649267441664, status: 2, status_info: '', system_id: 'sim-01', plugin_data: null,
    });
    assert.equal(pmi, [
      'Pool ID       | RAID Type | Member Type | Member IDs   ',
      '-------------------------------------------------------',
      'POOL_ID_00001 | RAID1     | Disk        | DISK_ID_00001',
      '              |           |             | DISK_ID_00002',
      '',
    ].join('\n'));
    // 2^60 bytes: printed exactly, not rounded through a double
    const raw = await sim.ok(['-o', 'json', 'list', '--type', 'disks', '--disk', 'DISK_ID_00003']);
    assert.match(raw, /"size_bytes": 1152921504606846976\b/);
    assert.equal(jsonDisks[0]?.id, 'DISK_ID_00003');
  });

  test('list --type plugins needs no URI and lists the simulator', async () => {
    const r = await lsmcli(['list', '--type', 'plugins']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Description +\| Version/);
    assert.match(r.stdout, /Storage simulator/);
    const json = await lsmcli(['-o', 'json', 'list', '--type', 'PLUGINS']);
    const plugins = JSON.parse(json.stdout) as { name: string }[];
    assert.ok(plugins.some((p) => p.name === 'sim'));
  });

  test('capabilities, plugin-info, job-status of an unknown job', async (t) => {
    const sim = newSim(t);
    await sim.ok(['ls']);
    const [caps, capsJson, info, infoTerse, noJob] = await Promise.all([
      sim.ok(['c', '--sys', 'sim-01']),
      sim.json<Record<string, boolean>>(['capabilities', '--sys', 'sim-01']),
      sim.ok(['p']),
      sim.ok(['-t', '|', 'plugin-info']),
      sim.cli(['job-status', '--job', 'JOB_ID_09999']),
    ]);
    // lsm prints capabilities as one script-mode block: framed by dashes as wide as its rows (62 for sim).
    const lines = caps.trimEnd().split('\n');
    assert.equal(lines[0], '-'.repeat(62));
    assert.equal(lines.at(-1), '-'.repeat(62));
    assert.match(lines[1] ?? '', /^ACCESS_GROUPS +\| SUPPORTED {2}$/);
    assert.match(lines.at(-2) ?? '', /\| UNSUPPORTED$/);
    assert.ok(lines.every((l) => l.length === 62), 'every row as wide as the frame');
    assert.equal(capsJson.VOLUME_CREATE, true);
    assert.ok(Object.values(capsJson).every((v) => typeof v === 'boolean'));
    assert.ok('VOLUMES_QUICK_SEARCH' in capsJson);
    assert.match(info, /^Description: Storage simulator Version: \S+\n$/);
    assert.match(infoTerse, /^Storage simulator\|\S+\n$/);
    assert.equal(noJob.code, 4);
    assert.match(noJob.stderr, /^NOT_FOUND_JOB\(202\): /);
  });
});
