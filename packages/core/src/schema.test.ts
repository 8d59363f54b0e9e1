import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorNumber, LsmError } from './errors.js';
import { PoolSchema, VolumeSchema } from './model.js';
import { Volumes, VolumeCreate } from './rpc.js';
import { bool, bytes, int, list, nothing, nullable, optional, record, size, str, tuple } from './schema.js';

const volume = (i: number) => ({
  id: `V${i}`, name: `v${i}`, vpd83: '', block_size: 512n, num_of_blocks: 2n ** 52n, admin_state: 1, system_id: 's', pool_id: 'p', plugin_data: null,
});

function invalidArgument(message: RegExp) {
  return (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT && message.test(err.message);
}

test('scalars: exact types only; sizes within int64, numbers normalised to bigint', () => {
  assert.equal(str.parse('x', 'p'), 'x');
  assert.throws(() => str.parse(1, 'p'), invalidArgument(/"p": expected a string, got a number/));
  assert.equal(int.parse(5n, 'p'), 5);
  assert.throws(() => int.parse(1.5, 'p'), invalidArgument(/expected an integer/));
  assert.throws(() => int.parse(2n ** 60n, 'p'), invalidArgument(/expected an integer/));
  assert.equal(size.parse(512, 'p'), 512n);
  assert.equal(size.parse(2n ** 63n - 1n, 'p'), 2n ** 63n - 1n);
  assert.throws(() => size.parse(2n ** 63n, 'p'), invalidArgument(/within 64 bits/));
  assert.throws(() => size.parse(Number.MAX_SAFE_INTEGER + 1, 'p'), invalidArgument(/64-bit/));
  assert.throws(() => bool.parse(0, 'p'), invalidArgument(/a boolean/));
  assert.throws(() => bytes(4).parse(new Uint8Array(3), 'p'), invalidArgument(/4 bytes of binary data/));
  assert.equal(nullable(str).parse(undefined, 'p'), null);
  assert.equal(optional(int, 7).parse(undefined, 'p'), 7);
  assert.equal(nothing.parse(undefined, 'p'), null);
  assert.throws(() => nothing.parse(0, 'p'), invalidArgument(/expected null/));
});

test('a decoded object of exactly the declared shape is returned as is; anything else is copied into shape', () => {
  const v = volume(1);
  assert.equal(VolumeSchema.parse(v, 'v'), v);
  const tagged = { class: 'Volume', ...v };
  const parsed = VolumeSchema.parse(tagged, 'v');
  assert.notEqual(parsed, tagged);
  assert.deepEqual(Object.keys(parsed), VolumeSchema.fieldNames);
  const { name, ...rest } = v;
  const reordered = { name, ...rest };
  assert.deepEqual(Object.keys(VolumeSchema.parse(reordered, 'v')), VolumeSchema.fieldNames);
  const fromPython = { ...v, block_size: 512 };
  assert.equal(VolumeSchema.parse(fromPython, 'v').block_size, 512n);
  assert.equal(fromPython.block_size, 512, 'the input is never modified');
});

test('a list is returned as is when every item is; a normalised item makes a copy', () => {
  const vols = [volume(1), volume(2)];
  assert.equal(Volumes.result.parse(vols, 'result'), vols);
  const mixed = [volume(1), { ...volume(2), num_of_blocks: 8 }];
  const parsed = Volumes.result.parse(mixed, 'result');
  assert.notEqual(parsed, mixed);
  assert.equal(parsed[0], mixed[0]);
  assert.equal(parsed[1]?.num_of_blocks, 8n);
  assert.equal((mixed[1] as { num_of_blocks: unknown }).num_of_blocks, 8);
});

test('errors name the exact member, however deep', () => {
  const vols: unknown[] = Array.from({ length: 50 }, (_, i) => volume(i));
  vols[41] = { ...volume(41), pool_id: 7 };
  assert.throws(() => Volumes.result.parse(vols, 'result'), invalidArgument(/^Invalid argument "result\[41\]\.pool_id": expected a string, got a number$/));
  const { pool_id: _omitted, ...missing } = volume(3);
  assert.throws(() => list(VolumeSchema).parse([missing], 'vols'), invalidArgument(/"vols\[0\]\.pool_id": missing/));
  const pool = { id: 'P', name: 'p', element_type: 4, unsupported_actions: 0, total_space: 1n, free_space: 'lots', status: 2, status_info: '', system_id: 's', plugin_data: null };
  assert.throws(() => VolumeCreate.params.parse({ pool, volume_name: 'v', size_bytes: 1n }, ''), invalidArgument(/^Invalid argument "pool\.free_space": expected an integer \(64-bit\), got a string$/));
  assert.throws(() => tuple(str, int).parse(['a', 'b'], 'result'), invalidArgument(/"result\[1\]"/));
  assert.throws(() => tuple(str, int).parse(['a'], 'result'), invalidArgument(/a list of 2 items/));
  assert.throws(() => PoolSchema.parse([], 'pool'), invalidArgument(/"pool": expected a Pool object, got a list/));
});

test('optional record members take their fallback; flags default to 0', () => {
  const schema = record('T', { a: str, b: optional(int, 3) });
  assert.deepEqual(schema.parse({ a: 'x' }, ''), { a: 'x', b: 3 });
  assert.throws(() => schema.parse({ b: 1 }, ''), invalidArgument(/"a": missing/));
  const pool = PoolSchema.parse({ id: 'P', name: 'p', element_type: 4, unsupported_actions: 0, total_space: 1n, free_space: 1n, status: 2, status_info: '', system_id: 's', plugin_data: null }, 'pool');
  assert.equal(VolumeCreate.params.parse({ pool, volume_name: 'v', size_bytes: 1n }, '').flags, 0);
});

test('property: parsing never throws anything but INVALID_ARGUMENT, and is idempotent', () => {
  fc.assert(fc.property(fc.anything({ withBigInt: true, withTypedArray: true }), (value) => {
    for (const schema of [VolumeSchema, Volumes.result, VolumeCreate.params]) {
      try {
        const once = schema.parse(value, 'x');
        assert.deepEqual(schema.parse(once, 'x'), once);
      } catch (err) {
        assert.ok(err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT, String(err));
      }
    }
  }), { numRuns: 1_000 });
});
