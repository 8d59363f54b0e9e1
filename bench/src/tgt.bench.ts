/**
 * tgt:// against a real tgtd on 127.0.0.1 (the test suite's fixture), through the SDK and a real
 * tgt_lsmplugin process:
 *
 * * management, per volume: `volume_create` + `volume_mask` into one access group (its target grows LUN by
 *   LUN), and into an access group of its own (each mask builds a new target); then unmask + delete; and the
 *   replay of 100 targets into a restarted, empty tgtd (a plugin_register);
 * * tgtd's own figure with its own tool: target + LUN + ACL per volume with `tgtadm` (a process per step),
 *   beside the same three requests from openlsm's socket client;
 * * data through a real initiator (qemu-img bench over qemu's libiscsi driver, and libiscsi's iscsi-perf),
 *   on a LUN the plugin exported beside a LUN exported with tgtadm, same tgtd, same kind of image file: the
 *   plugin is not on the data path, so the two should match.
 */
import { execFileSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TgtdAdmin, TgtdClient } from '@openlsm/plugin-tgt';
import { tgtEnv } from '@openlsm/test/tgt-env';
import { percentile } from './stats.js';

const MiB = 1024n * 1024n;
const VOLUMES = 100;

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(2)} ms, p90 ${percentile(s, 90).toFixed(2)} ms (n=${s.length})`;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** qemu-img bench (1 MiB requests, queue depth 8) over 256 MiB; returns MiB/s. */
function qemuBench(portal: string, target: string, initiator: string, write: boolean): number {
  const [host, port] = [portal.slice(0, portal.lastIndexOf(':')), portal.slice(portal.lastIndexOf(':') + 1)];
  const opts = `driver=iscsi,transport=tcp,portal=${host}:${port},target=${target},lun=1,initiator-name=${initiator}`;
  const args = ['bench', ...(write ? ['-w'] : []), '-s', '1M', '-c', '256', '-d', '8', '--image-opts', opts];
  const out = execFileSync('qemu-img', args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  const seconds = Number(/Run completed in ([\d.]+) seconds/.exec(out)?.[1]);
  return 256 / seconds;
}

/** iscsi-perf: sequential reads of 1 MiB (2048 blocks), 16 in flight, for 3 s; returns its MB/s figure. */
function iscsiPerf(portal: string, target: string, initiator: string): string {
  const out = execFileSync('iscsi-perf', ['-i', initiator, '-m', '16', '-b', '2048', '-t', '3', `iscsi://${portal}/${target}/1`], {
    encoding: 'utf8', env: { PATH: '/usr/bin:/bin' },
  });
  // It redraws one status line with carriage returns; the last "iops average" is the final figure.
  const averages = [...out.matchAll(/iops average (\d+) \((\d+) MB\/s\)/g)];
  const last = averages[averages.length - 1];
  return last ? `${last[2]} MB/s (${last[1]} IOPS)` : 'no figure';
}

async function main(): Promise<void> {
  const env = await tgtEnv();
  const rows: [string, string][] = [];
  try {
    const client = await env.connect();
    const [system] = await client.systems();
    const [pool] = await client.pools();
    if (!system || !pool) throw new Error('no system or pool');

    const shared = await client.accessGroupCreate({ name: 'bench-shared', init_id: 'iqn.2024-01.org.openlsm.bench:shared', init_type: 5, system });
    const sharedPairs: number[] = [];
    for (let i = 0; i < VOLUMES; i++) {
      sharedPairs.push(await timed(async () => {
        const v = await client.volumeCreate({ pool, volume_name: `s${i}`, size_bytes: 16n * MiB });
        await client.volumeMask({ access_group: shared, volume: v });
      }));
    }
    rows.push([`volume_create + volume_mask, one group (target grows to ${VOLUMES} LUNs)`, stats(sharedPairs)]);

    const ownPairs: number[] = [];
    for (let i = 0; i < VOLUMES; i++) {
      const ag = await client.accessGroupCreate({ name: `own${i}`, init_id: `iqn.2024-01.org.openlsm.bench:own${i}`, init_type: 5, system });
      ownPairs.push(await timed(async () => {
        const v = await client.volumeCreate({ pool, volume_name: `o${i}`, size_bytes: 16n * MiB });
        await client.volumeMask({ access_group: ag, volume: v });
      }));
    }
    rows.push([`volume_create + volume_mask, a group each (a new target each, ${VOLUMES + 1} in all)`, stats(ownPairs)]);

    await env.tgtd.kill();
    await env.tgtd.restart();
    const replay = await timed(async () => { await (await env.connect()).systems(); });
    rows.push([`replay ${VOLUMES + 1} targets / ${2 * VOLUMES} LUNs into a restarted tgtd (connect + register)`, `${replay.toFixed(0)} ms`]);

    const teardown: number[] = [];
    const groups = await client.accessGroups();
    for (let i = 0; i < 20; i++) {
      const v = (await client.volumes({ search_key: 'id', search_value: `images/o${i}` }))[0];
      const ag = groups.find((g) => g.name === `own${i}`);
      if (!v || !ag) throw new Error('missing bench volume');
      teardown.push(await timed(async () => {
        await client.volumeUnmask({ access_group: ag, volume: v });
        await client.volumeDelete({ volume: v });
      }));
    }
    rows.push(['volume_unmask + volume_delete (removes the target)', stats(teardown)]);

    // tgtd's own tool against openlsm's socket client: target new + LU new + ACL bind, 50 times each.
    const image = path.join(env.tgtd.dir, 'raw.img');
    writeFileSync(image, '');
    truncateSync(image, 16 * 1024 * 1024);
    const tgtadmEnv = { PATH: '/usr/sbin:/usr/bin', TGT_IPC_SOCKET: path.join(env.tgtd.dir, 'tgtd.sock') };
    const tgtadm = (args: string[]) => execFileSync('/usr/sbin/tgtadm', ['-C', '0', '--lld', 'iscsi', ...args], { env: tgtadmEnv, stdio: 'ignore' });
    const cliSteps: number[] = [];
    for (let i = 0; i < 50; i++) {
      const tid = 1000 + i;
      cliSteps.push(await timed(async () => {
        tgtadm(['--op', 'new', '--mode', 'target', '--tid', String(tid), '--targetname', `iqn.2024-01.org.example:raw${i}`]);
        tgtadm(['--op', 'new', '--mode', 'logicalunit', '--tid', String(tid), '--lun', '1', '--backing-store', image]);
        tgtadm(['--op', 'bind', '--mode', 'target', '--tid', String(tid), '--initiator-name', 'iqn.2024-01.org.example:raw']);
      }));
    }
    rows.push(['tgtadm: target + LUN + ACL (3 processes)', stats(cliSteps)]);
    const admin = new TgtdAdmin(new TgtdClient({ socketPath: env.tgtd.socketPath }));
    const socketSteps: number[] = [];
    for (let i = 0; i < 50; i++) {
      const tid = 2000 + i;
      socketSteps.push(await timed(async () => {
        await admin.newTarget(tid, `iqn.2024-01.org.example:sock${i}`);
        await admin.newLun(tid, 1, { path: image });
        await admin.bindInitiatorName(tid, 'iqn.2024-01.org.example:raw');
      }));
    }
    rows.push(['openlsm socket client: the same 3 requests', stats(socketSteps)]);
    for (let i = 0; i < 50; i++) {
      await admin.deleteTarget(1000 + i, true);
      await admin.deleteTarget(2000 + i, true);
    }

    // Data: a 256 MiB LUN exported by the plugin, and one exported with tgtadm.
    const dataGroup = await client.accessGroupCreate({ name: 'bench-data', init_id: 'iqn.2024-01.org.openlsm.bench:data', init_type: 5, system });
    const dataVolume = await client.volumeCreate({ pool, volume_name: 'data', size_bytes: 256n * MiB });
    await client.volumeMask({ access_group: dataGroup, volume: dataVolume });
    const pluginTarget = `iqn.2024-01.org.openlsm.test:ag${dataGroup.id.slice(3)}.bench-data`;
    const rawImage = path.join(env.tgtd.dir, 'raw-data.img');
    writeFileSync(rawImage, '');
    truncateSync(rawImage, 256 * 1024 * 1024);
    tgtadm(['--op', 'new', '--mode', 'target', '--tid', '3000', '--targetname', 'iqn.2024-01.org.example:rawdata']);
    tgtadm(['--op', 'new', '--mode', 'logicalunit', '--tid', '3000', '--lun', '1', '--backing-store', rawImage]);
    tgtadm(['--op', 'bind', '--mode', 'target', '--tid', '3000', '--initiator-name', 'iqn.2024-01.org.openlsm.bench:data']);
    const initiator = 'iqn.2024-01.org.openlsm.bench:data';
    for (const [label, target] of [['plugin-exported LUN', pluginTarget], ['tgtadm-exported LUN', 'iqn.2024-01.org.example:rawdata']] as const) {
      const write = qemuBench(env.tgtd.portal, target, initiator, true);
      const read = qemuBench(env.tgtd.portal, target, initiator, false);
      rows.push([`${label}: qemu-img bench 256 MiB, 1 MiB, QD8`, `write ${write.toFixed(0)} MiB/s, read ${read.toFixed(0)} MiB/s`]);
      rows.push([`${label}: iscsi-perf read 1 MiB, QD16, 3 s`, iscsiPerf(env.tgtd.portal, target, initiator)]);
    }
  } finally {
    await env.cleanup();
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('tgt:// against a real tgtd on 127.0.0.1 (SDK, one plugin process; data through qemu and libiscsi)');
  for (const [what, value] of rows) console.log(`  ${what.padEnd(width)}  ${value}`);
}

await main();
