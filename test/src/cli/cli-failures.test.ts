/**
 * Every way a command can go wrong ends with a message and one of lsm's exit codes, never Node's 13 (a top-level
 * await left waiting) and never a stack trace: plugins that exit or are killed at every moment of their start-up,
 * with and without --fork_plugin, a plugin frozen mid-call, -P with nothing on stdin, a state file SQLite cannot
 * use, a password in a malformed URI, help and malformed command lines.
 *
 * The crashing plugins are tiny shell scripts, exactly as a user reproduces them, started by lsmcli directly
 * (no shell is involved in starting them); the mid-start-up kills wrap the real simulator.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lsmcli, newSim, type CliResult, type RunOptions } from './harness.js';

const SIM_PLUGIN = fileURLToPath(new URL('../../../plugins/sim/bin/sim_lsmplugin.js', import.meta.url));
const ECHO_PLUGIN = fileURLToPath(new URL('../fixtures/echo-plugin.js', import.meta.url));

/**
 * Generous bound for "at once" (the issue asks for a second; the machine running the tests may be loaded, and
 * then one of these runs has taken 11 s). The defects took the plugin start allowance plus -w: 45 s by default.
 */
const PROMPTLY_MS = 25_000;

interface Timed extends CliResult {
  ms: number;
}

async function timed(argv: string[], options?: RunOptions): Promise<Timed> {
  const start = performance.now();
  const r = await lsmcli(argv, options);
  return { ...r, ms: performance.now() - start };
}

/** One line of lsm's error forms, with no stack trace. */
function assertReported(r: Timed, code: number, message: RegExp, what: string): void {
  assert.notEqual(r.code, 13, `${what}: exit 13 (${r.stderr})`);
  assert.equal(r.code, code, `${what}: ${r.stderr}`);
  assert.match(r.stderr, message, what);
  assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: no stack trace`);
  assert.ok(r.ms < PROMPTLY_MS, `${what}: took ${r.ms.toFixed(0)} ms`);
}

function executable(file: string, text: string): void {
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}

describe('lsmcli failure modes: a message and an lsm exit code, at once', () => {
  test('a plugin that exits at once (code 2, code 0 with a word on stderr) or kills itself: exit 4; --fork_plugin: exit 8', async (t) => {
    const sim = newSim(t);
    const dir = path.join(sim.dir, 'plugins');
    mkdirSync(dir);
    executable(path.join(dir, 'crash_lsmplugin'), '#!/bin/sh\nexit 2\n');
    executable(path.join(dir, 'quiet_lsmplugin'), '#!/bin/sh\necho "cannot open /dev/array0: no such device" >&2\nexit 0\n');
    executable(path.join(dir, 'selfkill_lsmplugin'), '#!/bin/sh\nkill -9 $$\n');
    const env = { OPENLSM_PLUGIN_DIR: dir, LSM_UDS_PATH: path.join(sim.dir, 'no-daemon') };
    const [crash, quiet, selfkill, forked, forkedKill, prompted] = await Promise.all([
      timed(['-u', 'crash://', 'lp'], { env }),
      timed(['-u', 'quiet://', 'lp'], { env }),
      timed(['-u', 'selfkill://', 'ls'], { env }),
      timed(['-u', 'sim://', '--fork_plugin', path.join(dir, 'crash_lsmplugin'), 'lp'], { env }),
      timed(['-u', 'sim://', '--fork_plugin', path.join(dir, 'selfkill_lsmplugin'), 'lp'], { env }),
      // -P: the plugin is started after the prompt, not early: the other path to the same connection code.
      timed(['-u', 'crash://u@h', '-P', 'lp'], { env, input: 'pw\n' }),
    ]);
    assertReported(crash, 4, /^TRANSPORT_COMMUNICATION\(400\): Connection to plug-in "crash" lost: plug-in crash_lsmplugin exited with code 2\n$/, 'exit 2');
    assertReported(quiet, 4, /TRANSPORT_COMMUNICATION\(400\): .*exited with code 0; its last stderr output: cannot open \/dev\/array0: no such device\n$/, 'exit 0');
    assertReported(selfkill, 4, /^TRANSPORT_COMMUNICATION\(400\): .*plug-in selfkill_lsmplugin was killed by SIGKILL\n$/, 'SIGKILL');
    assertReported(forked, 8, /^lsmcli: error: Plug-in failed to start: .*exited with code 2\n$/, '--fork_plugin, exit 2');
    assertReported(forkedKill, 8, /^lsmcli: error: Plug-in failed to start: .*killed by SIGKILL\n$/, '--fork_plugin, SIGKILL');
    assertReported(prompted, 4, /TRANSPORT_COMMUNICATION\(400\): .*exited with code 2\n$/, '-P then a plugin that exits');
  });

  test('the simulator killed at every moment of its start-up: exit 4 (or 0 when it had finished), never a hang', async (t) => {
    const sim = newSim(t);
    const dir = path.join(sim.dir, 'plugins');
    mkdirSync(dir);
    // The real simulator, with a SIGKILL scheduled KILL_AFTER_MS after its process starts running JavaScript.
    executable(path.join(dir, 'sim_lsmplugin'), `#!${process.execPath}
setTimeout(() => process.kill(process.pid, 'SIGKILL'), Number(process.env.KILL_AFTER_MS));
import(${JSON.stringify(SIM_PLUGIN)});
`);
    await sim.ok(['ls']); // the state file exists (made by the real plugin, found in node_modules/.bin)
    const env = { OPENLSM_PLUGIN_DIR: dir, LSM_UDS_PATH: path.join(sim.dir, 'no-daemon') };
    const delays = [0, 2, 5, 10, 16, 25, 40, 70, 120];
    const results: [number, Timed][] = [];
    for (let i = 0; i < delays.length; i += 3) {
      results.push(...await Promise.all(delays.slice(i, i + 3).map(async (ms) => [ms, await timed(['-u', sim.uri, 'lp'], { env: { ...env, KILL_AFTER_MS: String(ms) } })] as [number, Timed])));
    }
    for (const [ms, r] of results) {
      if (r.code === 0) continue; // the listing was done before the kill
      assertReported(r, 4, /^TRANSPORT_COMMUNICATION\(400\): Connection to plug-in "sim" lost: plug-in sim_lsmplugin was killed by SIGKILL\n$/, `killed after ${ms} ms`);
    }
    t.diagnostic(results.map(([ms, r]) => `${ms} ms: exit ${r.code} in ${r.ms.toFixed(0)} ms`).join('; '));
    assert.ok(results.some(([, r]) => r.code === 4), 'some kills landed during start-up');
  });

  test('a plugin frozen mid-call (SIGSTOP): TIMEOUT at -w, then it is killed and lsmcli exits at once', async (t) => {
    const sim = newSim(t);
    const dir = path.join(sim.dir, 'plugins');
    mkdirSync(dir);
    chmodSync(ECHO_PLUGIN, 0o755);
    symlinkSync(ECHO_PLUGIN, path.join(dir, 'echo_lsmplugin'));
    const env = { OPENLSM_PLUGIN_DIR: dir, LSM_UDS_PATH: path.join(sim.dir, 'no-daemon') };
    // What starting and ending a command costs on this machine right now, to judge "at once" by.
    const baseline = await timed(['-u', 'echo://', 'ls'], { env });
    assert.equal(baseline.code, 0, baseline.stderr);
    const r = await timed(['-u', 'echo://', '-w', '8000', 'vc', '--name', 'stop', '--size', '512', '--pool', 'P1'], { env });
    assertReported({ ...r, ms: r.ms - 8000 }, 4, /^TIMEOUT\(11\): plug-in "echo" did not answer "volume_create" within 8000 ms\n$/, 'SIGSTOP');
    const after = r.ms - 8000;
    t.diagnostic(`exit ${r.code} ${after.toFixed(0)} ms after the 8 s timeout; a command takes ${baseline.ms.toFixed(0)} ms here`);
    // Before the fix lsmcli then waited 5 s for the frozen plugin to unregister and 2 s more for it to exit.
    assert.ok(after < 2 * baseline.ms + 4000, `exited ${after.toFixed(0)} ms after the timeout (a command takes ${baseline.ms.toFixed(0)} ms)`);
  });

  test('-P with stdin at end of file, an unusable state file, a password in a malformed URI, help, no command', async (t) => {
    const sim = newSim(t);
    const [eof, mem, password, help, helpOf, noCommand, waitOnly, dashValue] = await Promise.all([
      timed(['-P', '-u', 'sim://u@h', 'ls']),
      timed(['-u', 'sim://?statefile=/proc/self/mem', 'ls']),
      timed(['-u', 'sim:/admin:SeCrEt123@host', 'ls']),
      timed(['help']),
      timed(['help', 'volume-create']),
      timed(['-u', 'sim://']),
      timed(['-w', '10000']),
      sim.cli(['vc', '--name', '-foo', '--size', '1GiB', '--pool', 'POOL_ID_00004']).then((r) => ({ ...r, ms: 0 })),
    ]);
    assertReported(eof, 2, /^Password: \nlsmcli: error: -P: no password was given: standard input ended before a line was read\n$/, '-P at EOF');
    assertReported(mem, 4, /^INVALID_ARGUMENT\(101\): \/proc\/self\/mem cannot be used as the simulator state file \(.+\); name another with \?statefile=<path>\n$/, '/proc/self/mem');
    assertReported(password, 4, /^INVALID_ARGUMENT\(101\): uri missing "scheme" or is in invalid form: "sim:\/admin@host"/, 'malformed URI');
    assert.doesNotMatch(password.stderr + password.stdout, /SeCrEt123/);
    for (const [r, what] of [[help, 'help'], [helpOf, 'help volume-create']] as const) {
      assert.equal(r.code, 0, `${what}: ${r.stderr}`);
      assert.match(r.stdout, /^Usage: lsmcli /, what);
    }
    assert.match(helpOf.stdout, /--provisioning <PROV>/);
    // lsm: `usage: ...` then `lsmcli: error: the following arguments are required: command`, exit 2.
    for (const [r, what] of [[noCommand, '-u sim://'], [waitOnly, '-w 10000']] as const) {
      assertReported(r, 2, /^usage: lsmcli \[-h\] \[-v\] .*\nlsmcli: error: the following arguments are required: command\n$/, what);
      assert.equal(r.stdout, '', what);
    }
    assertReported(dashValue, 2, /\nlsmcli: error: argument --name: expected one argument; to give a value that starts with "-", write --name=-foo\n$/, '--name -foo');
    const quoted = await sim.ok(['vc', '--name=-foo', '--size', '1GiB', '--pool', 'POOL_ID_00004']);
    assert.match(quoted, /\| -foo +\|/);
  });
});
