/**
 * `npm init @openlsm/plugin <directory> [<name>]` (that is, `create-plugin`): a new plugin package from the
 * template, ready to build, test and run with lsmcli.
 */
import { describeForMessage, LsmError } from '@openlsm/core';
import { generatePlugin, nameFromDirectory } from './generate.js';

const USAGE = `usage: npm init @openlsm/plugin <directory> [<name>]

Creates an openlsm plugin package in <directory>: the plugin <name>_lsmplugin for URIs <name>://, with its
build, unit tests, and lsmcli, openlsmd and openlsm-plugin-test as development tools. <name> defaults to the
directory's name without "openlsm-plugin-" or "-plugin" (acme-plugin gives acme).
`;

function main(argv: string[]): number {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [directory, given, ...extra] = argv;
  if (directory === undefined || directory.startsWith('-') || extra.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const name = given ?? nameFromDirectory(directory);
  try {
    const files = generatePlugin(directory, name);
    process.stdout.write(`Created the plugin ${name}_lsmplugin (${name}://) in ${directory}: ${files.join(', ')}

Next:
  cd ${directory}
  npm install
  chmod +x bin/${name}_lsmplugin
  npm test
  OPENLSM_PLUGIN_DIR=bin LSMCLI_PASSWORD=secret npx lsmcli -u ${name}://admin@array.example list --type pools
`);
    return 0;
  } catch (err) {
    const message = err instanceof LsmError ? err.message : `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${describeForMessage((err as Error).message)}`;
    process.stderr.write(`create-plugin: ${message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
