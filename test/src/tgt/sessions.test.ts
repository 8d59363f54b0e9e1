/**
 * Sessions of tgt_lsmplugin as users meet them through lsmcli: clear errors (and lsm's exit codes) when tgtd is
 * not running, the configuration is missing or unsafe, or the URI is wrong; and several lsmcli processes
 * changing one tgtd at once, serialised by the plugin's lock, lose nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@openlsm/client';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { PREFIX, tgtEnv, type TgtEnv } from './tgt-env.js';

let env: TgtEnv;

before(async () => {
  env = await tgtEnv();
});

after(async () => {
  await env?.cleanup();
});

test('the system and its capabilities', async () => {
  const [system] = await env.json<{ id: string; status: number }[]>(['list', '--type', 'systems']);
  assert.deepEqual([system?.id, system?.status], ['tgt', 2]);
  const caps = await env.ok(['capabilities', '--sys', 'tgt']);
  assert.match(caps, /VOLUME_MASK\s+\|\s+SUPPORTED/);
  assert.match(caps, /VOLUME_ISCSI_CHAP_AUTHENTICATION\s+\|\s+SUPPORTED/);
  assert.match(caps, /FS\s+\|\s+UNSUPPORTED/);
});

test('wrong URIs and unusable configurations are refused with a sentence, before tgtd is touched', async () => {
  const loose = path.join(env.tgtd.dir, 'loose.yaml');
  writeFileSync(loose, `socket: ${env.tgtd.socketPath}\n`);
  chmodSync(loose, 0o666);
  const cases: [string, RegExp][] = [
    [`${env.uri}&statefile=/tmp/x`, /Unknown tgt:\/\/ parameter "statefile"/],
    [`tgt://somehost/?config=${env.configFile}`, /give no host/],
    [`tgt://?config=${path.join(env.tgtd.dir, 'missing.yaml')}`, /no such configuration file/],
    ['tgt://?config=relative.yaml', /absolute path/],
    [`tgt://?config=${loose}`, /writable by everyone/],
  ];
  for (const [uri, message] of cases) {
    await assert.rejects(Client.connect(uri, { mode: 'embedded', env: env.env }), (err) => {
      assert.ok(err instanceof LsmError, String(err));
      assert.equal(err.code, ErrorNumber.INVALID_ARGUMENT, err.message);
      assert.match(err.message, message);
      return true;
    });
  }
  // As lsmcli prints it: lsm's code and the sentence, exit code 4, no stack trace.
  const r = await env.cli(['-u', `${env.uri}&statefile=/tmp/x`, 'list', '--type', 'pools']);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /^INVALID_ARGUMENT\(101\): Unknown tgt:\/\/ parameter "statefile"/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test('tgtd not running: lsmcli says so, naming the socket', async () => {
  const down = path.join(env.tgtd.dir, 'down.yaml');
  writeFileSync(down, `socket: ${path.join(env.tgtd.dir, 'nobody-home.0')}\nstate_dir: ${path.join(env.tgtd.dir, 'state-down')}\n`, { mode: 0o600 });
  const r = await env.cli(['-u', `tgt://?config=${down}`, 'list', '--type', 'pools']);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /NETWORK_CONNREFUSED\(140\).*tgtd is not running: nothing answers on its management socket .*nobody-home\.0/);
});

test('eight lsmcli processes masking at once: every mask lands, each at its own LUN', async () => {
  const client = await env.connect();
  const [system] = await client.systems();
  const [pool] = await client.pools();
  assert.ok(system && pool);
  await client.accessGroupCreate({ name: 'busy', init_id: 'iqn.2024-01.org.openlsm.test:busy', init_type: 5, system });
  const names = Array.from({ length: 8 }, (_, i) => `c${i}`);
  for (const n of names) await client.volumeCreate({ pool, volume_name: n, size_bytes: 1n << 20n });
  const results = await Promise.all(names.map((n) => env.cli(['volume-mask', '--vol', `images/${n}`, '--ag', 'ag-1'])));
  assert.deepEqual(results.map((r) => [r.code, r.stderr]), names.map(() => [0, '']));
  const [target] = (await env.tgtd.admin.targets()).filter((t) => t.name === `${PREFIX}:ag1.busy`);
  assert.ok(target);
  assert.deepEqual(target.luns.map((l) => l.lun), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(new Set(target.luns.slice(1).map((l) => path.basename(l.path ?? ''))), new Set(names));
  const masked = await env.json<{ name: string }[]>(['access-group-volumes', '--ag', 'ag-1']);
  assert.equal(masked.length, 8);
});
