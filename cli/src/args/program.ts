/**
 * Builds the commander program from the command table. Settings that subcommands must inherit
 * (exitOverride, configureOutput) are applied before any command is added: commander copies them only when
 * `.command()` creates a subcommand.
 */
import { Command, Option } from 'commander';
import { globalOptions } from './globals.js';
import type { CommandSpec, OptionSpec } from './spec.js';
import { commands } from './table.js';
import { parserFor } from './values.js';

export type CommandAction = (spec: CommandSpec, opts: Record<string, unknown>, globals: Record<string, unknown>) => Promise<void>;

export interface ProgramIo {
  writeOut(s: string): void;
  writeErr(s: string): void;
}

/** `-u, --uri <URI>` from a spec. */
export function flagsOf(o: OptionSpec): string {
  const long = o.long.length === 1 ? `-${o.long}` : `--${o.long}`;
  const names = o.short ? `-${o.short}, ${long}` : long;
  return o.value ? `${names} ${o.value}` : names;
}

function toOption(o: OptionSpec): Option {
  const option = new Option(flagsOf(o), `${o.description}${o.required ? ' (required)' : ''}${o.repeatable ? ' (repeatable)' : ''}`);
  const parse = parserFor(o);
  if (o.repeatable) {
    option.argParser((text: string, previous: unknown) => [...(Array.isArray(previous) ? previous : []), parse ? parse(text) : text]);
  } else if (parse) {
    option.argParser((text: string) => parse(text));
  }
  if (o.required) option.makeOptionMandatory();
  if (o.hidden) option.hideHelp();
  return option;
}

/**
 * The one-line usage lsm prints without arguments and above errors about the command line's shape (argparse's
 * `usage: lsmcli [-h] [-v] [-u <URI>] ... command ...`).
 */
export function shortUsage(): string {
  const flags = globalOptions.filter((o) => !o.hidden).map((o) => {
    const name = o.short ? `-${o.short}` : o.long.length === 1 ? `-${o.long}` : `--${o.long}`;
    return o.value ? `[${name} ${o.value}]` : `[${name}]`;
  });
  return `usage: lsmcli [-h] [-v] ${flags.join(' ')} <command> [command options]`;
}

/** The help text after a command's options: its output and examples. */
export function helpAfter(spec: CommandSpec): string {
  const lines = ['', `Output: ${spec.output}`, '', 'Examples:'];
  for (const e of spec.examples) lines.push(`  ${e.command}${e.comment ? `    # ${e.comment}` : ''}`);
  return lines.join('\n');
}

/**
 * The program with every command, or with only `only` when the pre-parser already knows the command: building
 * 53 subcommands costs start-up time a single command does not need (errors and help are the same).
 */
export function buildProgram(version: string, io: ProgramIo, action: CommandAction, only?: string): Command {
  const program = new Command('lsmcli')
    .usage('<command> [global options] [command options]')
    .description('Manage storage arrays through libstoragemgmt-compatible plugins (openlsm).')
    .exitOverride()
    .configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr, outputError: () => {} })
    .version(`lsmcli ${version}`, '-v, --version', 'Print the version')
    .helpOption('-h, --help', 'Show help (also per command: lsmcli <command> -h)')
    .configureHelp({ showGlobalOptions: true });
  for (const o of globalOptions) program.addOption(toOption(o));
  for (const spec of commands) {
    if (only !== undefined && spec.name !== only) continue;
    const cmd = program.command(spec.name).summary(spec.summary).description(spec.summary);
    if (spec.alias) cmd.alias(spec.alias);
    for (const o of spec.options) cmd.addOption(toOption(o));
    cmd.addHelpText('after', helpAfter(spec));
    cmd.action(async function (this: Command) {
      await action(spec, this.opts(), this.optsWithGlobals());
    });
  }
  program.addHelpText('after', '\nList shortcuts: ls lp lv ld la lf lt lb = list --type systems, pools, volumes, disks, access_groups, fs, target_ports, batteries.\nExit codes: 0 ok, 1 interrupted, 2 bad arguments or unknown id, 4 lsm error, 7 job started (-b), 13 permission denied.');
  return program;
}
