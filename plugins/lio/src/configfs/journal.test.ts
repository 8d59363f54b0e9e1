import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Journal } from './journal.js';

test('rollback runs the inverses newest first, goes on past a failing one, and reports it', async () => {
  const journal = new Journal();
  const done: string[] = [];
  journal.undo('a', () => { done.push('a'); });
  journal.undo('b', () => { throw new Error('no'); });
  journal.undo('c', async () => { done.push('c'); });
  assert.deepEqual(await journal.rollback(), ['b']);
  assert.deepEqual(done, ['c', 'a']);
  assert.equal(journal.length, 0);
  journal.undo('d', () => { done.push('d'); });
  assert.deepEqual(journal.rollbackSync(), []);
  assert.deepEqual(done, ['c', 'a', 'd']);
});
