/**
 * lsmcli volume commands against the simulator: output, exit codes and the state each command leaves.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newSim, rows } from './harness.js';

interface VolumeJson {
  id: string;
  name: string;
  size_bytes: number;
  admin_state: number;
  pool_id: string;
}

describe('lsmcli volume commands', () => {
  test('create, resize, replicate, dependants, enable/disable, delete', async (t) => {
    const sim = newSim(t);
    const created = await sim.ok(['vc', '--name', 'vol_a', '--size', '10GiB', '--pool', 'POOL_ID_00004']);
    assert.match(created, /^ID +\| Name +\| SCSI VPD 0x83 +\| Size +\| Disabled \| Pool ID +\| System ID \| Disk Paths/);
    const [row] = rows(created);
    assert.deepEqual([row?.[0], row?.[1], row?.[3], row?.[4], row?.[5]], ['VOL_ID_00001', 'vol_a', '10737418240', 'No', 'POOL_ID_00004']);
    assert.match(row?.[2] ?? '', /^5[0-9a-f]{15}$/);

    const resized = await sim.ok(['-f', 'volume-resize', '--vol', 'VOL_ID_00001', '--size', '20GiB']);
    assert.equal(rows(resized)[0]?.[3], '21474836480');
    const same = await sim.cli(['vr', '--vol', 'VOL_ID_00001', '--size', '20GiB', '-f']);
    assert.equal(same.code, 4);
    assert.equal(same.stderr, 'NO_STATE_CHANGE(125): Specified size same as current\n');

    const copy = await sim.ok(['volume-replicate', '--vol', 'VOL_ID_00001', '--name', 'vol_b', '--rep-type', 'clone']);
    assert.equal(rows(copy)[0]?.[1], 'vol_b');
    assert.equal(await sim.ok(['volume-dependants', '--vol', 'VOL_ID_00001']), 'True\n');
    assert.equal(await sim.json(['volume-dependants', '--vol', 'VOL_ID_00002']), false);
    await sim.ok(['volume-dependants-rm', '--vol', 'VOL_ID_00001']);
    assert.equal(await sim.ok(['volume-dependants', '--vol', 'VOL_ID_00001']), 'False\n');

    assert.equal(await sim.ok(['vi', '--vol', 'VOL_ID_00002']), '');
    assert.equal((await sim.json<VolumeJson[]>(['lv', '--vol', 'VOL_ID_00002']))[0]?.admin_state, 0);
    assert.equal(rows(await sim.ok(['lv', '--vol', 'VOL_ID_00002']))[0]?.[4], 'Yes');
    const again = await sim.cli(['volume-disable', '--vol', 'VOL_ID_00002']);
    assert.equal(again.code, 4);
    assert.match(again.stderr, /^NO_STATE_CHANGE\(125\): /);
    await sim.ok(['ve', '--vol', 'VOL_ID_00002']);

    // Confirmation: "n" on stdin aborts and keeps the volume; "y" deletes it.
    const aborted = await sim.cli(['vd', '--vol', 'VOL_ID_00002'], { input: 'n\n' });
    assert.equal(aborted.code, 0);
    assert.match(aborted.stderr, /Warning: You are about to do an operation that will cause data to be lost!\nPress \[Y\|y\] to continue, any other key to abort\nOperation aborted!\n/);
    assert.equal((await sim.json<VolumeJson[]>(['lv'])).length, 2);
    const yes = await sim.cli(['volume-delete', '--vol', 'VOL_ID_00002'], { input: 'y\n' });
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(await sim.ok(['-f', 'vd', '--vol', 'VOL_ID_00001']), '');
    assert.deepEqual(await sim.json(['lv']), []);
  });

  test('-b prints the job id and exits 7; job-status reports progress (7) then the volume (0)', async (t) => {
    const sim = newSim(t);
    const started = await sim.cli(['-b', 'vc', '--name', 'slow', '--size', '1GiB', '--pool', 'POOL_ID_00004'], { env: { LSM_SIM_TIME: '1' } });
    assert.equal(started.code, 7, started.stderr);
    const jobId = started.stdout.trim();
    assert.match(jobId, /^JOB_ID_\d{5}$/);
    assert.equal(started.stdout, `${jobId}\n`);
    const running = await sim.cli(['job-status', '--job', jobId]);
    if (running.code === 7) assert.match(running.stdout, /^\d{1,2}\n$/);
    else assert.equal(running.code, 0, running.stderr);
    let done = running;
    for (let i = 0; i < 40 && done.code === 7; i++) {
      await new Promise((r) => setTimeout(r, 250));
      done = await sim.cli(['job-status', '--job', jobId]);
    }
    assert.equal(done.code, 0, done.stderr);
    assert.equal(rows(done.stdout)[0]?.[1], 'slow');
    // The job was freed: asking again is NOT_FOUND_JOB.
    const freed = await sim.cli(['job-status', '--job', jobId]);
    assert.equal(freed.code, 4);

    const json = await sim.cli(['-o', 'json', '-b', 'vc', '--name', 'slow2', '--size', '1GiB', '--pool', 'POOL_ID_00004'], { env: { LSM_SIM_TIME: '5' } });
    assert.equal(json.code, 7);
    const { job_id: id } = JSON.parse(json.stdout) as { job_id: string };
    const status = await sim.cli(['-o', 'json', 'job-status', '--job', id]);
    assert.equal(status.code, 7);
    const doc = JSON.parse(status.stdout) as { job_id: string; status: string; percent: number };
    assert.equal(doc.job_id, id);
    assert.equal(doc.status, 'INPROGRESS');
    assert.ok(doc.percent >= 0 && doc.percent < 100);
  });

  test('RAID create and capabilities, RAID info, LEDs, caches, replicate range, read cache percentage', async (t) => {
    const sim = newSim(t);
    const cap = await sim.ok(['vrcc', '--sys', 'sim-01']);
    assert.match(cap, /^System ID +\| Supported RAID Types \| Supported Strip Sizes/);
    assert.deepEqual(rows(cap).map((r) => r[1]).filter(Boolean), ['RAID0', 'RAID1', 'RAID5', 'RAID6', 'RAID10', 'RAID50', 'RAID60']);
    const raid = await sim.ok(['volume-raid-create', '--name', 'r1', '--raid-type', 'raid1', '--disk', 'DISK_ID_00005', '--disk', 'DISK_ID_00006']);
    const volId = rows(raid)[0]?.[0] ?? '';
    assert.equal(rows(raid)[0]?.[1], 'r1');
    const [disks, info, led, ledOff, cache, pdc, rcp, wcp, bs] = await Promise.all([
      sim.json<{ id: string; status: number }[]>(['ld']),
      sim.ok(['vri', '--vol', volId]),
      sim.ok(['volume-ident-led-on', '--vol', volId]),
      sim.ok(['viloff', '--vol', volId]),
      sim.ok(['vci', '--vol', volId]),
      sim.ok(['vpdcu', '--vol', volId, '--policy', 'ENABLE']),
      sim.ok(['vrcpu', '--vol', volId, '--policy', 'disable']),
      sim.ok(['vwcpu', '--vol', volId, '--policy', 'WT']),
      sim.ok(['volume-replicate-range-block-size', '--sys', 'sim-01']),
    ]);
    const free = 8192;
    assert.equal(((disks.find((d) => d.id === 'DISK_ID_00005')?.status ?? free) & free), 0, 'the RAID consumed its disks');
    assert.deepEqual(rows(info)[0]?.slice(0, 2), [volId, 'RAID1']);
    assert.equal(led, '');
    assert.equal(ledOff, '');
    assert.match(cache, /^Volume ID +\| Write Cache Policy \| Write Cache +\| Read Cache Policy \| Read Cache +\| Physical Disk Cache/);
    assert.ok(rows(pdc)[0]?.includes('Enabled'));
    assert.equal(rows(rcp)[0]?.[3], 'Disabled');
    assert.equal(rows(wcp)[0]?.[1], 'Write Through');
    assert.equal(bs, '512\n');
    const after = await sim.ok(['volume-cache-info', '--vol', volId]);
    assert.deepEqual(rows(after)[0]?.slice(1), ['Write Through', rows(after)[0]?.[2], 'Disabled', rows(after)[0]?.[4], 'Enabled']);

    await sim.ok(['vc', '--name', 'dst', '--size', '1GiB', '--pool', 'POOL_ID_00004']);
    const dstId = (await sim.json<VolumeJson[]>(['lv'])).find((v) => v.name === 'dst')?.id ?? '';
    assert.equal(await sim.ok(['-f', 'volume-replicate-range', '--src-vol', volId, '--dst-vol', dstId, '--rep-type', 'COPY',
      '--src-start', '0', '--dst-start', '0', '--count', '100', '--src-start', '200', '--dst-start', '300', '--count', '10']), '');
    const mismatch = await sim.cli(['-f', 'volume-replicate-range', '--src-vol', volId, '--dst-vol', dstId, '--rep-type', 'COPY',
      '--src-start', '0', '--src-start', '5', '--dst-start', '0', '--count', '1']);
    assert.equal(mismatch.code, 2);

    const sys = await sim.ok(['srcpu', '--sys', 'sim-01', '--read-pct', '30']);
    assert.equal(rows(sys)[0]?.[6], '30');
  });
});
