/**
 * lsmcli's questions. The confirmation before destructive operations: on a terminal one key is read in raw
 * mode; without a terminal (a script feeding stdin) the first character of the first line counts. Only `y`/`Y`
 * continues, anything else (including end of input) aborts; `-f` skips it. The password for `-P`: one line,
 * not echoed on a terminal.
 */
import { ArgError, ExitCode, ExitWith } from './errors.js';

export interface PromptIo {
  input: NodeJS.ReadStream;
  output: NodeJS.WritableStream;
}

function readKey(input: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    input.setRawMode(true);
    input.resume();
    input.once('data', (chunk: Buffer) => {
      input.setRawMode(false);
      input.pause();
      resolve(chunk.toString('utf8'));
    });
  });
}

function readLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const finish = () => {
      input.off('data', onData);
      input.off('end', finish);
      input.off('error', finish);
      input.pause();
      resolve(text);
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n') || text.length > 4096) finish();
    };
    input.on('data', onData);
    input.once('end', finish);
    input.once('error', finish);
    input.resume();
  });
}

/** Asks; resolves true when the user pressed y or Y. Ctrl-C on the terminal exits with code 1. */
export async function confirm(kind: 'will' | 'may', io: PromptIo = { input: process.stdin, output: process.stderr }): Promise<boolean> {
  io.output.write(`Warning: You are about to do an operation that ${kind} cause data to be lost!\n`
    + 'Press [Y|y] to continue, any other key to abort\n');
  const answer = io.input.isTTY ? await readKey(io.input) : await readLine(io.input);
  if (answer.startsWith('\u0003')) throw new ExitWith(ExitCode.INTERRUPTED);
  const ok = answer.startsWith('y') || answer.startsWith('Y');
  if (!ok) io.output.write('Operation aborted!\n');
  return ok;
}

/**
 * `-P`: reads one line as the password, without echo on a terminal (lsm uses getpass). End of input before a
 * line is an argument error (exit 2) rather than a wait for ever; Ctrl-C exits with code 1.
 */
export async function askPassword(io: PromptIo = { input: process.stdin, output: process.stderr }): Promise<string> {
  const { read } = await import('read');
  let onEnd: (() => void) | undefined;
  const ended = new Promise<never>((_resolve, reject) => {
    // A last line without a newline is delivered at the end too, and resolves `read` a few ticks later: let it.
    onEnd = () => setImmediate(() => {
      io.output.write('\n');
      reject(new ArgError('-P: no password was given: standard input ended before a line was read'));
    });
    io.input.once('end', onEnd);
  });
  try {
    return await Promise.race([read({ prompt: 'Password: ', silent: true, input: io.input, output: io.output }), ended]);
  } catch (err) {
    // `read` rejects with "canceled" when Ctrl-C is pressed at the prompt.
    if (err instanceof Error && err.message === 'canceled') throw new ExitWith(ExitCode.INTERRUPTED);
    throw err;
  } finally {
    if (onEnd) io.input.off('end', onEnd);
  }
}
