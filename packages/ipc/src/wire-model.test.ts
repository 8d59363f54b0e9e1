/**
 * Every model object crosses the wire (msgpack body, then the schema that validates it on arrival) unchanged,
 * and sizes stay exact up to 2 EiB and beyond, to the int64 limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  AccessGroupSchema, BatterySchema, BlockRangeSchema, CapabilitiesSchema, capabilitiesOf, DiskSchema,
  FileSystemSchema, FsSnapshotSchema, NfsExportSchema, PoolSchema, type RecordSchema, type Schema, SystemSchema,
  TargetPortSchema, VolumeSchema, Volumes, VolumeCreate,
} from '@openlsm/core';
import { decodeBody, encodeBody } from './codec.js';

const fuzzMs = Number(process.env.OPENLSM_FUZZ_MS ?? 1_500);
const EIB2 = 2n ** 61n;

/** An arbitrary for each kind of field the model uses, told apart by the schema's description. */
function arbitraryFor(schema: Schema<unknown>): fc.Arbitrary<unknown> {
  switch (schema.expected) {
    case 'a string': return fc.string({ unit: 'grapheme', maxLength: 40 });
    case 'a string or null': return fc.option(fc.string({ maxLength: 40 }), { nil: null });
    case 'an integer': return fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    case 'an integer (64-bit)': return fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom(0n, 512n, EIB2, 2n ** 63n - 1n));
    case 'a list of strings': return fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 });
    case '512 bytes of binary data': return fc.uint8Array({ minLength: 512, maxLength: 512, max: 1 });
    default: throw new Error(`no arbitrary for a field expecting ${schema.expected}: extend this test`);
  }
}

function arbitraryRecord(schema: RecordSchema<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of schema.fieldNames) fields[name] = arbitraryFor(schema.fields[name] as Schema<unknown>);
  return fc.record(fields) as fc.Arbitrary<Record<string, unknown>>;
}

const classes = [
  SystemSchema, PoolSchema, VolumeSchema, DiskSchema, AccessGroupSchema, TargetPortSchema, FileSystemSchema,
  FsSnapshotSchema, NfsExportSchema, BatterySchema, BlockRangeSchema, CapabilitiesSchema,
] as RecordSchema<unknown>[];

function throughTheWire<T>(schema: Schema<T>, value: unknown): T {
  const decoded = decodeBody(encodeBody({ id: 1, result: value })) as { result: unknown };
  return schema.parse(decoded.result, 'result');
}

for (const schema of classes) {
  test(`property: ${schema.className} objects cross the wire unchanged`, () => {
    fc.assert(fc.property(arbitraryRecord(schema), (object) => {
      const back = throughTheWire(schema, object) as Record<string, unknown>;
      // Uint8Array and Buffer compare equal by content only after normalising the type.
      const norm = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v instanceof Uint8Array ? [...v] : v]));
      assert.deepEqual(norm(back), norm(object));
      assert.deepEqual(Object.keys(back), schema.fieldNames);
    }), { interruptAfterTimeLimit: fuzzMs, numRuns: 300 });
  });
}

test('a 2 EiB pool keeps its exact size, packed as int64', () => {
  const pool = {
    id: 'POOL_ID_00004', name: 'Pool 4', element_type: 4, unsupported_actions: 0, total_space: EIB2, free_space: EIB2 - 1n,
    status: 2, status_info: '', system_id: 'sim-01', plugin_data: null,
  };
  const body = encodeBody(pool);
  // d3 = int64, then 2^61 big-endian.
  assert.ok(body.includes(Buffer.from('d32000000000000000', 'hex')));
  assert.deepEqual(throughTheWire(PoolSchema, pool), pool);
  assert.equal(throughTheWire(PoolSchema, pool).free_space, 2305843009213693951n);
});

test('sizes sent as small msgpack integers by another language arrive as bigint', () => {
  const fromPython = { id: 'V1', name: 'v', vpd83: '', block_size: 512, num_of_blocks: 2097152, admin_state: 1, system_id: 's', pool_id: 'p', plugin_data: null };
  const v = throughTheWire(VolumeSchema, fromPython);
  assert.equal(v.block_size, 512n);
  assert.equal(v.num_of_blocks, 2097152n);
});

test("lsm's class tag and unknown members are dropped; a missing member is INVALID_ARGUMENT", () => {
  const tagged = { class: 'BlockRange', src_block: 1n, dest_block: 2n, block_count: 3n, later_field: 'x' };
  assert.deepEqual(throughTheWire(BlockRangeSchema, tagged), { src_block: 1n, dest_block: 2n, block_count: 3n });
  assert.throws(() => throughTheWire(BlockRangeSchema, { src_block: 1n, dest_block: 2n }), { code: 101, message: /result\.block_count": missing/ });
  assert.throws(() => throughTheWire(VolumeSchema, { ...tagged }), { code: 101 });
});

test('capabilities are a 512-byte bin on the wire', () => {
  const caps = capabilitiesOf(['VOLUMES']);
  const body = encodeBody(caps);
  assert.ok(body.includes(Buffer.from('c5 0200'.replace(' ', ''), 'hex')), 'bin16 of 512 bytes');
  const back = throughTheWire(CapabilitiesSchema, caps);
  assert.equal(back.cap.length, 512);
  assert.equal(back.cap[20], 1);
});

test('a listing of volumes and a volume_create request round-trip, 2 EiB included', () => {
  const volumes = Array.from({ length: 50 }, (_, i) => ({
    id: `V${i}`, name: `v${i}`, vpd83: '', block_size: 512n, num_of_blocks: EIB2 / 512n + BigInt(i), admin_state: 1,
    system_id: 's', pool_id: 'p', plugin_data: i % 2 ? null : `d${i}`,
  }));
  assert.deepEqual(throughTheWire(Volumes.result, volumes), volumes);
  const pool = { id: 'P', name: 'p', element_type: 4, unsupported_actions: 0, total_space: EIB2, free_space: EIB2, status: 2, status_info: '', system_id: 's', plugin_data: null };
  const params = { pool, volume_name: 'vol1', size_bytes: EIB2, provisioning: 3, flags: 0 };
  const decoded = decodeBody(encodeBody({ id: 7, method: 'volume_create', params })) as { params: unknown };
  assert.deepEqual(VolumeCreate.params.parse(decoded.params, ''), params);
});
