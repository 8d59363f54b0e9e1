import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedMutex } from './keyed-mutex.js';

describe('KeyedMutex', () => {
  it('serialises holders of one key only, in order, and survives a failing holder', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    let releaseA!: () => void;
    const a = mutex.run('k', async () => {
      events.push('a start');
      await new Promise<void>((r) => { releaseA = r; });
      events.push('a end');
      throw new Error('a failed');
    });
    const b = mutex.run('k', async () => { events.push('b'); return 2; });
    const other = mutex.run('other', async () => { events.push('other'); return 3; });
    assert.equal(await other, 3);
    assert.deepEqual(events, ['a start', 'other']);
    releaseA();
    await assert.rejects(a, /a failed/);
    assert.equal(await b, 2);
    assert.deepEqual(events, ['a start', 'other', 'a end', 'b']);
  });
});
