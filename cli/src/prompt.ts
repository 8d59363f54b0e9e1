/**
 * lsmcli's confirmation before destructive operations. On a terminal one key is read in raw mode; without a
 * terminal (a script feeding stdin) the first character of the first line counts. Only `y`/`Y` continues,
 * anything else (including end of input) aborts. `-f` skips all of this.
 */
import { ExitCode, ExitWith } from './errors.js';

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
