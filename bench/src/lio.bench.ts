/**
 * lio:// on the emulated configfs (the FUSE emulation of the tests, test/src/fixtures/configfs; a kernel's
 * configfs answers each file call in microseconds, the emulation in a few hundred, so these figures are an
 * upper bound for a real machine), through the SDK and a real `lio_lsmplugin` process:
 *
 * * volume create + mask, per volume, for 1,000 volumes masked to four access groups of two initiators each
 *   (250 volumes per group: rtslib 2.1 and so saveconfig.json allow mapped LUNs 0-255 per initiator): median and
 *   p95 of each call, for the first and the last 100, which shows how the cost grows with the tree;
 * * list the 1,000 exported volumes (median of 5), and one access group's 250 volumes (median of 5).
 *
 * Every change is durable before it returns (image, state file and saveconfig.json fsync'd), so on a busy disk
 * the fsyncs dominate.
 *
 * Needs root, /dev/fuse and python3-fusepy (as the tests); otherwise it says why and skips.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@openlsm/client';
import type { AccessGroup, Pool, System, Volume } from '@openlsm/core';
import { lockFileFor } from '@openlsm/plugin-lio';
import { emulationUnavailable, mountEmulatedConfigfs } from '../../test/dist/fixtures/configfs/index.js';
import { median, percentile, timed } from './stats.js';

const COUNT = 1000;
const GROUPS = 4;

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `median ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const why = emulationUnavailable();
  if (why) {
    console.log(`lio bench skipped: ${why}`);
    return;
  }
  const cfs = await mountEmulatedConfigfs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-lio-bench-'));
  try {
    fs.mkdirSync(path.join(dir, 'images'));
    fs.writeFileSync(path.join(dir, 'lio.yaml'), `target_iqn: iqn.2003-01.org.example.bench:array\nportals: ["127.0.0.1:3260"]\npools:\n  images: { directory: ${dir}/images }\n`);
    const uri = `lio://?configfs=${cfs.root}&config=${dir}/lio.yaml&saveconfig=${dir}/saveconfig.json`;
    const env = { ...process.env, LSM_UDS_PATH: path.join(dir, 'no-daemon') };
    const client = await Client.connect(uri, { env, mode: 'embedded', timeoutMs: 120_000 });
    const [system] = (await client.systems()) as [System];
    const [pool] = (await client.pools({ search_key: 'id', search_value: 'images' })) as [Pool];
    const groups: AccessGroup[] = [];
    for (let g = 0; g < GROUPS; g++) {
      const created = await client.accessGroupCreate({ name: `hosts${g}`, init_id: `iqn.1994-05.com.example:host${g}a`, init_type: 5, system });
      groups.push(await client.accessGroupInitiatorAdd({ access_group: created, init_id: `iqn.1994-05.com.example:host${g}b`, init_type: 5 }));
    }

    const creates: number[] = [];
    const masks: number[] = [];
    const start = performance.now();
    for (let i = 0; i < COUNT; i++) {
      const [c, volume] = await timed(() => client.volumeCreate({ pool, volume_name: `vol${i}`, size_bytes: 1n << 30n }));
      const [m] = await timed(() => client.volumeMask({ access_group: groups[i % GROUPS] as AccessGroup, volume: volume as Volume }));
      creates.push(c);
      masks.push(m);
    }
    const total = performance.now() - start;

    const lists: number[] = [];
    let listed = 0;
    for (let i = 0; i < 5; i++) {
      const [ms, volumes] = await timed(() => client.volumes());
      lists.push(ms);
      listed = volumes.length;
    }
    const accessible: number[] = [];
    for (let i = 0; i < 5; i++) accessible.push((await timed(() => client.volumesAccessibleByAccessGroup({ access_group: groups[0] as AccessGroup })))[0]);
    await client.close();

    const rows: [string, string][] = [
      [`volume create, first 100 of ${COUNT}`, summary(creates.slice(0, 100))],
      [`volume create, last 100 of ${COUNT}`, summary(creates.slice(-100))],
      [`volume mask (group of 2 initiators), first 100 of ${COUNT}`, summary(masks.slice(0, 100))],
      [`volume mask (group of 2 initiators), last 100 of ${COUNT}`, summary(masks.slice(-100))],
      [`volume create + mask, per volume (all ${COUNT})`, `${(total / COUNT).toFixed(1)} ms`],
      [`list ${listed} exported volumes (median of 5)`, `${median(lists).toFixed(0)} ms`],
      [`volumes accessible by one group, ${COUNT / GROUPS} (median of 5)`, `${median(accessible).toFixed(0)} ms`],
      ['saveconfig.json size', `${(fs.statSync(path.join(dir, 'saveconfig.json')).size / 1024).toFixed(0)} KiB`],
    ];
    for (const [what, value] of rows) console.log(`${what.padEnd(56)} ${value}`);
  } finally {
    await cfs.unmount();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(lockFileFor(cfs.root), { force: true });
  }
}

await main();
