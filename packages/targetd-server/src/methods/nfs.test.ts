import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostOptions } from './nfs.js';

describe("targetd's NFS export options", () => {
  it('flags, key=value pairs, and the exportfs default of read-only', () => {
    assert.deepEqual(parseHostOptions([]), { write: false, rootSquash: true, anonUid: -1, anonGid: -1, sec: null, extra: [] });
    assert.deepEqual(parseHostOptions(['rw', 'no_root_squash', 'sync', 'anonuid=99', 'anongid=100', 'sec=krb5', 'fsid=1']),
      { write: true, rootSquash: false, anonUid: 99, anonGid: 100, sec: 'krb5', extra: ['sync', 'fsid=1'] });
  });

  it("conflicts and unknown options are -32602 with targetd's messages", () => {
    const refused = (options: string[], message: RegExp) => assert.throws(() => parseHostOptions(options), (err: { code?: number; message: string }) => err.code === -32602 && message.test(err.message));
    refused(['rw', 'ro'], /^Both RO & RW set$/);
    refused(['sync', 'async'], /^Both SYNC & ASYNC set$/);
    refused(['root_squash', 'no_root_squash'], /ROOT_SQUASH, NO_ROOT_SQUASH/);
    refused(['bogus'], /option bogus not valid/);
    refused(['color=red'], /option color not valid/);
    refused(['anonuid=-1'], /anonuid must be a number/);
    refused(['anonuid=99999999999'], /anonuid must be a number/);
    refused(['fsid=a,rw'], /invalid value/);
  });
});
