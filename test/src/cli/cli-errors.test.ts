/**
 * lsmcli's exit codes and error texts for bad input, against the simulator; help for every command; the
 * connection-free local-disk commands.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lsmcli, newSim } from './harness.js';

const CREATE = ['vc', '--name', 'v', '--pool', 'POOL_ID_00004'];

describe('lsmcli errors and exit codes', () => {
  test('unknown ids, bad sizes, missing options, hostile names', async (t) => {
    const sim = newSim(t);
    await sim.ok(['ls']);
    const huge = 'n'.repeat(100_000);
    const [vol, pool, ag, fs, sys, snap, size, unit, missing, unknownOpt, choice, hostile, newline, long, traversal] = await Promise.all([
      sim.cli(['-f', 'vd', '--vol', 'DOES_NOT_EXIST']),
      sim.cli([...CREATE.slice(0, 3), '--pool', 'NO_POOL', '--size', '1G']),
      sim.cli(['ad', '--ag', 'AG_ID_00042']),
      sim.cli(['fs-snap-create', '--name', 's', '--fs', 'FS_ID_00042']),
      sim.cli(['c', '--sys', 'sim-99']),
      sim.cli(['list', '--type', 'snapshots', '--fs', 'nope']),
      sim.cli([...CREATE, '--size', '1,5GiB']),
      sim.cli([...CREATE, '--size', '12XiB']),
      sim.cli(['vc', '--name', 'v', '--size', '1G']),
      sim.cli(['ls', '--frobnicate']),
      sim.cli([...CREATE, '--size', '1G', '--provisioning', 'sometimes']),
      sim.cli([...CREATE.slice(0, 1), '--name', 'x; rm -rf /', '--size', '1G', '--pool', 'POOL_ID_00004']),
      sim.cli(['vc', '--name', 'a\nb', '--size', '1G', '--pool', 'POOL_ID_00004']),
      sim.cli(['vc', '--name', huge, '--size', '1G', '--pool', 'POOL_ID_00004']),
      sim.cli(['fs-create', '--name', '../../etc', '--size', '1G', '--pool', 'POOL_ID_00004']),
    ]);
    assert.deepEqual([vol.code, vol.stderr], [2, 'lsmcli: error: Volume with ID DOES_NOT_EXIST not found!\n']);
    assert.deepEqual([pool.code, pool.stderr], [2, 'lsmcli: error: Pool with ID NO_POOL not found!\n']);
    assert.deepEqual([ag.code, ag.stderr], [2, 'lsmcli: error: Access Group with ID AG_ID_00042 not found!\n']);
    assert.deepEqual([fs.code, fs.stderr], [2, 'lsmcli: error: File System with ID FS_ID_00042 not found!\n']);
    assert.deepEqual([sys.code, sys.stderr], [2, 'lsmcli: error: System with ID sim-99 not found!\n']);
    assert.equal(snap.code, 2);
    assert.equal(size.code, 2);
    assert.match(size.stderr, /^lsmcli: error: option '--size <SIZE>' argument '1,5GiB' is invalid\./);
    assert.equal(unit.code, 4);
    assert.match(unit.stderr, /^INVALID_ARGUMENT\(101\): Invalid size unit: "XIB"|^INVALID_ARGUMENT\(101\): Invalid size unit/);
    assert.deepEqual([missing.code, missing.stderr], [2, "lsmcli: error: required option '--pool <POOL_ID>' not specified\n"]);
    assert.equal(unknownOpt.code, 2);
    assert.match(unknownOpt.stderr, /^lsmcli: error: unknown option '--frobnicate'/);
    assert.equal(choice.code, 2);
    assert.match(choice.stderr, /Allowed choices are DEFAULT, THIN, FULL/);
    // The simulator decides which names it accepts; whatever it says, the answer is clean and nothing breaks.
    for (const r of [hostile, newline, long, traversal]) {
      assert.ok(r.code === 0 || r.code === 4, r.stderr);
      if (r.code === 4) assert.match(r.stderr, /^[A-Z_]+\(\d+\): .{1,400}\n$/s);
      assert.ok(r.stderr.length < 1000, 'a 100 KB name is not echoed back');
    }
    const forged = await sim.cli(['-f', 'vd', '--vol', 'X\nlsmcli: error: forged line']);
    assert.deepEqual([forged.code, forged.stderr], [2, 'lsmcli: error: Volume with ID X\\x0alsmcli: error: forged line not found!\n']);
    const volumes = await sim.json<{ name: string }[]>(['lv']);
    for (const v of volumes) assert.ok(!v.name.includes('\n'));
    // Names with control characters never reach the terminal raw.
    assert.ok(!(await sim.ok(['lv'])).includes('\u001b'));
  });

  test('JSON errors, lsm errors, connection errors, -w, passwords, no arguments', async (t) => {
    const sim = newSim(t);
    await sim.ok(['ls']);
    const home = mkdtempSync(path.join(os.tmpdir(), 'lsmcli-home-'));
    t.after(() => rmSync(home, { recursive: true, force: true }));
    writeFileSync(path.join(home, '.lsmcli'), `uri=${sim.uri}\n`);
    const [jsonArg, jsonLsm, noUri, fromFile, fromEnv, bogus, wait, password, none, version] = await Promise.all([
      sim.cli(['-o', 'json', '-f', 'vd', '--vol', 'NOPE']),
      sim.cli(['--output', 'json', 'job-status', '--job', 'JOB_ID_00077']),
      lsmcli(['ls'], { env: { HOME: path.join(home, 'missing') } }),
      lsmcli(['ls'], { env: { HOME: home } }),
      lsmcli(['ls'], { env: { LSMCLI_URI: sim.uri, HOME: path.join(home, 'missing') } }),
      lsmcli(['-u', 'bogus://', 'ls']),
      sim.cli(['-w', '-5', 'ls']),
      sim.cli(['ls'], { env: { LSMCLI_PASSWORD: 'secret' } }),
      lsmcli([]),
      lsmcli(['-v']),
    ]);
    assert.equal(jsonArg.code, 2);
    assert.deepEqual(JSON.parse(jsonArg.stderr), { error: { code: null, name: 'ARGUMENT_ERROR', message: 'Volume with ID NOPE not found!' } });
    assert.equal(jsonArg.stdout, '');
    assert.equal(jsonLsm.code, 4);
    const err = JSON.parse(jsonLsm.stderr) as { error: { code: number; name: string } };
    assert.deepEqual([err.error.code, err.error.name], [202, 'NOT_FOUND_JOB']);
    assert.deepEqual([noUri.code, noUri.stderr], [2, 'lsmcli: error: --uri missing or export LSMCLI_URI\n']);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.match(fromFile.stdout, /sim-01/);
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.equal(bogus.code, 4);
    assert.match(bogus.stderr, /^PLUGIN_NOT_EXIST\(311\): /);
    assert.deepEqual([wait.code, wait.stderr], [2, 'lsmcli: error: [-w|--wait] requires a non-zero positive integer\n']);
    assert.deepEqual([password.code, password.stderr], [2, 'lsmcli: error: password specified with no user name in uri\n']);
    assert.ok(!password.stderr.includes('secret'));
    // No arguments at all: lsm prints its one-line usage and exits 1.
    assert.equal(none.code, 1);
    assert.match(none.stdout, /^usage: lsmcli \[-h\] \[-v\] /);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^lsmcli \d+\.\d+\.\d+\n$/);
  });

  test('--fork_plugin runs the given plugin executable; exit 8 when it cannot start', async (t) => {
    const sim = newSim(t);
    const exe = fileURLToPath(new URL('../../../plugins/sim/bin/sim_lsmplugin.js', import.meta.url));
    const [forked, missing] = await Promise.all([
      sim.cli(['--fork_plugin', exe, 'ls']),
      sim.cli(['--fork_plugin', path.join(sim.dir, 'no-such-plugin'), 'ls']),
    ]);
    assert.equal(forked.code, 0, forked.stderr);
    assert.match(forked.stdout, /^ID +\| Name/);
    assert.equal(missing.code, 8);
    assert.match(missing.stderr, /^lsmcli: error: Plug-in failed to start: /);
  });

  test('--help for every command shows its options and an example', async () => {
    const { commands } = await import('@openlsm/lsmcli');
    const results = [];
    for (let i = 0; i < commands.length; i += 8) {
      results.push(...await Promise.all(commands.slice(i, i + 8).map(async (c) => [c, await lsmcli([c.name, '--help'])] as const)));
    }
    for (const [c, r] of results) {
      assert.equal(r.code, 0, c.name);
      assert.match(r.stdout, new RegExp(`^Usage: lsmcli ${c.name}`), c.name);
      for (const o of c.options) assert.ok(r.stdout.includes(`--${o.long}`), `${c.name} --${o.long}`);
      assert.match(r.stdout, /Examples:\n {2}lsmcli /, c.name);
    }
  });

  test('local-disk commands work without a URI; LEDs of a missing disk fail cleanly', async () => {
    const [list, json, led, badPath, slots, badState, ...others] = await Promise.all([
      lsmcli(['local-disk-list']),
      lsmcli(['-o', 'json', 'ldl']),
      lsmcli(['local-disk-ident-led-on', '--path', '/dev/openlsm-no-such-disk']),
      lsmcli(['ldfloff', '--path', '../../etc/passwd']),
      lsmcli(['local-led-slot-list']),
      lsmcli(['local-led-slot-set', '--slot', 'x', '--state', 'BLINK']),
      lsmcli(['ldiloff', '--path', '/dev/openlsm-no-such-disk']),
      lsmcli(['local-disk-fault-led-on', '--path', '/dev/openlsm-no-such-disk']),
      lsmcli(['local-led-slot-set', '--slot', 'no-such-enclosure/Slot 01', '--state', 'IDENT_ON:FAULT_OFF']),
    ]);
    for (const r of others) {
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /^[A-Z_]+\(\d+\): /);
    }
    assert.equal(list.code, 0, list.stderr);
    if (list.stdout) assert.match(list.stdout, /^Path +\| SCSI VPD 0x83 +\| Link Type +\| Serial Number +\| Health Status/);
    assert.equal(json.code, 0, json.stderr);
    const disks = JSON.parse(json.stdout) as { path: string }[];
    for (const d of disks) assert.match(d.path, /^\/dev\//);
    assert.equal(led.code, 4);
    assert.match(led.stderr, /^(NOT_FOUND_DISK|INVALID_ARGUMENT|NO_SUPPORT)\(\d+\): /);
    assert.equal(badPath.code, 4);
    assert.match(badPath.stderr, /^INVALID_ARGUMENT\(101\): /);
    assert.ok(slots.code === 0 || slots.code === 4, slots.stderr);
    assert.equal(badState.code, 2);
  });
});
