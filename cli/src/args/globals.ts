/**
 * Global options: accepted before and after the command name (`lsmcli -H lv` and `lsmcli lv -H`), as lsmcli's.
 */
import type { OptionSpec } from './spec.js';

export const OUTPUT_FORMATS = ['text', 'json'] as const;

export const globalOptions: readonly OptionSpec[] = [
  { long: 'uri', short: 'u', value: '<URI>', description: 'Plugin URI, e.g. sim:// (else $LSMCLI_URI, else uri= in ~/.lsmcli)' },
  { long: 'prompt', short: 'P', description: 'Prompt for the password (else $LSMCLI_PASSWORD)' },
  { long: 'human', short: 'H', description: 'Print sizes in binary units (KiB, MiB, GiB, ...) with two decimals' },
  { long: 'terse', short: 't', value: '<SEP>', description: 'Join columns with SEP and print no header line' },
  { long: 'header', description: 'With -t, keep the header line' },
  { long: 'enum', short: 'e', description: 'Print enumerated and bitmap fields as numbers' },
  { long: 'force', short: 'f', description: 'Do not ask for confirmation before destructive operations' },
  { long: 'wait', short: 'w', value: '<MS>', kind: 'timeout', description: 'Plugin timeout in milliseconds (default 30000)' },
  { long: 'b', description: 'Do not wait for jobs: print the job id and exit 7' },
  { long: 'script', short: 's', description: 'One key/value block per object, with every property' },
  {
    long: 'output', short: 'o', value: '<FORMAT>', choices: ['TEXT', 'JSON'],
    description: 'Output format: text (default) or json (a stable JSON document on stdout, see docs/cli.md)',
  },
  {
    long: 'fork_plugin', value: '<EXE>', hidden: true, completeFiles: true,
    description: 'Run this plugin executable directly, without the daemon (exit 8 when it cannot start)',
  },
];

/** Global options that take a value (the pre-parser needs to skip their values). */
export const globalValueOptions: ReadonlySet<string> = new Set(
  globalOptions.filter((o) => o.value !== undefined).flatMap((o) => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])]),
);
