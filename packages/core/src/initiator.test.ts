import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorNumber, LsmError } from './errors.js';
import { assertInvalid } from './test-helpers.js';
import { classifyInitiator, isValidIqn, isValidWwpn, normalizeInitiator } from './initiator.js';


const WWPN = 2;
const ISCSI_IQN = 5;
const W = '10:00:00:00:c9:95:2f:de';

test('WWPN spellings are accepted and normalised to lower-case colon form', () => {
  const cases = [
    '10:00:00:00:c9:95:2f:de',
    '10:00:00:00:C9:95:2F:DE',
    '10-00-00-00-c9-95-2f-de',
    '10.00.00.00.c9.95.2f.de',
    '0x10000000c9952fde',
    '0X10000000C9952FDE',
    '10000000c9952fde',
    '10:00-00.00c9:95:2f:de', // separators may be mixed or omitted per lsm's regex
    '0x10:00:00:00:c9:95:2f:de',
  ];
  for (const id of cases) {
    assert.equal(isValidWwpn(id), true, id);
    assert.equal(isValidIqn(id), false, id);
    assert.deepEqual(classifyInitiator(id), { type: WWPN, id: W }, id);
    assert.deepEqual(normalizeInitiator(id), { type: WWPN, id: W }, id);
    assert.deepEqual(normalizeInitiator(id, WWPN), { type: WWPN, id: W }, id);
  }
});

test('iSCSI names are accepted; IQNs lower-cased, EUI/NAA kept as given', () => {
  const cases: [string, string][] = [
    ['iqn.1994-05.com.redhat:abc123', 'iqn.1994-05.com.redhat:abc123'],
    ['IQN.1994-05.COM.RedHat:ABC', 'iqn.1994-05.com.redhat:abc'],
    ['iqn.2003-01.org.linux-iscsi.host.x8664:sn.4d2f1e0a9b3c', 'iqn.2003-01.org.linux-iscsi.host.x8664:sn.4d2f1e0a9b3c'],
    ['iqn.2001-04.com.example', 'iqn.2001-04.com.example'],
    ['iqn.2001-04.com.example:storage:diskarrays-sn-a8675309', 'iqn.2001-04.com.example:storage:diskarrays-sn-a8675309'],
    ['iqn.1991-05.com.microsoft:win_host01.corp.example', 'iqn.1991-05.com.microsoft:win_host01.corp.example'],
    ['iqn.2004-10.com.ubuntu:01:6b5b8e3f4a1', 'iqn.2004-10.com.ubuntu:01:6b5b8e3f4a1'],
    ['iqn.2001-04.com.example:Größe', 'iqn.2001-04.com.example:größe'],
    ['eui.02004567A425678D', 'eui.02004567A425678D'],
    ['EUI.02004567a425678d', 'EUI.02004567a425678d'],
    ['naa.52004567BA64678D', 'naa.52004567BA64678D'],
    ['naa.62004567BA64678D0123456789ABCDEF', 'naa.62004567BA64678D0123456789ABCDEF'],
    [`iqn.2001-04.com.example:${'a'.repeat(223 - 24)}`, `iqn.2001-04.com.example:${'a'.repeat(223 - 24)}`],
  ];
  for (const [id, expected] of cases) {
    assert.equal(isValidIqn(id), true, id);
    assert.equal(isValidWwpn(id), false, id);
    assert.deepEqual(classifyInitiator(id), { type: ISCSI_IQN, id: expected }, id);
    assert.deepEqual(normalizeInitiator(id), { type: ISCSI_IQN, id: expected }, id);
    assert.deepEqual(normalizeInitiator(id, ISCSI_IQN), { type: ISCSI_IQN, id: expected }, id);
  }
});

test('invalid initiators', () => {
  const bad = [
    '',
    'iqn',
    'iqn.',
    'iqnfoo',
    'iqn.2001.com.example',
    'iqn.01-04.com.example',
    'iqn.2001-13.com.example',
    'iqn.2001-00.com.example',
    'iqn.2001-04',
    'iqn.2001-04.',
    'iqn.2001-04.com..example',
    'iqn.2001-04.com.example.',
    'iqn.2001-04.com.example:',
    'iqn.2001-04.com.example:a b',
    'iqn.2001-04.com.example:a\nb',
    'iqn.2001-04.com.example:a;reboot',
    'iqn.2001-04.com.example:../../etc',
    'iqn.2001-04.com.example:a/b',
    'iqn.2001-04.com.example:$(id)',
    'iqn.2001-04.com.example:a\u0000',
    'iqn.2001-04.com.example:a\u00a0b',
    'iqn.2001-04.com.example:😀',
    `iqn.2001-04.com.example:${'a'.repeat(223 - 23)}`, // 224 bytes
    `iqn.2001-04.com.example:${'é'.repeat(100)}`, // 224 bytes of UTF-8 (124 characters)
    'eui.02004567A425678',
    'eui.02004567A425678D0',
    'eui.02004567A425678G',
    'eui02004567A425678D',
    'naa.52004567BA64678',
    'naa.52004567BA64678D01',
    'naa.52004567BA64678D0123456789ABCDE',
    '10:00:00:00:c9:95:2f',
    '10:00:00:00:c9:95:2f:de:00',
    '10::00:00:00:c9:95:2f:de',
    '10:00:00:00:c9:95:2f:dg',
    '1:00:00:00:c9:95:2f:de',
    '0x0x10000000c9952fde',
    '10000000c9952fde ',
    ' 10000000c9952fde',
    '10000000c9952fde\n',
    '10_00_00_00_c9_95_2f_de',
    '10000000c9952fde;',
    'host1',
    '..',
    '/dev/sda',
  ];
  for (const id of bad) {
    assert.equal(classifyInitiator(id), null, JSON.stringify(id));
    assert.equal(isValidIqn(id) || isValidWwpn(id), false, JSON.stringify(id));
    const err = assertInvalid(() => normalizeInitiator(id), / is not a valid WWPN or iSCSI IQN /);
    assert.ok(err.message.startsWith('"'), err.message);
    assert.ok(!err.message.includes('\n'));
  }
  assertInvalid(() => normalizeInitiator('host1'), /^"host1" is not a valid WWPN or iSCSI IQN \(WWPN: 16 hex/);
});

test('the given type must agree with the id', () => {
  assertInvalid(() => normalizeInitiator(W, ISCSI_IQN), /^"10:00:00:00:c9:95:2f:de" is a WWPN, but initiator type 5 \(iSCSI IQN\) was given$/);
  assertInvalid(() => normalizeInitiator('iqn.2001-04.com.example', WWPN), /is an iSCSI IQN, but initiator type 2 \(WWPN\) was given$/);
  assertInvalid(() => normalizeInitiator('junk', WWPN), /^"junk" is not a valid WWPN \(/);
  assertInvalid(() => normalizeInitiator('junk', ISCSI_IQN), /^"junk" is not a valid iSCSI IQN \(/);
  for (const t of [0, 1, 3, 7, -1, 2.5, Number.NaN]) {
    assertInvalid(() => normalizeInitiator(W, t), /^Invalid initiator type ".*": use 2 \(WWPN\) or 5 \(iSCSI IQN\)$/);
  }
});

test('a 10 MB id is rejected quickly', () => {
  const t0 = performance.now();
  for (const huge of [
    `iqn.2001-04.com.example:${'a'.repeat(10 * 1024 * 1024)}`,
    `iqn.2001-04.${'a.'.repeat(5 * 1024 * 1024)}`,
    '10'.repeat(5 * 1024 * 1024),
    `${'1:'.repeat(5 * 1024 * 1024)}`,
  ]) {
    assert.equal(classifyInitiator(huge), null);
    const err = assertInvalid(() => normalizeInitiator(huge));
    assert.ok(err.message.length < 500);
  }
  assert.ok(performance.now() - t0 < 2000);
});

test('property: normalizeInitiator is idempotent and only throws INVALID_ARGUMENT', () => {
  const hexByte = fc.integer({ min: 0, max: 255 }).map((b) => b.toString(16).padStart(2, '0'));
  const wwpn = fc
    .tuple(fc.array(hexByte, { minLength: 8, maxLength: 8 }), fc.constantFrom('', ':', '-', '.'), fc.boolean(), fc.boolean())
    .map(([bytes, sep, prefix, upper]) => {
      const s = (prefix ? '0x' : '') + bytes.join(sep);
      return upper ? s.toUpperCase().replace(/^0X/, '0x') : s;
    });
  const iqn = fc
    .tuple(
      fc.integer({ min: 1990, max: 2099 }),
      fc.integer({ min: 1, max: 12 }),
      fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/), { minLength: 1, maxLength: 4 }),
      fc.option(fc.string({ minLength: 1, maxLength: 40 })),
    )
    .map(([y, m, labels, rest]) => `iqn.${y}-${String(m).padStart(2, '0')}.${labels.join('.')}${rest === null ? '' : `:${rest}`}`);
  fc.assert(
    fc.property(fc.oneof(wwpn, iqn, fc.string(), fc.string({ unit: 'binary' })), (id) => {
      let first: { type: 2 | 5; id: string };
      try {
        first = normalizeInitiator(id);
      } catch (err) {
        assert.ok(err instanceof LsmError, String(err));
        assert.equal(err.code, ErrorNumber.INVALID_ARGUMENT);
        assert.equal(classifyInitiator(id), null);
        return;
      }
      assert.deepEqual(normalizeInitiator(first.id), first);
      assert.deepEqual(normalizeInitiator(first.id, first.type), first);
      assert.deepEqual(classifyInitiator(id), first);
      if (first.type === WWPN) assert.match(first.id, /^[0-9a-f]{2}(:[0-9a-f]{2}){7}$/);
      else assert.ok(!/[\s\u0000-\u001f;/"'`$\\]/.test(first.id), first.id);
    }),
  );
});
