/**
 * `openlsm-plugin-test --uri URI [--password-file FILE]`: lsm's conformance checks against one plugin, in any
 * language, reached as lsmcli would reach it (the daemon's socket, else the `<name>_lsmplugin` executable found
 * in $OPENLSM_PLUGIN_DIR or node_modules/.bin). The report goes to stdout; exit code 0 when no check failed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatUriForLog } from '@openlsm/client';
import { describeError } from './check.js';
import { formatHeader, formatReport, formatResult } from './report.js';
import { allChecks, runConformance } from './runner.js';

const USAGE = `usage: openlsm-plugin-test --uri URI [--password-file FILE] [--timeout MS] [--only TEXT]... [--json]

Runs libstoragemgmt's conformance checks against the plugin serving URI: the session and the protocol,
then, for each capability the plugin claims, the operations it announces, with lsm's semantics and error
codes. Objects it creates are named olsmct_* and deleted afterwards. Checks gated by a capability the
plugin does not claim are listed as skipped, with that capability.

  --uri URI              the plugin and array, as for lsmcli -u (e.g. sim://, targetd+ssl://admin@host)
  --password-file FILE   the array's password: the file's first line (never give it on the command line)
  --timeout MS           deadline of every call (default 30000)
  --only TEXT            run only the checks whose id contains TEXT (repeatable)
  --json                 print the report as JSON
  -h, --help             show this help
  -V, --version          show the version

Exit status: 0 all checks passed or were skipped, 1 a check failed, 2 bad usage.
`;

function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The password is the file's first line: an editor's trailing newline is not part of it. */
function readPassword(file: string): string {
  const text = readFileSync(file, 'utf8');
  return text.split(/\r?\n/, 1)[0] ?? '';
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        uri: { type: 'string' },
        'password-file': { type: 'string' },
        timeout: { type: 'string' },
        only: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`openlsm-plugin-test: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`openlsm-plugin-test ${version()}\n`);
    return 0;
  }
  if (values.uri === undefined) {
    process.stderr.write(`openlsm-plugin-test: --uri is required\n${USAGE}`);
    return 2;
  }
  const timeoutMs = values.timeout === undefined ? 30_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    process.stderr.write(`openlsm-plugin-test: --timeout must be a positive number of milliseconds\n`);
    return 2;
  }
  let password: string | null = null;
  if (values['password-file'] !== undefined) {
    try {
      password = readPassword(values['password-file']);
    } catch (err) {
      process.stderr.write(`openlsm-plugin-test: cannot read the password file: ${(err as NodeJS.ErrnoException).code ?? describeError(err)}\n`);
      return 2;
    }
  }
  if (values.only && !values.only.some((text) => allChecks.some((c) => c.id.includes(text)))) {
    process.stderr.write(`openlsm-plugin-test: no check id contains ${values.only.map((t) => JSON.stringify(t)).join(' or ')}; the ids are: ${allChecks.map((c) => c.id).join(', ')}\n`);
    return 2;
  }
  const json = values.json === true;
  const report = await runConformance({
    uri: values.uri,
    password,
    timeoutMs,
    ...(values.only ? { only: values.only } : {}),
    ...(json ? {} : {
      onConnected: (plugin) => process.stdout.write(formatHeader(formatUriForLog(values.uri!), plugin)),
      onResult: (r) => process.stdout.write(formatResult(r)),
    }),
  });
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
