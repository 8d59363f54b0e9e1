/**
 * Turns whatever ended a command into lsmcli's exit code and stderr text:
 * an LsmError prints `NAME(code): message` and exits 4 (13 for PERMISSION_DENIED); argument errors print
 * `lsmcli: error: <message>` and exit 2; with -o json, errors are one JSON document on stderr instead.
 */
import { CommanderError } from 'commander';
import { ErrorNumber, errorName, LsmError, maskUriPasswords } from '@openlsm/core';
import { shortUsage } from './args/program.js';
import { ArgError, ExitCode, ExitWith } from './errors.js';
import { toJson } from './output/json.js';
import { printable } from './output/table.js';

/** Longest message printed: a 100 KB option value is not echoed back whole. */
const MAX_MESSAGE = 2000;

/** A message fit for the terminal: no URI password, control characters escaped, length capped. */
export function terminalText(message: string): string {
  const safe = printable(maskUriPasswords(message));
  return safe.length > MAX_MESSAGE ? `${safe.slice(0, MAX_MESSAGE)}…` : safe;
}

export interface ErrorReport {
  exitCode: number;
  /** What to print on stderr ('' for nothing). */
  text: string;
}

function jsonError(code: number | null, name: string, text: string): string {
  const message = maskUriPasswords(text);
  const capped = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
  return `${toJson({ error: { code, name, message: capped } })}\n`;
}

export function describeError(err: unknown, json: boolean): ErrorReport {
  if (err instanceof ExitWith) {
    if (err.report === undefined) return { exitCode: err.exitCode, text: '' };
    return { exitCode: err.exitCode, text: json ? jsonError(null, 'ARGUMENT_ERROR', err.report) : `lsmcli: error: ${terminalText(err.report)}\n` };
  }
  if (err instanceof LsmError) {
    const exitCode = err.code === ErrorNumber.PERMISSION_DENIED ? ExitCode.PERMISSION_DENIED : ExitCode.LSM_ERROR;
    return { exitCode, text: json ? jsonError(err.code, errorName(err.code), err.message) : `${terminalText(err.toString())}\n` };
  }
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return { exitCode: ExitCode.OK, text: '' };
    // `lsmcli help [command]` printed help (exit code 0); commander's other help is an error it already printed.
    if (err.code === 'commander.help') return { exitCode: err.exitCode === 0 ? ExitCode.OK : ExitCode.ARGUMENT, text: '' };
    const message = err.message.replace(/^error: /, '');
    return { exitCode: ExitCode.ARGUMENT, text: json ? jsonError(null, 'ARGUMENT_ERROR', message) : `lsmcli: error: ${terminalText(message)}\n` };
  }
  const message = err instanceof ArgError || err instanceof Error ? err.message : String(err);
  if (json) return { exitCode: ExitCode.ARGUMENT, text: jsonError(null, 'ARGUMENT_ERROR', message) };
  const usage = err instanceof ArgError && err.usage ? `${shortUsage()}\n` : '';
  return { exitCode: ExitCode.ARGUMENT, text: `${usage}lsmcli: error: ${terminalText(message)}\n` };
}
