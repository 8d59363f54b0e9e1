import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { progressLine, startProgress } from './progress.js';
import { ArgError } from './errors.js';
import { askPassword, confirm } from './prompt.js';

async function answer(input: string | null): Promise<[boolean, string]> {
  const stdin = new PassThrough();
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => { text += c.toString(); });
  if (input === null) stdin.end();
  else stdin.end(input);
  const ok = await confirm('will', { input: stdin as unknown as NodeJS.ReadStream, output: out });
  return [ok, text];
}

describe('confirmation prompt (no terminal: the first line of stdin decides)', () => {
  test('y and Y continue', async () => {
    assert.deepEqual((await answer('y\n'))[0], true);
    assert.deepEqual((await answer('Yes\n'))[0], true);
  });

  test('anything else, or end of input, aborts with lsm\'s message', async () => {
    for (const input of ['n\n', '\n', 'x', null]) {
      const [ok, text] = await answer(input);
      assert.equal(ok, false);
      assert.match(text, /^Warning: You are about to do an operation that will cause data to be lost!\nPress \[Y\|y\] to continue, any other key to abort\nOperation aborted!\n$/);
    }
  });
});

describe('password prompt (-P) without a terminal', () => {
  const io = (input: string | null) => {
    const stdin = new PassThrough();
    if (input === null) stdin.end();
    else stdin.end(input);
    return { input: stdin as unknown as NodeJS.ReadStream, output: new PassThrough() };
  };

  test('reads one line', async () => {
    assert.equal(await askPassword(io('s3cret\nrest\n')), 's3cret');
  });

  test('end of input before a line is an argument error, not a wait for ever', async () => {
    await assert.rejects(askPassword(io(null)), (err) => err instanceof ArgError && /standard input ended/.test(err.message));
  });
});

describe('progress bar', () => {
  test('draws a fixed-width bar', () => {
    assert.equal(progressLine('JOB_1', 50), 'JOB_1 [###############...............]  50%');
    assert.equal(progressLine('J', 250), `J [${'#'.repeat(30)}] 100%`);
  });

  test('writes nothing when the stream is not a terminal', () => {
    let written = '';
    const stream = { isTTY: false, write: (s: string) => { written += s; return true; } } as unknown as NodeJS.WriteStream;
    const bar = startProgress('J', stream);
    bar.update(10);
    bar.done();
    assert.equal(written, '');
    const tty = { isTTY: true, write: (s: string) => { written += s; return true; } } as unknown as NodeJS.WriteStream;
    const shown = startProgress('J', tty);
    shown.update(10);
    shown.done();
    assert.match(written, /^\rJ \[###.*\] {2}10%\r\u001b\[K$/);
  });
});
