import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeError } from '../exit.js';
import { buildProgram } from './program.js';
import { preParse } from './preparse.js';
import type { CommandSpec } from './spec.js';
import { commands } from './table.js';

interface Parsed {
  spec?: CommandSpec;
  opts?: Record<string, unknown>;
  globals?: Record<string, unknown>;
  exitCode: number;
  out: string;
  err: string;
}

async function parse(argv: string[], onlyTheCommand = true): Promise<Parsed> {
  const result: Parsed = { exitCode: 0, out: '', err: '' };
  const pre = preParse(argv);
  const program = buildProgram('9.9.9', { writeOut: (s) => { result.out += s; }, writeErr: (s) => { result.err += s; } },
    async (spec, opts, globals) => { Object.assign(result, { spec, opts, globals }); }, onlyTheCommand ? pre.command : undefined);
  try {
    await program.parseAsync(pre.argv, { from: 'user' });
  } catch (err) {
    const report = describeError(err, false);
    result.exitCode = report.exitCode;
    result.err += report.text;
  }
  return result;
}

describe('the commander program', () => {
  test('global options are accepted before and after the command', async () => {
    const r = await parse(['-H', 'lv', '-t', ',', '--pool', 'P1', '-e', '-w', '100']);
    assert.equal(r.spec?.name, 'list');
    assert.deepEqual(r.opts, { type: 'VOLUMES', pool: 'P1' });
    assert.equal(r.globals?.human, true);
    assert.equal(r.globals?.terse, ',');
    assert.equal(r.globals?.enum, true);
    assert.equal(r.globals?.wait, 100);
  });

  test('option values are parsed: sizes, repeatable options, choices', async () => {
    const r = await parse(['vrc', '--name', 'r', '--disk', 'D1', '--disk', 'D2', '--raid-type', 'raid1', '--strip-size', '64KiB']);
    assert.deepEqual(r.opts, { name: 'r', disk: ['D1', 'D2'], raidType: 'RAID1', stripSize: 65536n });
    const vc = await parse(['volume-create', '--name', 'v', '--size', '2G', '--pool', 'p', '--provisioning', 'thin']);
    assert.equal(vc.opts?.size, 2147483648n);
    assert.equal(vc.opts?.provisioning, 'THIN');
  });

  test('the full program and the one-command program parse alike', async () => {
    for (const argv of [['lv', '-H', '--pool', 'P'], ['vc', '--name', 'v', '--size', '1G', '--pool', 'p'], ['ls', '--bogus'], ['bogus']]) {
      const [one, all] = await Promise.all([parse(argv, true), parse(argv, false)]);
      assert.deepEqual([one.exitCode, one.spec?.name, one.opts, one.err], [all.exitCode, all.spec?.name, all.opts, all.err], argv.join(' '));
    }
  });

  test('usage errors exit 2 with "lsmcli: error: ..."', async () => {
    for (const argv of [
      ['volume-create', '--name', 'v', '--pool', 'p'],
      ['list', '--type', 'nothing'],
      ['bogus-command'],
      ['ls', '--no-such-option'],
      ['vc', '--name', 'v', '--size', 'ten', '--pool', 'p'],
      ['ls', '-w', '0'],
      ['access-group-create', '--name', 'g', '--init', 'bad;init', '--sys', 's'],
    ]) {
      const r = await parse(argv);
      assert.equal(r.exitCode, 2, argv.join(' '));
      assert.match(r.err, /^lsmcli: error: /, argv.join(' '));
      assert.equal(r.spec, undefined);
    }
  });

  test('--help, help, help <command> and --version exit 0', async () => {
    const help = await parse(['volume-create', '--help']);
    assert.equal(help.exitCode, 0);
    assert.match(help.out, /--provisioning <PROV>/);
    assert.match(help.out, /Examples:\n {2}lsmcli -u sim:\/\/ volume-create/);
    const version = await parse(['-v']);
    assert.equal(version.exitCode, 0);
    assert.equal(version.out, 'lsmcli 9.9.9\n');
    const helpCommand = await parse(['help'], false);
    assert.equal(helpCommand.exitCode, 0, helpCommand.err);
    assert.match(helpCommand.out, /^Usage: lsmcli <command>/);
    const helpOf = await parse(['help', 'volume-create'], false);
    assert.equal(helpOf.exitCode, 0, helpOf.err);
    assert.match(helpOf.out, /--provisioning <PROV>/);
  });

  test('every command has a summary, an output description and an example', () => {
    assert.ok(commands.length >= 53);
    for (const c of commands) {
      assert.ok(c.summary && c.output, c.name);
      assert.ok(c.examples.length > 0, c.name);
    }
  });

  test('every example parses as its own command', async () => {
    for (const c of commands) {
      for (const e of c.examples) {
        const argv = e.command.split(' ').slice(1);
        const r = await parse(argv);
        assert.equal(r.exitCode, 0, `${e.command}: ${r.err}`);
        assert.equal(r.spec?.name, c.name, e.command);
      }
    }
  });
});
