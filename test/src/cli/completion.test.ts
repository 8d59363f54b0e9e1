/**
 * The bash completion, run by bash itself: the generated script (cli/completion/lsmcli.bash) is sourced by a
 * real bash, which completes a command line as it would at a <TAB>. The words are passed as arguments, never
 * pasted into the script.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SCRIPT = fileURLToPath(new URL('../../../cli/completion/lsmcli.bash', import.meta.url));

// $1 is the completion script, the other arguments are the words of the line; the last one is being completed.
const DRIVER = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE};'
  + ' _lsmcli; printf "%s\\n" "${COMPREPLY[@]}"';

/** What bash offers for the last word of `words` (`['lsmcli', 'vc', '--provisioning', '']`). */
async function complete(...words: string[]): Promise<string[]> {
  const { stdout } = await promisify(execFile)('bash', ['--noprofile', '--norc', '-c', DRIVER, 'bash', SCRIPT, ...words], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
  });
  return stdout.split('\n').filter((l) => l.length > 0).sort();
}

describe('bash completion, completed by bash', () => {
  test('choice values after the long name of a command that has an alias, and after the alias', async () => {
    const [long, alias, partial] = await Promise.all([
      complete('lsmcli', 'volume-create', '--provisioning', ''),
      complete('lsmcli', 'vc', '--provisioning', ''),
      complete('lsmcli', '-u', 'sim://', 'volume-create', '--name', 'v1', '--provisioning', 't'),
    ]);
    assert.deepEqual(long, ['default', 'full', 'thin']);
    assert.deepEqual(alias, ['default', 'full', 'thin']);
    assert.deepEqual(partial, ['thin']);
  });

  test('choice lists are per command for the same option name', async () => {
    const [replicate, range, raid] = await Promise.all([
      complete('lsmcli', 'volume-replicate', '--rep-type', ''),
      complete('lsmcli', 'volume-replicate-range', '--rep-type', ''),
      complete('lsmcli', 'vrc', '--raid-type', 'raid1'),
    ]);
    assert.deepEqual(replicate, ['clone', 'copy', 'mirror_async', 'mirror_sync']);
    assert.deepEqual(range, ['clone', 'copy']);
    assert.deepEqual(raid, ['raid1', 'raid10']);
  });

  test('commands, aliases, options of the command being typed, list types and output formats', async () => {
    const [commands, options, types, formats, globals] = await Promise.all([
      complete('lsmcli', 'volume-repl'),
      complete('lsmcli', 'lv', '--p'),
      complete('lsmcli', 'list', '--type', 'ta'),
      complete('lsmcli', 'ls', '-o', ''),
      complete('lsmcli', '--he'),
    ]);
    assert.deepEqual(commands, ['volume-replicate', 'volume-replicate-range', 'volume-replicate-range-block-size']);
    assert.deepEqual(options, ['--pool', '--prompt'], 'the filter of list, and the global -P');
    assert.deepEqual(types, ['target_ports']);
    assert.deepEqual(formats, ['json', 'text']);
    assert.deepEqual(globals, ['--header', '--help']);
  });
});
