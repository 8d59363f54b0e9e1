/**
 * `openlsm-migrate`: moving an iSCSI configuration from one target implementation to another.
 *
 *   openlsm-migrate tgt-to-lio [--tgt-config FILE] [--tgt-socket PATH] [--targets-conf FILE]
 *                              [--lio-config FILE] [--configfs ROOT] [--saveconfig PATH] [--lio-state FILE]
 *                              [--portal IP:PORT ...] [--no-portals] [--dry-run] [--json]
 *
 * Exit codes: 0 done (or planned, with --dry-run), 2 bad arguments, 3 something LIO cannot take (nothing was
 * changed), 4 any other failure (nothing was changed), 13 permission denied.
 */
import { parseArgs } from 'node:util';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { createLogger } from '@openlsm/log';
import { migrateTgtToLio, refusalError } from './migrate.js';
import { formatJson, formatText } from './report.js';

const USAGE = `usage: openlsm-migrate tgt-to-lio [options]

Carries the targets of a running tgtd (LUNs, initiator-name ACLs, CHAP accounts) over to LIO, the kernel's
iSCSI target, checks that LIO holds the same, and saves saveconfig.json. tgtd is read, never changed.
What LIO cannot take is refused, item by item, before anything changes.

tgtd:
  --tgt-config FILE    the tgt plugin's tgt.yaml (socket, state with CHAP secrets); default /etc/openlsm/tgt.yaml if present
  --tgt-socket PATH    tgtd's management socket; default the tgt.yaml's, else /var/run/tgtd/socket.0
  --targets-conf FILE  tgt-admin's configuration, for CHAP secrets; default /etc/tgt/targets.conf if present
LIO:
  --lio-config FILE    the lio plugin's lio.yaml (saveconfig path); default /etc/openlsm/lio.yaml if present
  --configfs ROOT      where configfs is mounted; default /sys/kernel/config
  --saveconfig PATH    saveconfig.json to write; default lio.yaml's, else targetcli's path
  --lio-state FILE     the lio plugin's state file; default next to saveconfig.json
  --portal IP:PORT     portal for every migrated target, instead of tgtd's (repeatable)
  --no-portals         make the targets without portals (add them once tgtd is stopped)
Output:
  --dry-run            print the plan and what would be refused; change nothing
  --json               the plan and the outcome as JSON on stdout
  -h, --help           this text`;

function fail(code: number, message: string): never {
  process.stderr.write(`openlsm-migrate: ${message}\n`);
  process.exit(code);
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'tgt-config': { type: 'string' },
        'tgt-socket': { type: 'string' },
        'targets-conf': { type: 'string' },
        'lio-config': { type: 'string' },
        configfs: { type: 'string' },
        saveconfig: { type: 'string' },
        'lio-state': { type: 'string' },
        portal: { type: 'string', multiple: true },
        'no-portals': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return fail(2, `${(err as Error).message}\n${USAGE}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1 || positionals[0] !== 'tgt-to-lio') {
    fail(2, `${positionals.length === 0 ? 'no command' : `unknown command ${JSON.stringify(positionals.join(' '))}`}\n${USAGE}`);
  }
  if (values['no-portals'] && values.portal) fail(2, '--portal and --no-portals exclude each other');
  const lio: Record<string, string> = {};
  for (const [flag, key] of [['lio-config', 'config'], ['configfs', 'configfs'], ['saveconfig', 'saveconfig'], ['lio-state', 'state']] as const) {
    const value = values[flag];
    if (value !== undefined) lio[key] = value;
  }
  const log = createLogger({ component: 'openlsm-migrate' });
  const dryRun = values['dry-run'] === true;
  const result = await migrateTgtToLio({
    lio,
    dryRun,
    ...(values['tgt-config'] === undefined ? {} : { tgtConfig: values['tgt-config'] }),
    ...(values['tgt-socket'] === undefined ? {} : { socket: values['tgt-socket'] }),
    ...(values['targets-conf'] === undefined ? {} : { targetsConf: values['targets-conf'] }),
    ...(values['no-portals'] ? { portals: [] } : values.portal === undefined ? {} : { portals: values.portal }),
  }, log);
  process.stdout.write(values.json ? formatJson(result) : formatText(result, dryRun));
  if (result.plan.refusals.length > 0) fail(3, refusalError(result.plan).message);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof LsmError) fail(err.code === ErrorNumber.PERMISSION_DENIED ? 13 : 4, err.message);
  // Not expected: no stack trace for the user; it goes to the debug log.
  createLogger({ component: 'openlsm-migrate' }).debug('unexpected failure', { stack: (err as Error).stack });
  fail(4, `unexpected failure: ${(err as Error).message}`);
});
