/**
 * `openlsm-lio`: the boot-time side of the lio plugin.
 *
 *   openlsm-lio restore [--clear] [--config FILE] [--saveconfig FILE] [--configfs DIR]
 *   openlsm-lio save    [--config FILE] [--saveconfig FILE] [--configfs DIR]
 *
 * `restore` puts saveconfig.json (targetcli's format, ours or targetcli's) back into the kernel, as `targetctl
 * restore` does; objects already in the tree are refused unless `--clear` empties it first. A missing file is
 * not an error (nothing was saved yet). `save` writes the whole tree to saveconfig.json. Exit codes: 0 done,
 * 2 bad arguments, 4 failure (the message says what is missing); settings that could not be restored are warned
 * about on stderr and do not fail the restore, as with targetctl.
 */
import { ErrorNumber, LsmError } from '@openlsm/core';
import { createLogger } from '@openlsm/log';
import { loadConfig } from './config.js';
import { LioSession } from './session.js';

const USAGE = `usage: openlsm-lio restore [--clear] [--config FILE] [--saveconfig FILE] [--configfs DIR]
       openlsm-lio save [--config FILE] [--saveconfig FILE] [--configfs DIR]`;

function fail(code: number, message: string): never {
  process.stderr.write(`openlsm-lio: ${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command !== 'restore' && command !== 'save') fail(2, `${command === undefined ? 'no command' : `unknown command ${JSON.stringify(command)}`}\n${USAGE}`);
  const parameters: Record<string, string> = {};
  let clear = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const flag = { '--config': 'config', '--saveconfig': 'saveconfig', '--configfs': 'configfs' }[arg];
    if (arg === '--clear' && command === 'restore') clear = true;
    else if (flag !== undefined && rest[i + 1] !== undefined) parameters[flag] = rest[++i] as string;
    else fail(2, `unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  const log = createLogger({ component: 'openlsm-lio' });
  const config = loadConfig(parameters);
  const session = await LioSession.open(config, log, { autoRestore: false });
  try {
    if (command === 'save') {
      await session.saveAll();
      process.stderr.write(`openlsm-lio: saved the configuration to ${config.saveconfig}\n`);
      return;
    }
    const skipped = await session.restoreFile(clear);
    if (skipped === undefined) process.stderr.write(`openlsm-lio: ${config.saveconfig} does not exist: nothing to restore\n`);
    else {
      for (const line of skipped) process.stderr.write(`openlsm-lio: ${line}\n`);
      process.stderr.write(`openlsm-lio: restored ${config.saveconfig}${skipped.length ? ` (${skipped.length} setting(s) skipped)` : ''}\n`);
    }
  } finally {
    await session.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof LsmError) fail(err.code === ErrorNumber.PERMISSION_DENIED ? 13 : 4, err.message);
  // Not expected: say so without a stack trace for the user; the stack goes to the debug log.
  createLogger({ component: 'openlsm-lio' }).debug('unexpected failure', { stack: (err as Error).stack });
  fail(4, `unexpected failure: ${(err as Error).message}`);
});
