/**
 * The CLI proper, loaded by main.ts once the plugin is starting: parses the arguments with commander, runs
 * the command's handler (its module is imported only now), and reports errors. Returns the exit code.
 */
import { dashValueError, type PreParsed } from './args/preparse.js';
import { buildProgram, shortUsage } from './args/program.js';
import type { CommandSpec, Family } from './args/spec.js';
import { findCommand } from './args/table.js';
import type { Handler } from './commands/handler.js';
import { closeQuietly, Context, type EarlyClient, type Globals } from './context.js';
import { ArgError, ExitCode } from './errors.js';
import { describeError } from './exit.js';
import { Printer } from './output/printer.js';
import { version } from './version.js';

const families: Record<Family, () => Promise<{ handlers: Record<string, Handler> }>> = {
  list: () => import('./commands/list.js'),
  system: () => import('./commands/system.js'),
  volume: () => import('./commands/volume.js'),
  'volume-extra': () => import('./commands/volume-extra.js'),
  'access-group': () => import('./commands/access-group.js'),
  fs: () => import('./commands/fs.js'),
  local: () => import('./commands/local.js'),
};

export interface RunIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

export interface Running {
  /** Resolves with the exit code once the command finished and the connection is closed. */
  code: Promise<number>;
  /** Closes the plugin connection (Ctrl-C). */
  abort(): Promise<void>;
}

export function run(pre: PreParsed, early: EarlyClient | undefined, io: RunIo): Running {
  let context: Context | undefined;
  const action = async (spec: CommandSpec, opts: Record<string, unknown>, raw: Record<string, unknown>) => {
    const globals = raw as Globals;
    const printer = new Printer({
      json: globals.output === 'JSON',
      human: globals.human === true,
      enumNumbers: globals.enum === true,
      terse: globals.terse,
      header: globals.header === true,
      script: globals.script === true,
    }, io.stdout);
    context = new Context(spec.name, globals, printer, spec.connection === 'plugin' ? early : undefined);
    const { handlers } = await families[spec.family]();
    const handler = handlers[spec.name];
    if (!handler) throw new Error(`no handler for ${spec.name}`);
    await handler(context, opts);
  };
  const closeAll = async () => {
    await context?.close();
    if (early) await closeQuietly(early.client);
  };
  const code = (async () => {
    let exitCode = 0;
    try {
      // As lsm's: no arguments at all print the usage and exit 1; options without a command are an error.
      if (pre.argv.length === 0) {
        io.stdout(`${shortUsage()}\n`);
        return ExitCode.INTERRUPTED;
      }
      if (!pre.hasCommandWord && !pre.help) throw new ArgError('the following arguments are required: command', { usage: true });
      const spec = pre.command === undefined ? undefined : findCommand(pre.command);
      const dashValue = spec && dashValueError(pre.argv, new Set(spec.options.filter((o) => o.value).map((o) => `--${o.long}`)));
      if (dashValue) throw new ArgError(dashValue, { usage: true });
      const program = buildProgram(version(), { writeOut: io.stdout, writeErr: io.stderr }, action, pre.command);
      await program.parseAsync(pre.argv, { from: 'user' });
    } catch (err) {
      const report = describeError(err, pre.json);
      if (report.text) io.stderr(report.text);
      exitCode = report.exitCode;
    } finally {
      await closeAll();
    }
    return exitCode;
  })();
  return { code, abort: closeAll };
}
