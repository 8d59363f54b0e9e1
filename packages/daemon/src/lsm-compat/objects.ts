/**
 * openlsm's objects to lsm's: lsm tags every model object with `"class"` as its first member and writes the
 * capability table as 1024 hex digits. openlsm's wire carries neither, so objects are recognised by their
 * exact field set (each model class has a distinct one) after the result was validated against the RPC
 * table's schema, which also puts the fields in lsm's order.
 */
import { capabilitiesToHex, modelSchemas } from '@openlsm/core';

const classBySignature = new Map<string, string>(
  Object.values(modelSchemas).map((schema) => [schema.fieldNames.join(','), schema.className]),
);

/** Returns `value` with lsm's class tags and capability encoding; plain values are returned as they are. */
export function toLsmValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = toLsmValue(value[i]);
    return out;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  const src = value as Record<string, unknown>;
  const keys = Object.keys(src);
  const className = classBySignature.get(keys.join(','));
  if (className === 'Capabilities') {
    return { class: 'Capabilities', cap: capabilitiesToHex(src as { cap: Uint8Array }) };
  }
  const out: Record<string, unknown> = className === undefined ? {} : { class: className };
  for (const key of keys) out[key] = toLsmValue(src[key]);
  return out;
}
