/**
 * lsmcli's entry point. It stays small on purpose: start-up time is most of a command's cost, so it reads
 * argv with a dependency-free pre-parser, starts the plugin connection at once when the command needs one,
 * and only then loads commander, the output code and the command's module, while the plugin starts.
 * It owns the exit code and makes sure stdout is flushed before the process ends.
 */
import { maskUriPasswords } from '@openlsm/core';
import { preParse } from './args/preparse.js';
import { findCommand } from './args/table.js';
import type { EarlyClient } from './context.js';
import { startPluginEarly } from './early-plugin.js';
import { ExitCode } from './errors.js';
import { chooseUri, type ConnectionSettings, parseWait } from './settings.js';
import { version } from './version.js';

const pre = preParse(process.argv.slice(2));

function earlySettings(): ConnectionSettings | undefined {
  if (pre.help || pre.prompt || pre.argv.some((t) => t.startsWith('--fork_plugin')) || !pre.command || findCommand(pre.command)?.connection !== 'plugin') return undefined;
  // `list --type plugins` talks to every plugin itself and needs no session.
  if (pre.argv.some((t, i) => /^(--type=)?plugins$/i.test(t) && (t.includes('=') || pre.argv[i - 1] === '--type'))) return undefined;
  const uri = chooseUri(pre.uri);
  if (!uri) return undefined;
  try {
    return { uri, password: process.env.LSMCLI_PASSWORD || null, timeoutMs: parseWait(pre.wait) };
  } catch {
    return undefined;
  }
}

// Nothing may end lsmcli without a message and one of lsm's exit codes. Node ends a process whose event loop ran
// dry while a top-level await still waits with exit code 13, which lsm uses for PERMISSION_DENIED; and an
// exception nobody caught would print a stack. Both are bugs of ours: say so, as an lsm error.
let finished = false;
const internalError = (what: string) => {
  // eslint-disable-next-line no-control-regex
  const shown = maskUriPasswords(what).slice(0, 500).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  process.stderr.write(`LIB_BUG(1): lsmcli stopped without finishing the command (${shown}); please report it with the output of OPENLSM_LOG_LEVEL=debug\n`);
  process.exitCode = ExitCode.LSM_ERROR;
};
process.on('beforeExit', () => {
  if (!finished) internalError('nothing was left to wait for');
});
process.on('uncaughtException', (err) => {
  internalError(err instanceof Error ? err.message : String(err));
  process.exit(ExitCode.LSM_ERROR);
});

/** Runs the command and exits with its code. Not top-level await: the entry may be loaded as a script. */
async function main(): Promise<void> {
  if (pre.version) {
    // Answered before commander and the rest of the CLI are loaded: `lsmcli -v` is what scripts run to check it.
    process.stdout.write(`lsmcli ${version()}\n`, () => process.exit(ExitCode.OK));
    finished = true;
    return;
  }
  let early: EarlyClient | undefined;
  const settings = earlySettings();
  if (settings) {
    const started = startPluginEarly(settings.uri);
    // Wait for the spawn itself (a few ms) before loading anything else: the module loader would otherwise
    // interleave the rest of the CLI's loading with it and start the plugin last.
    await started.catch(() => undefined);
    const client = import('./context.js').then((m) => m.openClient(settings, started));
    client.catch(() => {}); // reported (or discarded) by whoever adopts it
    early = { settings, client };
  }

  let stdoutBroken = false;
  process.stdout.on('error', () => {
    stdoutBroken = true;
  });

  const { run } = await import('./run.js');
  const running = run(pre, early, {
    stdout: (s) => {
      if (!stdoutBroken) process.stdout.write(s);
    },
    stderr: (s) => process.stderr.write(s),
  });

  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    void running.abort().finally(() => process.exit(ExitCode.INTERRUPTED));
  });

  const code = await running.code;
  finished = true;
  const finalCode = interrupted ? ExitCode.INTERRUPTED : stdoutBroken ? ExitCode.INTERRUPTED : code;
  // Exit only once stdout has drained: process.exit() would cut a large listing written to a pipe.
  process.stdout.write('', () => process.exit(finalCode));
}

main().catch((err: unknown) => {
  internalError(err instanceof Error ? err.message : String(err));
  process.exit(ExitCode.LSM_ERROR);
});
