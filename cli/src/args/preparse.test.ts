import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dashValueError, preParse } from './preparse.js';

describe('preParse', () => {
  test('expands list shortcuts and short aliases at the command position only', () => {
    assert.deepEqual(preParse(['-u', 'sim://', 'lv', '--pool', 'P1']).argv, ['-u', 'sim://', 'list', '--type', 'volumes', '--pool', 'P1']);
    const vc = preParse(['vc', '--name', 'lv', '--size', '1', '--pool', 'p']);
    assert.equal(vc.command, 'volume-create');
    assert.deepEqual(vc.argv, ['volume-create', '--name', 'lv', '--size', '1', '--pool', 'p']);
  });

  test('skips the values of global options when looking for the command', () => {
    const p = preParse(['-t', 'ls', '-w', '100', 'lp']);
    assert.equal(p.command, 'list');
    assert.deepEqual(p.argv, ['-t', 'ls', '-w', '100', 'list', '--type', 'pools']);
    assert.equal(p.wait, '100');
  });

  test('finds -u, --uri=, -P, help and -o json on either side of the command', () => {
    assert.equal(preParse(['ls', '-u', 'sim://a']).uri, 'sim://a');
    assert.equal(preParse(['--uri=sim://b', 'ls']).uri, 'sim://b');
    assert.equal(preParse(['-usim://c', 'ls']).uri, 'sim://c');
    assert.equal(preParse(['ls', '-P']).prompt, true);
    assert.equal(preParse(['vc', '-h']).help, true);
    assert.equal(preParse(['vc', '-h']).version, false);
    assert.equal(preParse(['ls', '--version']).version, true);
    assert.equal(preParse(['-h', '-v']).version, false, 'the first of -h and -v wins, as in argparse');
    assert.equal(preParse(['-t', '-v', 'ls']).version, false, '-v as the value of -t');
    assert.equal(preParse(['ls', '-o', 'JSON']).json, true);
    assert.equal(preParse(['ls', '--output=text']).json, false);
  });

  test('unknown words leave the command undefined; options alone have no command word', () => {
    assert.equal(preParse(['bogus']).command, undefined);
    assert.equal(preParse(['bogus']).hasCommandWord, true);
    assert.equal(preParse([]).command, undefined);
    assert.equal(preParse(['-u', 'sim://', '-w', '100']).hasCommandWord, false);
  });

  test('a value option followed by a word starting with "-" says how to pass it (argparse\'s --opt=value)', () => {
    const options = new Set(['--name', '--anonuid']);
    assert.equal(dashValueError(['vc', '--name', '-foo', '--size', '1'], options),
      'argument --name: expected one argument; to give a value that starts with "-", write --name=-foo');
    assert.equal(dashValueError(['vc', '--name=-foo'], options), undefined);
    assert.equal(dashValueError(['fs-export', '--anonuid', '-1'], options), undefined);
    assert.equal(dashValueError(['vc', '--name', '-'], options), undefined);
    assert.equal(dashValueError(['vc', '--', '--name', '-x'], options), undefined);
  });
});
