/**
 * The CLI's own failures and the exit codes lsmcli uses for them. An `LsmError` from the library or the plugin
 * is not wrapped: main.ts maps it to 4 (13 for PERMISSION_DENIED) and prints `NAME(code): message`.
 */

/** lsmcli's exit codes (see docs/cli.md, "Exit codes"). */
export const ExitCode = {
  OK: 0,
  /** Ctrl-C, no arguments, stdout closed under us. */
  INTERRUPTED: 1,
  /** Bad arguments, unknown ids, a job that ended in error. */
  ARGUMENT: 2,
  /** Any LsmError. */
  LSM_ERROR: 4,
  /** `-b` started a job, or `job-status` of a job still running. */
  JOB_STARTED: 7,
  /** `--fork_plugin` could not start the plugin. */
  PLUGIN_START: 8,
  PERMISSION_DENIED: 13,
} as const;

/** An argument error: printed as `lsmcli: error: <message>`, exit 2. */
export class ArgError extends Error {
  /** Print lsmcli's one-line usage first, as argparse does for errors about the command line's shape. */
  readonly usage: boolean;

  constructor(message: string, options: { usage?: boolean } = {}) {
    super(message);
    this.name = 'ArgError';
    this.usage = options.usage === true;
  }
}

/**
 * A command that finished its output and wants a non-zero exit code without an error message: `-b` after
 * printing the job id (7), `job-status` of a running job (7).
 */
export class ExitWith extends Error {
  readonly exitCode: number;
  /** Printed as `lsmcli: error: <report>` when set. */
  readonly report: string | undefined;

  constructor(exitCode: number, report?: string) {
    super(report ?? `exit ${exitCode}`);
    this.name = 'ExitWith';
    this.exitCode = exitCode;
    this.report = report;
  }
}
