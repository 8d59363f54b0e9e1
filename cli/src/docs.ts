/**
 * docs/cli.md, generated from the command table (`node cli/dist/gen-docs.js > docs/cli.md`). A unit test fails
 * when the committed file differs, so the reference cannot fall behind the code.
 */
import {
  AccessGroupSchema, BatterySchema, DiskSchema, FileSystemSchema, FsSnapshotSchema, NfsExportSchema, PoolSchema,
  type RecordSchema, SystemSchema, TargetPortSchema, VolumeSchema,
} from '@openlsm/core';
import { globalOptions } from './args/globals.js';
import { flagsOf } from './args/program.js';
import type { CommandSpec, OptionSpec } from './args/spec.js';
import { commands, listAliases } from './args/table.js';

const cell = (s: string) => s.replaceAll('|', '\\|');

function optionRow(o: OptionSpec): string {
  const notes = [o.required ? 'required' : 'optional'];
  if (o.repeatable) notes.push('repeatable');
  if (o.choices) notes.push(`one of ${o.choices.join(', ')} (any case)`);
  if (o.kind === 'size') notes.push('size syntax');
  return `| \`${cell(flagsOf(o))}\` | ${cell(o.description)} | ${notes.join('; ')} |`;
}

function commandSection(c: CommandSpec): string[] {
  const lines = [`### ${c.name}${c.alias ? ` (alias \`${c.alias}\`)` : ''}`, '', `${c.summary}.`, ''];
  if (c.connection === 'local') lines.push('Works on this machine only: no URI, no plugin, no daemon.', '');
  if (c.options.length) {
    lines.push('| Option | Meaning | |', '|---|---|---|', ...c.options.map(optionRow), '');
  } else {
    lines.push('No options.', '');
  }
  lines.push(`**Output:** ${c.output}`, '');
  lines.push('```sh', ...c.examples.map((e) => `${e.command}${e.comment ? `    # ${e.comment}` : ''}`), '```', '');
  return lines;
}

function schemaFields(schema: RecordSchema<unknown>, extra: string[] = []): string {
  return [...schema.fieldNames.map((f) => `\`${f}\``), ...extra].join(', ');
}

export function renderCliDoc(): string {
  const out: string[] = [
    '# lsmcli reference',
    '',
    '<!-- Generated from cli/src/args (the command table) by `node cli/dist/gen-docs.js > docs/cli.md`. Do not edit by hand: a test compares this file with the generated text. -->',
    '',
    '`lsmcli` manages storage arrays through openlsm plugins. It accepts libstoragemgmt\'s `lsmcli` commands,',
    'options and aliases and prints the same output, so existing scripts keep working; it adds JSON output',
    '(`-o json`), a progress bar for jobs on a terminal, and bash completion.',
    '',
    '```',
    'lsmcli <command> [global options] [command options]',
    '```',
    '',
    '## Connecting',
    '',
    '* **URI**: `-u/--uri`, else `$LSMCLI_URI`, else the `uri=` line of `~/.lsmcli`. Without a URI only `list --type plugins` and',
    '  the `local-*` commands work; anything else fails with "--uri missing or export LSMCLI_URI" (exit 2). Examples:',
    '  `sim://` (the simulator, state in a temporary file), `sim://?statefile=/path/state.db`, `targetd+ssl://admin@array:18700`.',
    '* **Password**: `-P` prompts for it (no echo on a terminal; otherwise the first line of stdin is read, and stdin at its',
    '  end fails with "-P: no password was given", exit 2); else `$LSMCLI_PASSWORD`. It is never accepted on the command',
    '  line. A password with a URI that has no `user@` fails with "password specified with no user name in uri" (exit 2). No',
    '  message ever shows a password, even of a malformed URI (`sim:/admin:secret@host` is printed `sim:/admin@host`).',
    '* **Daemon or embedded**: when openlsmd listens for the URI\'s plugin its socket is used; otherwise lsmcli starts the',
    '  plugin executable itself (`<scheme>_lsmplugin`, from `$OPENLSM_PLUGIN_DIR` or the installed plugins).',
    '* **When the plugin fails**: a plugin that exits or is killed (at any moment, also while starting) ends the command at',
    '  once with `TRANSPORT_COMMUNICATION(400)` naming its exit code or signal and the last lines it wrote on stderr',
    '  (exit 4; exit 8 with `--fork_plugin`). A plugin that does not answer within `-w` gives `TIMEOUT(11)` (exit 4) and is',
    '  killed at once: lsmcli does not wait for a stuck plugin to end the session.',
    '',
    '## Global options',
    '',
    'Accepted before or after the command name (`lsmcli -H lv` and `lsmcli lv -H` are the same). A value that starts with',
    '`-` is written with `=`, as for lsm\'s lsmcli: `--name=-foo` (`--name -foo` is an argument error saying so).',
    '',
    '| Option | Meaning |',
    '|---|---|',
    ...globalOptions.map((o) => `| \`${cell(flagsOf(o))}\` | ${cell(o.description)} |`),
    '| `-v, --version` | Print the version |',
    '| `-h, --help` | Help; `lsmcli <command> -h` shows a command\'s options, output and examples |',
    '',
    '## Aliases',
    '',
    '| Alias | Expands to |',
    '|---|---|',
    ...listAliases.map((a) => `| \`${a.alias}\` | \`list --type ${a.type}\` |`),
    ...commands.filter((c) => c.alias).map((c) => `| \`${c.alias}\` | \`${c.name}\` |`),
    '',
    'An alias is recognised at the command position only (libstoragemgmt\'s lsmcli also replaced option values that',
    'happened to equal an alias).',
    '',
    '## Sizes',
    '',
    'A number (digits and `.`), optional blanks, an optional unit; no unit means bytes; the result is truncated to whole',
    'bytes, computed exactly. Units (any case): `B`; `KiB MiB GiB TiB PiB EiB` (powers of 1024); `KB MB GB TB PB EB`',
    '(powers of 1000); `K M G T P E` (powers of 1024). `1.5GiB` is 1610612736. A malformed size is an argument error',
    '(exit 2); an unknown unit is lsm\'s INVALID_ARGUMENT "Invalid size unit" (exit 4).',
    '',
    '## Output formats',
    '',
    '* **Columns** (default): a header, a dashed line as wide as the table, one row per object, cells padded and joined',
    '  with ` | `. A cell with several values (initiators, members, hosts) continues on extra rows whose other cells are blank.',
    '* **Terse** (`-t SEP`): the same rows joined with SEP, without the header (add `--header` to keep it). Cells are still',
    '  padded, and a column that is empty in every row is one blank wide, as in lsm (`OK, ,sim-01`).',
    '* **Script** (`-s`): one block per object, one `Key | Value` row per property, including properties hidden in column',
    '  mode (block size and count, location, auth type, anonymous UID/GID, ...). As in lsm, every block of a listing has',
    '  the same width (the widest key and value over all objects), one dashed line stands before each block and one after',
    '  the last, and a property whose list is empty (Disk Paths, Root Hosts, RO Hosts) has no row. `capabilities` is',
    '  printed as one such block.',
    '* **Enumerations** (`-e`): enumerated and bitmap fields as numbers instead of names.',
    '* **Human sizes** (`-H`): sizes in the largest binary unit not above the value, two decimals (`1.50 TiB`).',
    '* Control characters in names coming from an array are shown escaped (`\\x1b`), so they cannot act on the terminal.',
    '* **JSON** (`-o json` or `--output json`): one JSON document on stdout; see below.',
    '',
    '### JSON output',
    '',
    'Field names are lsm\'s; enumerations and bitmaps are numbers; sizes are JSON numbers written exactly, digit for digit,',
    'even above 2^53 (parse them with a big-number aware parser when they can be that large). Commands that print a table',
    'print a JSON **array** of objects (also when they made one object, such as `volume-create`); commands that print',
    'nothing print nothing; other shapes are listed with each command. The objects:',
    '',
    '| Object | Fields |',
    '|---|---|',
    `| System | ${schemaFields(SystemSchema)} |`,
    `| Pool | ${schemaFields(PoolSchema)} |`,
    `| Volume | ${schemaFields(VolumeSchema, ['`size_bytes` (= block_size x num_of_blocks)'])} |`,
    `| Disk | ${schemaFields(DiskSchema, ['`size_bytes`'])} |`,
    `| Access group | ${schemaFields(AccessGroupSchema)} |`,
    `| Target port | ${schemaFields(TargetPortSchema)} |`,
    `| File system | ${schemaFields(FileSystemSchema)} |`,
    `| Snapshot | ${schemaFields(FsSnapshotSchema)} |`,
    `| NFS export | ${schemaFields(NfsExportSchema)} |`,
    `| Battery | ${schemaFields(BatterySchema)} |`,
    '',
    'With `-b`, a command that started a job prints `{"job_id": "<id>"}` and exits 7. Errors are printed on **stderr** as',
    '`{"error": {"code": <lsm error number, or null for an argument error>, "name": "<lsm error name or ARGUMENT_ERROR>",',
    '"message": "<text>"}}`, with the same exit codes as in text mode.',
    '',
    '## Exit codes',
    '',
    '| Code | When |',
    '|---|---|',
    '| 0 | Success, including an empty listing, and a confirmation answered with anything but `y` ("Operation aborted!"); `--help`, `help` and `help <command>` |',
    '| 1 | Interrupted (Ctrl-C); no arguments at all (lsm\'s one-line usage on stdout); stdout closed early (broken pipe) |',
    '| 2 | Argument error (`lsmcli: error: <message>` on stderr): unknown option or command, missing or malformed value, unknown id (`<Type> with ID <id> not found!`), bad filter combination; options but no command (the usage, then `the following arguments are required: command`) |',
    '| 4 | An lsm error from the library or the plugin, printed as `NAME(code): message` on stderr (also a plugin that died or did not answer in time) |',
    '| 7 | `-b` started a job (its id is on stdout), or `job-status` of a job still running (its percentage is on stdout) |',
    '| 8 | `--fork_plugin <exe>` (hidden option: run that plugin executable directly) could not start it, or it died before it answered `plugin_register` |',
    '| 13 | PERMISSION_DENIED, and nothing else (Node\'s own exit code 13 cannot reach you: an internal failure is reported as `LIB_BUG(1)`, exit 4) |',
    '',
    '## Jobs and confirmation',
    '',
    'Long operations run as jobs. lsmcli waits for them (polling every 0.25 s) and prints the result; on a terminal a',
    'progress bar is drawn on stderr, and nothing when stderr is not a terminal. With `-b` it prints the job id and exits 7;',
    '`lsmcli job-status --job <id>` then reports it.',
    '',
    'Destructive commands (volume-delete, volume-resize, volume-replicate-range, fs-delete, fs-resize, fs-snap-delete,',
    'fs-snap-restore) print a warning on stderr and read one key from the terminal, or one line from stdin when it is not',
    'a terminal; only `y`/`Y` continues. `-f` skips the question.',
    '',
    '## Bash completion',
    '',
    '`cli/completion/lsmcli.bash` completes commands, aliases, options and choice values. Install it with',
    '`cp cli/completion/lsmcli.bash /etc/bash_completion.d/lsmcli` (system-wide) or',
    '`echo "source $PWD/cli/completion/lsmcli.bash" >> ~/.bashrc`. It is generated from the same table as this',
    'page (`node cli/dist/gen-completion.js > cli/completion/lsmcli.bash`).',
    '',
    '## Commands',
    '',
  ];
  for (const c of commands) out.push(...commandSection(c));
  return `${out.join('\n').trimEnd()}\n`;
}
