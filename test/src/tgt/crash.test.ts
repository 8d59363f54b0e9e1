/**
 * Crash safety: tgt_lsmplugin processes killed with SIGKILL while masks, unmasks and CHAP changes are in flight
 * leave a state file that parses, and the next session brings tgtd exactly to what that state says: the right
 * targets with the right initiator, LUNs and accounts, all online, and an empty account journal. At the end the
 * CHAP secret the state records (after all those changes) is the one tgtd accepts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findPluginExecutable, spawnPlugin } from '@openlsm/client';
import type { AccessGroup, Volume } from '@openlsm/core';
import { Connection } from '@openlsm/ipc';
import { desiredConfig, parseConfig, parseState, type TgtState } from '@openlsm/plugin-tgt';
import { readCapacity } from '../fixtures/iscsi-initiator.js';
import { killDuringCalls } from '../fixtures/kill-mid-flight.js';
import { PREFIX, tgtEnv, type TgtEnv } from './tgt-env.js';

const H = ['iqn.2024-01.org.openlsm.test:crash1', 'iqn.2024-01.org.openlsm.test:crash2', 'iqn.2024-01.org.openlsm.test:crash3'] as const;

let env: TgtEnv;

before(async () => {
  env = await tgtEnv();
  const client = await env.connect();
  const [system] = await client.systems();
  const [pool] = await client.pools();
  assert.ok(system && pool);
  for (const name of ['k1', 'k2', 'k3']) await client.volumeCreate({ pool, volume_name: name, size_bytes: 1n << 20n });
  const ag = await client.accessGroupCreate({ name: 'crash-a', init_id: H[0], init_type: 5, system });
  await client.accessGroupInitiatorAdd({ access_group: ag, init_id: H[1], init_type: 5 });
  await client.accessGroupCreate({ name: 'crash-b', init_id: H[2], init_type: 5, system });
});

after(async () => {
  await env?.cleanup();
});

function readState(): TgtState {
  return parseState(JSON.parse(readFileSync(path.join(env.stateDir, 'state.json'), 'utf8')));
}

/** Differences between tgtd's own targets and what the state calls for. */
async function divergence(): Promise<string[]> {
  const state = readState();
  const want = desiredConfig(state, parseConfig(readFileSync(env.configFile, 'utf8'), env.configFile));
  const have = (await env.tgtd.admin.targets()).filter((t) => t.name.startsWith(PREFIX));
  const problems: string[] = [];
  if (state.dirtyAccounts.length > 0) problems.push(`journal not empty: ${state.dirtyAccounts.join(',')}`);
  const haveNames = have.map((t) => t.name).sort();
  const wantNames = [...want.targets.keys()].sort();
  if (JSON.stringify(haveNames) !== JSON.stringify(wantNames)) problems.push(`targets ${haveNames} != ${wantNames}`);
  for (const t of have) {
    const w = want.targets.get(t.name);
    if (!w) continue;
    const luns = t.luns.filter((l) => l.lun !== 0).map((l) => `${l.lun}:${l.path}`);
    const wantLuns = w.luns.map((l) => `${l.lun}:${l.path}`);
    if (JSON.stringify(luns) !== JSON.stringify(wantLuns)) problems.push(`${t.name}: LUNs ${luns} != ${wantLuns}`);
    if (JSON.stringify(t.acls) !== JSON.stringify(w.initiators)) problems.push(`${t.name}: ACL ${t.acls}`);
    if (JSON.stringify([...t.incomingAccounts].sort()) !== JSON.stringify(w.inUsers)) problems.push(`${t.name}: accounts ${t.incomingAccounts}`);
    if (t.outgoingAccount !== w.outUser) problems.push(`${t.name}: outgoing ${t.outgoingAccount}`);
    if (t.state !== 'ready') problems.push(`${t.name}: ${t.state}`);
  }
  const accounts = new Set(await env.tgtd.admin.accounts());
  for (const user of want.accounts.keys()) if (!accounts.has(user)) problems.push(`account ${user} missing`);
  return problems;
}

test('plugins killed mid-change: the next session brings tgtd exactly to the state', async () => {
  const exe = findPluginExecutable('tgt', env.env);
  assert.ok(exe, 'tgt_lsmplugin is built and linked');
  for (let run = 0; run < 4; run++) {
    const plugin = await spawnPlugin(exe, env.env);
    const connection = new Connection(plugin.socket, { peerName: 'tgt plug-in', timeoutMs: 30_000 });
    await connection.request('plugin_register', { uri: env.uri, password: null, timeout: 30_000, flags: 0 });
    const groups = (await connection.request('access_groups', { flags: 0 })) as AccessGroup[];
    const volumes = (await connection.request('volumes', { flags: 0 })) as Volume[];
    // Masks, unmasks (NO_STATE_CHANGE is fine) and CHAP changes, until the kill.
    await killDuringCalls(plugin, (i) => {
      const group = groups[(run + i) % groups.length] as AccessGroup;
      const volume = volumes[(i * 7 + run) % volumes.length] as Volume;
      const who = Math.floor(i / 3) % 3;
      return i % 3 === 2
        ? connection.request('iscsi_chap_auth', { init_id: H[who], in_user: `crash-user-${who}`, in_password: `secret-${run}-${i}-abc`, out_user: null, out_password: null, flags: 0 })
        : connection.request(i % 2 === 0 ? 'volume_mask' : 'volume_unmask', { access_group: group, volume, flags: 0 });
    }, { inFlight: 4, delayMs: run % 6 });
    connection.destroy();
    await plugin.stop(1_000);

    await env.session(); // the next session replays
    assert.deepEqual(await divergence(), [], `after run ${run}`);
  }

  // The secret tgtd accepts is the one the state records.
  const client = await env.connect();
  const [ag] = await client.accessGroups({ search_key: 'id', search_value: 'ag-1' });
  const [k1] = await client.volumes({ search_key: 'id', search_value: 'images/k1' });
  assert.ok(ag && k1);
  await client.iscsiChapAuth({ init_id: H[0], in_user: 'crash-user-0', in_password: 'final-secret-123', out_user: null, out_password: null });
  const state = readState();
  if (!state.masks.some((m) => m.accessGroup === 'ag-1' && m.volume === 'images/k1')) await client.volumeMask({ access_group: ag, volume: k1 });
  const lun = readState().masks.find((m) => m.accessGroup === 'ag-1' && m.volume === 'images/k1')?.lun ?? 0;
  const chap = readState().chap[H[0]]?.in;
  assert.deepEqual(chap, { user: 'crash-user-0', secret: 'final-secret-123' });
  const target = `${PREFIX}:ag1.crash-a`;
  const ok = await readCapacity({ portal: env.tgtd.portal, target, lun, initiator: H[0], user: chap.user, secret: chap.secret });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
});
