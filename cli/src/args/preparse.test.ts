import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { preParse } from './preparse.js';

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
    assert.equal(preParse(['ls', '-o', 'JSON']).json, true);
    assert.equal(preParse(['ls', '--output=text']).json, false);
  });

  test('unknown words leave the command undefined', () => {
    assert.equal(preParse(['bogus']).command, undefined);
    assert.equal(preParse([]).command, undefined);
  });
});
