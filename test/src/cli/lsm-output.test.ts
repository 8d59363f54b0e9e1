/**
 * lsmcli's listings after a scripted sequence of creates, resizes, replication, masks, exports and a RAID volume
 * made and deleted again, compared with lsm's output for the same sequence (fixtures/lsm-1.10-sequence.txt; its
 * header says where each expectation comes from). Every listing in table, -t, -s and -H form, plus -s -H.
 * (Capabilities differ on purpose: this simulator searches in SQL and claims the seven QUICK_SEARCH capabilities
 * lsm's does not; their layout is checked in cli-list.test.ts.) VPD 0x83 ids and default NFS export paths are random by design, in lsm as here: both are
 * replaced by same-width placeholders before comparing, so alignment is still compared.
 *
 * The layout rules themselves (lsm's tools/lsmcli/data_display.py) are also checked on every output directly,
 * so a fixture regenerated from a wrong renderer would not pass unnoticed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@openlsm/client';
import { InitiatorType, RaidType, ReplicationType } from '@openlsm/core';
import { newSim } from './harness.js';

const FIXTURE = fileURLToPath(new URL('../../src/cli/fixtures/lsm-1.10-sequence.txt', import.meta.url));

/**
 * The sequence, in lsmcli's words. The steps whose lsmcli defaults matter (fs-export: anonuid, anongid and auth
 * type left out) run through lsmcli; the others through the SDK, the same calls with the same params, in one
 * process (fifteen lsmcli processes would add seconds and test nothing more).
 *
 *   vc --name vol_a --size 10GiB --pool POOL_ID_00004; vc --name vol_b --size 1GiB --pool POOL_ID_00001
 *   -f vr --vol VOL_ID_00001 --size 20GiB; volume-replicate --vol VOL_ID_00002 --name vol_b_copy --rep-type COPY
 *   vi --vol VOL_ID_00003; ac --name hosts --init iqn.1994-05.com.example:host1 --sys sim-01
 *   aa --ag AG_ID_00001 --init 20:00:00:00:c9:12:34:56; ac --name backup --init iqn.1994-05.com.example:backup1 --sys sim-01
 *   vm --vol VOL_ID_00001 --ag AG_ID_00001; vm --vol VOL_ID_00002 --ag AG_ID_00001; vm --vol VOL_ID_00002 --ag AG_ID_00002
 *   fs-create --name fs_a --size 100GiB --pool POOL_ID_00004; the two fs-export commands of EXPORTS
 *   vrc --name r1 --raid-type RAID1 --disk DISK_ID_00005 --disk DISK_ID_00006
 *   vu --vol VOL_ID_00002 --ag AG_ID_00002; -f vd --vol VOL_ID_00004
 */
export async function runSequence(client: Client, cli: (argv: readonly string[]) => Promise<unknown>): Promise<void> {
  const [system] = await client.systems();
  const pool = async (id: string) => (await client.pools({ search_key: 'id', search_value: id }))[0]!;
  const volA = await client.volumeCreate({ pool: await pool('POOL_ID_00004'), volume_name: 'vol_a', size_bytes: 10n * GiB });
  const volB = await client.volumeCreate({ pool: await pool('POOL_ID_00001'), volume_name: 'vol_b', size_bytes: GiB });
  await client.volumeResize({ volume: volA, new_size_bytes: 20n * GiB });
  const copy = await client.volumeReplicate({ volume_src: volB, name: 'vol_b_copy', rep_type: ReplicationType.COPY, pool: null });
  await client.volumeDisable({ volume: copy });
  const hosts = await client.accessGroupCreate({ name: 'hosts', init_id: 'iqn.1994-05.com.example:host1', init_type: InitiatorType.ISCSI_IQN, system: system! });
  await client.accessGroupInitiatorAdd({ access_group: hosts, init_id: '20:00:00:00:c9:12:34:56', init_type: InitiatorType.WWPN });
  const backup = await client.accessGroupCreate({ name: 'backup', init_id: 'iqn.1994-05.com.example:backup1', init_type: InitiatorType.ISCSI_IQN, system: system! });
  await client.volumeMask({ access_group: hosts, volume: volA });
  await client.volumeMask({ access_group: hosts, volume: volB });
  await client.volumeMask({ access_group: backup, volume: volB });
  await client.fsCreate({ pool: await pool('POOL_ID_00004'), name: 'fs_a', size_bytes: 100n * GiB });
  for (const argv of EXPORTS) await cli(argv);
  const disks = (await client.disks()).filter((d) => d.id === 'DISK_ID_00005' || d.id === 'DISK_ID_00006');
  const raid = await client.volumeRaidCreate({ name: 'r1', raid_type: RaidType.RAID1, disks, strip_size: 0 });
  await client.volumeUnmask({ access_group: backup, volume: volB });
  await client.volumeDelete({ volume: raid });
}

const GiB = 1024n ** 3n;

/** Through lsmcli: its defaults for what is not given are part of what is compared. */
const EXPORTS: readonly (readonly string[])[] = [
  ['fs-export', '--fs', 'FS_ID_00001', '--rw-host', '10.0.0.1'],
  ['fs-export', '--fs', 'FS_ID_00001', '--exportpath', '/srv/share', '--ro-host', '10.0.0.2', '--ro-host', 'backup.example.com',
    '--root-host', '10.0.0.2', '--anonuid', '65534', '--anongid', '65534', '--auth-type', 'standard'],
];

const LISTINGS = ['ls', 'lp', 'lv', 'ld', 'la', 'lf', 'list --type exports', 'lt', 'lb'];
const FORMS = ['', '-t ,', '-s', '-H'];

/** Every command compared, as written in the fixture's `=== ` lines. */
export const COMPARED: readonly string[] = [
  ...FORMS.flatMap((f) => LISTINGS.map((l) => `${f} ${l}`.trim())),
  '-s -H lv',
];

/** Random by design: VPD 0x83 ids (NAA type 5, 16 hex digits) and default export paths. Same-width placeholders. */
export function normalize(text: string): string {
  return text.replace(/\b5[0-9a-f]{15}\b/g, '5xxxxxxxxxxxxxxx').replace(/\/nfs_exp_[0-9a-f]{8}\b/g, '/nfs_exp_xxxxxxxx');
}

/** The fixture's sections: command -> expected stdout (the text between its `=== <command>` line and the next). */
function expected(): Map<string, string> {
  const sections = new Map<string, string>();
  const lines = readFileSync(FIXTURE, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  let current: string | undefined;
  let body: string[] = [];
  const flush = () => { if (current !== undefined) sections.set(current, body.map((l) => `${l}\n`).join('')); };
  for (const line of lines) {
    if (line.startsWith('=== ')) {
      flush();
      current = line.slice(4);
      body = [];
    } else if (current !== undefined) {
      body.push(line);
    }
  }
  flush();
  return sections;
}

/** lsm's layout rules, checked on the text itself (data_display.py, display_data_script_way and _column_way). */
function assertLsmLayout(command: string, out: string): void {
  const lines = out.split('\n').slice(0, -1);
  if (/(^| )-s( |$)/.test(command)) {
    // Script way: one dashed line before every block and one after the last, all as wide as the widest row.
    const frames = lines.filter((l) => /^-+$/.test(l));
    assert.ok(frames.length >= 2, command);
    assert.equal(new Set(frames).size, 1, `${command}: every block has the same width`);
    assert.equal(lines[0], frames[0], command);
    assert.equal(lines.at(-1), frames[0], command);
    lines.forEach((l, i) => assert.ok(!(/^-+$/.test(l) && /^-+$/.test(lines[i + 1] ?? '')), `${command}: one separator between blocks`));
    const width = frames[0]!.length;
    for (const l of lines) assert.ok(l.length >= width || /^ +/.test(l), `${command}: every row is padded to the frame: ${JSON.stringify(l)}`);
  } else if (command.startsWith('-t ')) {
    // Terse: no header, every column at least one character wide, so nothing is ever joined as ",,".
    assert.doesNotMatch(out, /,,/, command);
  } else {
    assert.equal(lines[1], '-'.repeat(lines[0]!.length), `${command}: the dashed line is as wide as the header`);
  }
}

describe('lsmcli listings compared with lsm 1.10 after the same sequence', () => {
  test('table, -t, -s, -H and -s -H, identical but for random ids', async (t) => {
    const sim = newSim(t);
    const client = await Client.connect(sim.uri, { mode: 'embedded', env: { ...process.env, LSM_SIM_TIME: '0' } });
    try {
      await runSequence(client, (argv) => sim.ok(argv));
    } finally {
      await client.close();
    }
    const want = expected();
    assert.deepEqual([...want.keys()], [...COMPARED], 'the fixture has one section per compared command');
    const got = new Map<string, string>();
    for (let i = 0; i < COMPARED.length; i += 4) {
      const batch = COMPARED.slice(i, i + 4);
      const outs = await Promise.all(batch.map((c) => sim.ok(c.split(' '))));
      batch.forEach((c, j) => got.set(c, outs[j] as string));
    }
    for (const command of COMPARED) {
      const out = got.get(command) as string;
      assertLsmLayout(command, out);
      assert.equal(normalize(out), want.get(command), `lsmcli ${command}`);
    }
  });
});
