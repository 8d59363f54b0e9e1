/**
 * Child process of the concurrency test: `node create-volumes-worker.js <uri> <name prefix> <count>` creates
 * `count` volumes named `<prefix><i>` in POOL_ID_00004 through the SDK, one after the other, and prints one JSON
 * line: `{ "created": n, "errors": { "<code>": n } }`. The environment (LSM_SIM_TIME, LSM_UDS_PATH) comes from
 * the parent.
 */
import { Client } from '@openlsm/client';
import { LsmError } from '@openlsm/core';

const [uri, prefix, countText] = process.argv.slice(2);
if (!uri || prefix === undefined || !countText) {
  process.stderr.write('usage: create-volumes-worker <uri> <prefix> <count>\n');
  process.exit(2);
}
const client = await Client.connect(uri, { mode: 'embedded' });
const [pool] = await client.pools({ search_key: 'id', search_value: 'POOL_ID_00004' });
if (!pool) throw new Error('POOL_ID_00004 is missing');
let created = 0;
const errors: Record<string, number> = {};
for (let i = 0; i < Number(countText); i++) {
  try {
    await client.volumeCreate({ pool, volume_name: `${prefix}${i}`, size_bytes: 1n << 20n });
    created++;
  } catch (err) {
    const key = err instanceof LsmError ? String(err.code) : `unexpected: ${String(err)}`;
    errors[key] = (errors[key] ?? 0) + 1;
  }
}
await client.close();
process.stdout.write(`${JSON.stringify({ created, errors })}\n`);
