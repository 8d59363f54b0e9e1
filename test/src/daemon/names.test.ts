/**
 * Names that cannot be stored faithfully are refused, lengths count characters, and lsmcli shows bidi and
 * invisible characters escaped (issue 9, item 7): through openlsmd, with the simulator, from an lsm client,
 * a raw openlsm client, the SDK and lsmcli.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ErrorNumber, LsmError, type Pool } from '@openlsm/core';
import { type Client } from '@openlsm/client';
import { encodeBody, encodeFrame } from '@openlsm/ipc';
import { daemonEnv, type DaemonEnv, sleep } from './daemon-env.js';
import { lsmcli, lsmFrame, lsmMessages, openlsmMessages, rawConnect } from './wire.js';

const isInvalid = (re: RegExp) => (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT && re.test(err.message);

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await sleep(20);
}

describe('names through openlsmd', () => {
  let env: DaemonEnv;
  let uri: string;
  let client: Client;
  let pool: Pool;

  before(async () => {
    env = daemonEnv({ plugins: ['sim'] });
    await env.start();
    uri = `sim://?statefile=${encodeURIComponent(path.join(env.dir, 'names.sqlite3'))}`;
    client = await env.connect(uri);
    [pool] = (await client.pools({ search_key: 'id', search_value: 'POOL_ID_00004' })) as [Pool];
  });
  after(async () => {
    await env.cleanup();
  });

  test('lone surrogates from an lsm client are refused, so two of them never collide as NAME_CONFLICT', async () => {
    const c = await rawConnect(path.join(env.socketDir, 'sim'));
    const send = (id: number, method: string, params: string) => c.socket.write(lsmFrame(`{"method": "${method}", "id": ${id}, "params": ${params}}`));
    send(1, 'plugin_register', `{"uri": ${JSON.stringify(uri)}, "password": null, "timeout": 30000, "flags": 0}`);
    send(2, 'pools', '{"search_key": "id", "search_value": "POOL_ID_00004", "flags": 0}');
    await waitFor(() => lsmMessages(c.received()).length === 2);
    const lsmPool = JSON.stringify((lsmMessages(c.received())[1]?.result as unknown[])[0]);
    for (const [id, name] of [[3, 'x\\ud800y'], [4, 'x\\ud801y']] as const) {
      send(id, 'volume_create', `{"pool": ${lsmPool}, "volume_name": "${name}", "size_bytes": 1073741824, "provisioning": 3, "flags": 0}`);
    }
    await waitFor(() => lsmMessages(c.received()).length === 4);
    for (const answer of lsmMessages(c.received()).slice(2) as { error: { code: number; message: string } }[]) {
      assert.equal(answer.error.code, ErrorNumber.INVALID_ARGUMENT);
      assert.match(answer.error.message, /volume_name.*lone UTF-16 surrogate/);
    }
    c.socket.destroy();
    assert.deepEqual((await client.volumes()).map((v) => v.name), []);
  });

  test('invalid UTF-8 on the openlsm wire is refused (it would be stored as U+FFFD)', async () => {
    const c = await rawConnect(path.join(env.socketDir, 'sim'));
    c.socket.write(encodeFrame(encodeBody({ id: 1, method: 'plugin_register', params: { uri, password: null, timeout: 30_000, flags: 0 } })));
    await waitFor(() => openlsmMessages(c.received()).length === 1);
    const body = encodeBody({ id: 2, method: 'volume_create', params: { pool, volume_name: 'badXXXXXX', size_bytes: 1n << 30n, provisioning: 3, flags: 0 } });
    const at = body.indexOf('XXXXXX');
    body.fill(0xff, at, at + 6); // bytes that are not UTF-8, as a Latin-1 terminal would send
    c.socket.write(encodeFrame(body));
    await waitFor(() => openlsmMessages(c.received()).length === 2);
    const answer = openlsmMessages(c.received()).find((m) => m.id === 2) as { error: { code: number; message: string } };
    assert.ok(answer?.error, JSON.stringify(openlsmMessages(c.received()), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    assert.equal(answer.error.code, ErrorNumber.INVALID_ARGUMENT);
    assert.match(answer.error.message, /U\+FFFD.*not valid UTF-8/);
    c.socket.destroy();
  });

  test('the SDK refuses ill-formed names before sending; lsmcli refuses what argv decoding replaced', async () => {
    await assert.rejects(client.volumeCreate({ pool, volume_name: 'x\ud800y', size_bytes: 1n << 30n }), isInvalid(/lone UTF-16 surrogate/));
    // Node decodes invalid UTF-8 in argv as U+FFFD, so this is what lsmcli sees for `--name $'bad\xff\xfe'`.
    const r = await lsmcli(['-u', uri, 'volume-create', '--name', 'bad\ufffd\ufffd', '--size', '1GiB', '--pool', 'POOL_ID_00004'], env.env);
    assert.equal(r.status, 4, r.stderr);
    assert.match(r.stderr, /INVALID_ARGUMENT\(101\).*U\+FFFD/);
  });

  test('255 characters are counted as a person counts them: 255 emoji fit, 256 do not', async () => {
    const ok = await lsmcli(['-u', uri, 'volume-create', '--name', '😀'.repeat(255), '--size', '1GiB', '--pool', 'POOL_ID_00004'], env.env);
    assert.equal(ok.status, 0, ok.stderr);
    const tooLong = await lsmcli(['-u', uri, 'volume-create', '--name', '😀'.repeat(256), '--size', '1GiB', '--pool', 'POOL_ID_00004'], env.env);
    assert.equal(tooLong.status, 4, tooLong.stderr);
    assert.match(tooLong.stderr, /longer than 255 characters/);
  });

  test('lsmcli shows bidi and invisible characters escaped, in tables and script mode', async () => {
    await client.volumeCreate({ pool, volume_name: 'evil\u202egnp.exe', size_bytes: 1n << 30n });
    await client.volumeCreate({ pool, volume_name: 'zero\u200bwidth', size_bytes: 1n << 30n });
    for (const args of [['lv'], ['-s', 'lv'], ['-t', ',', 'lv']]) {
      const r = await lsmcli(['-u', uri, ...args], env.env);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(r.stdout.includes('evil\\u202egnp.exe'), r.stdout);
      assert.ok(r.stdout.includes('zero\\u200bwidth'));
      assert.ok(!/[\u202e\u200b]/.test(r.stdout), `raw bidi or invisible character in: ${args.join(' ')}`);
    }
    // JSON output is data: the characters stay as they are.
    const json = await lsmcli(['-u', uri, '-o', 'json', 'lv'], env.env);
    assert.ok(json.stdout.includes('evil\u202egnp.exe'));
  });
});
