import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { LsmError } from '@openlsm/core';
import { ArgError } from '../errors.js';
import { blockValue, choiceValue, initiatorValue, intValue, iqnValue, sizeValue } from './values.js';

describe('option values', () => {
  test('sizes use lsm\'s syntax; malformed text is an argument error, an unknown unit an LsmError', () => {
    assert.equal(sizeValue('1.5GiB'), 1610612736n);
    assert.equal(sizeValue('10gb'), 10_000_000_000n);
    assert.throws(() => sizeValue('abc'), InvalidArgumentError);
    assert.throws(() => sizeValue('-1'), InvalidArgumentError);
    assert.throws(() => sizeValue('1XB'), (e) => e instanceof LsmError && e.code === 101);
  });

  test('choices are upper-cased before checking', () => {
    const parse = choiceValue(['THIN', 'FULL']);
    assert.equal(parse('thin'), 'THIN');
    assert.throws(() => parse('fat'), /Allowed choices are THIN, FULL/);
  });

  test('integers and block numbers', () => {
    assert.equal(intValue('-1'), -1);
    assert.throws(() => intValue('1.5'), InvalidArgumentError);
    assert.equal(blockValue('18446744073709551615'), 18446744073709551615n);
    assert.throws(() => blockValue('-3'), InvalidArgumentError);
  });

  test('initiators: IQN or WWPN, with lsm\'s message otherwise', () => {
    assert.equal(initiatorValue('iqn.1994-05.com.example:host1'), 'iqn.1994-05.com.example:host1');
    assert.equal(initiatorValue('10:00:00:00:c9:95:2f:de'), '10:00:00:00:c9:95:2f:de');
    assert.throws(() => initiatorValue('host;rm -rf'), (e) => e instanceof ArgError && /is not a valid WWPN or iSCSI IQN/.test(e.message));
    assert.throws(() => iqnValue('10:00:00:00:c9:95:2f:de'), ArgError);
  });
});
