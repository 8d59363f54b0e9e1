import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyState, parseState, STATE_FORMAT, stateCodec } from './state.js';

test('a state survives serialisation; the format marker is required', () => {
  const state = emptyState();
  state.accessGroups.push({ id: 'ag-1', number: 1, name: 'hosts', initiators: ['iqn.2024-01.org.x:h1'] });
  state.masks.push({ accessGroup: 'ag-1', volume: 'images/v1', lun: 1 });
  state.chap['iqn.2024-01.org.x:h1'] = { in: { user: 'u', secret: 's3cret-123456' }, out: null };
  state.volumes['images/v1'] = { scsiId: '0123456789abcdef01234567' };
  state.dirtyAccounts.push('u');
  const json = JSON.parse(JSON.stringify(stateCodec.serialize?.(state)));
  assert.equal(json.format, STATE_FORMAT);
  assert.deepEqual(parseState(json), state);
});

test('documents that are not a state are refused with the field at fault', () => {
  const good = JSON.parse(JSON.stringify(stateCodec.serialize?.(emptyState())));
  const cases: [unknown, RegExp][] = [
    [[], /must be an object/],
    [{ ...good, format: 'openlsm-tgt-state/9' }, /format must be/],
    [{ ...good, masks: [{ accessGroup: 'ag-1', volume: 'v', lun: 0 }] }, /masks\[0\]/],
    [{ ...good, volumes: { 'p/v': { scsiId: 'short' } } }, /scsiId must be 24 hex digits/],
    [{ ...good, chap: { iqn: { in: { user: 'u' }, out: null } } }, /chap\[iqn\]\.in/],
    [{ ...good, accessGroups: [{ id: 'ag-1' }] }, /accessGroups\[0\]/],
    [{ ...good, dirtyAccounts: [1] }, /dirtyAccounts/],
  ];
  for (const [doc, pattern] of cases) assert.throws(() => parseState(doc), pattern);
});

test('a "__proto__" key stays an ordinary entry', () => {
  const doc = JSON.parse(`{"format":"${STATE_FORMAT}","nextAccessGroup":1,"accessGroups":[],"masks":[],"dirtyAccounts":[],"volumes":{},"chap":{"__proto__":{"in":null,"out":null}}}`);
  const state = parseState(doc);
  assert.equal(Object.getPrototypeOf(state.chap), Object.prototype);
  assert.ok(Object.hasOwn(state.chap, '__proto__'));
});
