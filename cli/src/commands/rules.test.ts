import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgError } from '../errors.js';
import { checkChap } from './access-group.js';
import { checkHosts } from './fs.js';
import { ledState } from './local.js';
import { blockRanges } from './volume.js';

describe('command argument rules', () => {
  test('replicate ranges: equal counts, non-zero counts, no overlap on one volume', () => {
    assert.deepEqual(blockRanges([0n], [100n], [10n], false), [{ src_block: 0n, dest_block: 100n, block_count: 10n }]);
    assert.throws(() => blockRanges([0n, 1n], [100n], [10n], false), /Differing numbers/);
    assert.throws(() => blockRanges([0n], [5n], [0n], false), ArgError);
    assert.throws(() => blockRanges([0n], [5n], [10n], true), /Overlapping/);
    assert.equal(blockRanges([0n], [10n], [10n], true).length, 1);
  });

  test('CHAP credentials come in pairs, outbound only with inbound', () => {
    checkChap();
    checkChap('u', 'p');
    checkChap('u', 'p', 'o', 'q');
    assert.throws(() => checkChap('u'), /--in-user requires --in-pass/);
    assert.throws(() => checkChap(undefined, 'p'), /--in-pass requires --in-user/);
    assert.throws(() => checkChap(undefined, undefined, 'o', 'q'), /only supported if inbound is supplied/);
    assert.throws(() => checkChap('u', 'p', 'o'), /--out-user requires --out-pass/);
  });

  test('NFS hosts are syntax-checked', () => {
    assert.deepEqual(checkHosts('--rw-host', ['10.0.0.1', 'host.example.com', '10.0.0.0/24', '*.example.com', 'fe80::1']),
      ['10.0.0.1', 'host.example.com', '10.0.0.0/24', '*.example.com', 'fe80::1']);
    for (const bad of ['-o rw', 'a b', 'x;reboot', 'a\nb', '', '$(id)']) assert.throws(() => checkHosts('--rw-host', [bad]), ArgError, bad);
  });

  test('LED slot states', () => {
    assert.equal(ledState('IDENT_ON'), 2);
    assert.equal(ledState('ident_on:fault_off'), 2 | 32);
    assert.throws(() => ledState('BLINK'), ArgError);
    assert.throws(() => ledState('IDENT_ON:FAULT_ON:IDENT_OFF'), ArgError);
  });
});
