/**
 * Volumes on tgt:// through the SDK and a real plugin process: images are sparse files of the pool directory
 * (one copied in by hand is a volume too), names are unique across pools, a masked volume is neither deleted
 * nor resized, a replica has the source's bytes, and hostile names or ids are refused without a trace.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@openlsm/client';
import { ErrorNumber, LsmError, type Pool, type Volume } from '@openlsm/core';
import { tgtEnv, type TgtEnv } from './tgt-env.js';

let env: TgtEnv;
let client: Client;
let pool: Pool;

before(async () => {
  env = await tgtEnv();
  client = await env.connect();
  const [p] = await client.pools();
  assert.ok(p);
  pool = p;
});

after(async () => {
  await env?.cleanup();
});

function lsm(code: number, message?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof LsmError, String(err));
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    assert.ok(err.message.length < 500 && !err.message.includes('\n'), 'a short one-line message');
    return true;
  };
}

async function byName(name: string): Promise<Volume> {
  const v = (await client.volumes()).find((x) => x.name === name);
  assert.ok(v, name);
  return v;
}

test('create: a sparse image of the size rounded up to 512 bytes, with a NAA-6 vpd83', async () => {
  const v = await client.volumeCreate({ pool, volume_name: 'thin1', size_bytes: (1n << 30n) + 1n });
  assert.equal(v.id, 'images/thin1');
  assert.equal(v.block_size * v.num_of_blocks, (1n << 30n) + 512n);
  assert.match(v.vpd83, /^60000000[0-9a-f]{24}$/);
  const st = statSync(path.join(env.poolDir, 'thin1'));
  assert.equal(st.size, 2 ** 30 + 512);
  assert.ok(st.blocks * 512 < 1024 * 1024, 'nothing written');
  assert.equal(st.mode & 0o777, 0o600);
  await assert.rejects(client.volumeCreate({ pool, volume_name: 'thin1', size_bytes: 1n << 20n }), lsm(ErrorNumber.NAME_CONFLICT));
  await assert.rejects(client.volumeCreate({ pool, volume_name: 'full', size_bytes: 1n << 20n, provisioning: 2 }), lsm(ErrorNumber.NO_SUPPORT, /thin/));
  const [listed] = await client.volumes({ search_key: 'id', search_value: 'images/thin1' });
  assert.deepEqual(listed, v);
});

test('an image copied into the pool directory by hand is a volume with a stable identity', async () => {
  const file = path.join(env.poolDir, 'handmade.img');
  writeFileSync(file, '');
  truncateSync(file, 4 * 1024 * 1024);
  const a = await byName('handmade.img');
  const b = await byName('handmade.img');
  assert.equal(a.vpd83, b.vpd83);
  assert.equal(a.num_of_blocks, 8192n);
});

test('hostile names and unknown ids are refused and leave nothing behind', async () => {
  for (const name of ['a;b', 'a/b', '..', '../escape', '.hidden', 'new\nline', 'x'.repeat(10 * 1024 * 1024), '-flag', 'a,b']) {
    await assert.rejects(client.volumeCreate({ pool, volume_name: name, size_bytes: 1n << 20n }), lsm(ErrorNumber.INVALID_ARGUMENT));
  }
  assert.deepEqual((await client.volumes()).map((v) => v.name).sort(), ['handmade.img', 'thin1']);
  const ghost = { ...(await byName('thin1')), id: 'images/ghost' };
  await assert.rejects(client.volumeDelete({ volume: ghost }), lsm(ErrorNumber.NOT_FOUND_VOLUME));
  await assert.rejects(client.volumeDelete({ volume: { ...ghost, id: 'no-slash' } }), lsm(ErrorNumber.NOT_FOUND_VOLUME));
  await assert.rejects(client.volumeDelete({ volume: { ...ghost, id: 'nopool/x' } }), lsm(ErrorNumber.NOT_FOUND_VOLUME));
  await assert.rejects(client.volumeCreate({ pool: { ...pool, id: 'nopool' }, volume_name: 'x', size_bytes: 1n << 20n }), lsm(ErrorNumber.NOT_FOUND_POOL));
  await assert.rejects(client.volumeCreate({ pool, volume_name: 'huge', size_bytes: 1n << 62n }), lsm(ErrorNumber.INVALID_ARGUMENT));
  const system = (await client.systems())[0];
  assert.ok(system);
  for (const init of ['iqn.2024-01.org.x:a,initiator-address=ALL', 'iqn.2024-01.org.x:a b', 'iqn.2024-01.org.x:a\n']) {
    await assert.rejects(client.accessGroupCreate({ name: 'h', init_id: init, init_type: 5, system }), lsm(ErrorNumber.INVALID_ARGUMENT));
  }
  await assert.rejects(client.iscsiChapAuth({ init_id: 'iqn.2024-01.org.x:a', in_user: 'u,password=x', in_password: 'secret-123456', out_user: null, out_password: null }), lsm(ErrorNumber.INVALID_ARGUMENT));
  await assert.rejects(client.accessGroupDelete({ access_group: { id: 'ag-99', name: 'x', init_ids: [], init_type: 5, system_id: 'tgt', plugin_data: null } }), lsm(ErrorNumber.NOT_FOUND_ACCESS_GROUP));
  assert.deepEqual(await client.accessGroups(), []);
  assert.deepEqual(await env.tgtd.admin.targets(), []);
});

test('resize grows and shrinks an unmasked image; a masked one is refused, as is deleting it', async () => {
  const v = await byName('thin1');
  const grown = await client.volumeResize({ volume: v, new_size_bytes: 2n << 30n });
  assert.equal(grown.num_of_blocks * grown.block_size, 2n << 30n);
  await assert.rejects(client.volumeResize({ volume: grown, new_size_bytes: 2n << 30n }), lsm(ErrorNumber.NO_STATE_CHANGE));
  const shrunk = await client.volumeResize({ volume: grown, new_size_bytes: 1n << 20n });
  assert.equal(statSync(path.join(env.poolDir, 'thin1')).size, 1 << 20);

  const system = (await client.systems())[0];
  assert.ok(system);
  const ag = await client.accessGroupCreate({ name: 'vols', init_id: 'iqn.2024-01.org.openlsm.test:vols', init_type: 5, system });
  await client.volumeMask({ access_group: ag, volume: shrunk });
  await assert.rejects(client.volumeResize({ volume: shrunk, new_size_bytes: 4n << 20n }), lsm(ErrorNumber.NO_SUPPORT_ONLINE_CHANGE, /unmask it/));
  await assert.rejects(client.volumeDelete({ volume: shrunk }), lsm(ErrorNumber.IS_MASKED));
  await assert.rejects(client.accessGroupDelete({ access_group: ag }), lsm(ErrorNumber.IS_MASKED));
  assert.deepEqual((await client.accessGroupsGrantedToVolume({ volume: shrunk })).map((g) => g.id), [ag.id]);
  await client.volumeUnmask({ access_group: ag, volume: shrunk });
  await client.accessGroupDelete({ access_group: ag });
});

test('a volume exported by a target openlsm does not manage is not deleted from under it', async () => {
  const v = await byName('handmade.img');
  await env.tgtd.admin.newTarget(9, 'iqn.2024-01.org.example:by-hand');
  await env.tgtd.admin.newLun(9, 1, { path: path.join(env.poolDir, 'handmade.img') });
  await assert.rejects(client.volumeDelete({ volume: v }), lsm(ErrorNumber.IS_MASKED, /by-hand/));
  await env.tgtd.admin.deleteTarget(9, true);
  await client.volumeDelete({ volume: v });
  assert.equal((await client.volumes()).some((x) => x.name === 'handmade.img'), false);
});

test('replicate (clone and copy) makes an independent image with the same bytes, as a job', async () => {
  const src = await byName('thin1');
  const data = Buffer.alloc(1 << 20);
  for (let i = 0; i < data.length; i += 4096) data.write(`block ${i}`, i);
  writeFileSync(path.join(env.poolDir, 'thin1'), data);
  const progress: number[] = [];
  const copy = await client.volumeReplicate({ pool: null, rep_type: 3, volume_src: src, name: 'thin1-copy' }, { onProgress: (p) => progress.push(p) });
  const clone = await client.volumeReplicate({ pool, rep_type: 2, volume_src: src, name: 'thin1-clone' });
  for (const r of [copy, clone]) {
    assert.equal(r.num_of_blocks, src.num_of_blocks);
    assert.notEqual(r.vpd83, src.vpd83);
    assert.deepEqual(readFileSync(path.join(env.poolDir, r.name)), data);
  }
  await assert.rejects(client.volumeReplicate({ pool: null, rep_type: 4, volume_src: src, name: 'mirror' }), lsm(ErrorNumber.NO_SUPPORT));
  await assert.rejects(client.volumeReplicate({ pool: null, rep_type: 3, volume_src: src, name: 'thin1-copy' }), lsm(ErrorNumber.NAME_CONFLICT));
  await client.volumeDelete({ volume: copy });
  await client.volumeDelete({ volume: clone });
  assert.deepEqual((await client.volumes()).map((v) => v.name), ['thin1']);
});
