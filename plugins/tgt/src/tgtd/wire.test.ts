import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { decodeResponseHeader, encodeRequest, MAX_PAYLOAD_BYTES, Mode, Op, responseText } from './wire.js';

// The request tgtadm sends for `--op new --mode target --tid 7 --targetname iqn.2024-01.org.example:cap`,
// byte for byte (captured from tgtadm 1.0.85 on x86-64 by a socket that recorded what it received).
const TGTADM_TARGET_NEW = [
  '0100000000000000697363736900000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '00000000000000009f000000070000000000000000000000ffffffffffffffff',
  '0000000000000000000000000000000000000000000000007461726765746e61',
  '6d653d69716e2e323032342d30312e6f72672e6578616d706c653a63617000',
].join('');

test('a target-new request is laid out exactly as tgtadm lays it out', () => {
  const bytes = encodeRequest({ mode: Mode.TARGET, op: Op.NEW, tid: 7, payload: 'targetname=iqn.2024-01.org.example:cap' });
  assert.equal(bytes.length, 159);
  assert.equal(bytes.readUInt32LE(72), 159, 'len counts header, payload and its NUL');
  assert.equal(bytes.toString('hex'), TGTADM_TARGET_NEW);
});

test('a request without payload is the bare 120-byte header', () => {
  const bytes = encodeRequest({ mode: Mode.TARGET, op: Op.DELETE, tid: 3, force: true });
  assert.equal(bytes.length, 120);
  assert.equal(bytes.readUInt32LE(72), 120);
  assert.equal(bytes.readUInt32LE(116), 1, 'force');
  assert.equal(bytes.readBigUInt64LE(88), 0xffff_ffff_ffff_ffffn, 'no LUN');
});

test('account direction, LUN and device type land in their fields', () => {
  const bytes = encodeRequest({ mode: Mode.ACCOUNT, op: Op.BIND, tid: 2, acDir: 1, lun: 5n, deviceType: 0, payload: 'user=u' });
  assert.equal(bytes.readInt32LE(0), 7);
  assert.equal(bytes.readInt32LE(4), 3);
  assert.equal(bytes.readUInt32LE(108), 1);
  assert.equal(bytes.readBigUInt64LE(88), 5n);
});

test('a payload above tgtd\'s 8 KiB limit is refused before sending (tgtd would close silently)', () => {
  assert.throws(() => encodeRequest({ mode: Mode.TARGET, op: Op.NEW, tid: 1, payload: 'x'.repeat(MAX_PAYLOAD_BYTES) }),
    (err) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT && /at most 8192 bytes/.test(err.message));
  assert.equal(encodeRequest({ mode: Mode.TARGET, op: Op.NEW, tid: 1, payload: 'x'.repeat(MAX_PAYLOAD_BYTES - 1) }).length, 120 + MAX_PAYLOAD_BYTES);
});

test('header values the fields cannot hold are a plugin bug, not a silent wrap', () => {
  for (const req of [{ tid: -2 }, { tid: 2 ** 31 }, { tid: 1.5 }, { acDir: 2 }, { lun: -1n }, { lld: 'x'.repeat(64) }]) {
    assert.throws(() => encodeRequest({ mode: Mode.TARGET, op: Op.SHOW, ...req }), (err) => err instanceof LsmError && err.code === ErrorNumber.PLUGIN_BUG);
  }
});

test('the response header and NUL-terminated text are decoded', () => {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(4, 0);
  head.writeUInt32LE(8, 4);
  assert.deepEqual(decodeResponseHeader(head), { err: 4, length: 8 });
  assert.equal(responseText(Buffer.from('Portal: 127.0.0.1:3260,1\n\0garbage')), 'Portal: 127.0.0.1:3260,1\n');
  assert.equal(responseText(Buffer.from('no nul')), 'no nul');
});
