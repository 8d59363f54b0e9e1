import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { LsmError } from '@openlsm/core';
import { ArgError, ExitWith } from './errors.js';
import { describeError } from './exit.js';

describe('exit codes and error texts', () => {
  test('LsmError: NAME(code): message, exit 4; PERMISSION_DENIED exits 13', () => {
    assert.deepEqual(describeError(new LsmError(160, 'Volume is masked to access group'), false),
      { exitCode: 4, text: 'IS_MASKED(160): Volume is masked to access group\n' });
    assert.equal(describeError(new LsmError(13, 'no'), false).exitCode, 13);
    assert.deepEqual(JSON.parse(describeError(new LsmError(205, 'gone'), true).text), { error: { code: 205, name: 'NOT_FOUND_VOLUME', message: 'gone' } });
  });

  test('argument errors: lsmcli: error: <message>, exit 2; commander\'s usage errors too', () => {
    assert.deepEqual(describeError(new ArgError('Volume with ID x not found!'), false),
      { exitCode: 2, text: 'lsmcli: error: Volume with ID x not found!\n' });
    assert.deepEqual(describeError(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"), false),
      { exitCode: 2, text: "lsmcli: error: unknown option '--x'\n" });
    assert.equal(describeError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), false).exitCode, 0);
    // `lsmcli help` and `lsmcli help <command>` print help and succeed.
    assert.equal(describeError(new CommanderError(0, 'commander.help', '(outputHelp)'), false).exitCode, 0);
  });

  test('errors about the command line\'s shape print lsm\'s one-line usage first', () => {
    const { exitCode, text } = describeError(new ArgError('the following arguments are required: command', { usage: true }), false);
    assert.equal(exitCode, 2);
    assert.match(text, /^usage: lsmcli \[-h\] \[-v\] \[-u <URI>\] .*<command> \[command options\]\nlsmcli: error: the following arguments are required: command\n$/);
  });

  test('a URI password in any message is removed before printing, in text and JSON', () => {
    const err = new LsmError(101, 'uri missing "scheme" or is in invalid form: "sim:/admin:SeCrEt123@host"');
    assert.doesNotMatch(describeError(err, false).text, /SeCrEt123/);
    assert.doesNotMatch(describeError(err, true).text, /SeCrEt123/);
    assert.doesNotMatch(describeError(new ArgError('bad sim:admin:SeCrEt123@host'), false).text, /SeCrEt123/);
  });

  test('ExitWith carries its code silently', () => {
    assert.deepEqual(describeError(new ExitWith(7), false), { exitCode: 7, text: '' });
  });

  test('hostile text is escaped and capped, never printed raw', () => {
    const text = describeError(new ArgError(`Volume with ID a\n\u001b[31m${'x'.repeat(100_000)} not found!`), false).text;
    assert.ok(!text.includes('\u001b'));
    assert.equal(text.split('\n').length, 2);
    assert.ok(text.length < 2100);
  });
});
