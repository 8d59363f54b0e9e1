import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { printable, renderColumns, renderScript } from './table.js';

describe('renderColumns', () => {
  test('pads every column, joins with " | " and draws a dashed line as wide as the header', () => {
    const text = renderColumns(['ID', 'Name'], [['a', 'long name'], ['bbbb', 'x']], { separator: ' | ', header: true });
    assert.equal(text, [
      'ID   | Name     ',
      '----------------',
      'a    | long name',
      'bbbb | x        ',
      '',
    ].join('\n'));
  });

  test('multi-value cells continue on rows whose other cells are blank (lsm pool-member-info sample)', () => {
    const text = renderColumns(['Pool ID', 'RAID Type', 'Member Type', 'Member IDs'],
      [['POOL_ID_00001', 'RAID1', 'Disk', ['DISK_ID_00001', 'DISK_ID_00002']]], { separator: ' | ', header: true });
    assert.equal(text, [
      'Pool ID       | RAID Type | Member Type | Member IDs   ',
      '-------------------------------------------------------',
      'POOL_ID_00001 | RAID1     | Disk        | DISK_ID_00001',
      '              |           |             | DISK_ID_00002',
      '',
    ].join('\n'));
  });

  test('terse: SEP joins, no header, cells still padded to the widest cell', () => {
    const text = renderColumns(['ID', 'Name'], [['P1', 'Pool 1'], ['P22', 'x']], { separator: ',', header: false });
    assert.equal(text, 'P1 ,Pool 1\nP22,x     \n');
  });

  test('a column empty in every row is still one blank wide, as lsm\'s (`OK, ,sim-01` with -t ,)', () => {
    assert.equal(renderColumns(['Status', 'Info', 'System ID'], [['OK', '', 'sim-01']], { separator: ',', header: false }), 'OK, ,sim-01\n');
  });

  test('an empty cell list still prints one row; no rows and no header print nothing', () => {
    assert.equal(renderColumns(['A', 'B'], [['x', []]], { separator: '|', header: false }), 'x| \n');
    assert.equal(renderColumns(['A'], [], { separator: '|', header: false }), '');
  });

  test('control characters are escaped so a hostile name cannot forge rows or drive the terminal', () => {
    assert.equal(printable('a\nb\u001b[2Jc\u0007'), 'a\\x0ab\\x1b[2Jc\\x07');
    const text = renderColumns(['Name'], [['evil\nrow']], { separator: ' | ', header: false });
    assert.equal(text.split('\n').length, 2);
  });
});

describe('renderScript', () => {
  test('every block as wide as the widest, one separator between blocks, empty lists left out (lsm\'s -s)', () => {
    const text = renderScript(['ID', 'Root Hosts', 'RW Hosts', 'Options'], [
      ['EXP_ID_00001', [], ['10.0.0.1', 'a-much-longer-host-name'], []],
      ['EXP_ID_00002', ['h'], [], 'rw,sync,no_root_squash'],
    ], ' | ');
    assert.equal(text, [
      // Values padded to the longest value; of a list only the first item counts, as in lsm's data_display.py.
      '-'.repeat(35),
      'ID         | EXP_ID_00001          ',
      'RW Hosts   | 10.0.0.1              ',
      '           | a-much-longer-host-name',
      '-'.repeat(35),
      'ID         | EXP_ID_00002          ',
      'Root Hosts | h                     ',
      'Options    | rw,sync,no_root_squash',
      '-'.repeat(35),
      '',
    ].join('\n'));
  });

  test('frames each object and pads keys', () => {
    const text = renderScript(['ID', 'Name', 'Hosts'], [['sim-01', 'LSM sim', ['a', 'b']]], ' | ');
    assert.equal(text, [
      '---------------',
      'ID    | sim-01 ',
      'Name  | LSM sim',
      'Hosts | a      ',
      '      | b      ',
      '---------------',
      '',
    ].join('\n'));
  });
});
