/**
 * The targetd plugin through the SDK, as a real plugin process talking HTTPS to the targetd double: every lsm
 * call it implements, checked against what the appliance then holds, and the ids libstoragemgmt's own plugin
 * would show for the same server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Client } from '@openlsm/client';
import {
  ErrorNumber, InitiatorType, JobStatus, PoolElementType, PoolUnsupported, ReplicationType, type Volume, VolumeReplicate,
} from '@openlsm/core';
import { lsmError } from '../sim/sim-env.js';
import { FS_POOL, GiB, IQN1, IQN2, MiB, poolNamed, targetdEnv, type TargetdEnv, theSystem, THIN, VG, ZFS } from './targetd-env.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('targetd plugin through the SDK over targetd+ssl://', () => {
  let env: TargetdEnv;
  let client: Client;
  const BIG = 2n ** 61n + 4n * MiB;

  before(async () => {
    env = await targetdEnv({
      blockPools: [
        { name: VG, backend: 'lvm', size: 100n * GiB },
        { name: THIN, backend: 'lvm', size: 200n * GiB },
        { name: ZFS, backend: 'zfs', size: 50n * GiB },
        { name: 'vg-huge', backend: 'lvm', size: BIG },
      ],
      delays: { vol_copy: 1500 },
    });
    client = await env.connect();
  });
  after(() => env.cleanup());

  test('one system, named after the host, with the id libstoragemgmt uses', async () => {
    assert.deepEqual(await client.systems(), [{
      id: 'targetd', name: '127.0.0.1', status: 1, status_info: '', plugin_data: null, fw_version: '', read_cache_pct: -2, mode: -2,
    }]);
  });

  test('pools: id and name are targetd\'s pool names, sizes and 64-bit uuids exact', async () => {
    const pools = await client.pools();
    assert.deepEqual(pools.map((p) => p.id), [VG, THIN, ZFS, 'vg-huge', FS_POOL]);
    const huge = pools.find((p) => p.id === 'vg-huge');
    assert.equal(huge?.total_space, BIG);
    const zfs = pools.find((p) => p.id === ZFS);
    const guid = env.server.state.block.pools.get(ZFS)?.uuid;
    assert.equal(typeof guid, 'bigint');
    assert.ok((guid as bigint) > 2n ** 53n);
    assert.equal(zfs?.plugin_data, (guid as bigint).toString());
    assert.equal(zfs?.element_type, PoolElementType.VOLUME);
    assert.equal(zfs?.unsupported_actions, PoolUnsupported.VOLUME_SHRINK);
    const fs = pools.find((p) => p.id === FS_POOL);
    assert.equal(fs?.element_type, PoolElementType.FS);
    assert.equal(fs?.unsupported_actions, 0);
    // An LVM thin pool holds thin volumes (which may promise more than it has); a plain VG and ZFS do not.
    assert.equal(pools[1]?.element_type, PoolElementType.VOLUME | PoolElementType.VOLUME_THIN);
    assert.equal(pools[0]?.element_type, PoolElementType.VOLUME);
    assert.deepEqual(await client.pools({ search_key: 'id', search_value: THIN }), [pools[1]]);
  });

  test('volumes: create, list, search, grow, delete; id = LVM uuid, vpd83 as lsm derives it', async () => {
    const vg = await poolNamed(client, VG);
    const v = await client.volumeCreate({ pool: vg, volume_name: 'sdk-v1', size_bytes: 10n * MiB });
    const held = env.server.state.block.pools.get(VG)?.volumes.get('sdk-v1');
    assert.ok(held);
    assert.equal(v.id, held.uuid);
    assert.match(v.id, /^[A-Za-z0-9]{6}(-[A-Za-z0-9]{4}){5}-[A-Za-z0-9]{6}$/);
    assert.equal(v.vpd83, `6001405${held.uuid.toLowerCase().replace(/[^a-f0-9]/g, '').slice(0, 25)}`.padEnd(32, '0'));
    assert.equal(v.block_size * v.num_of_blocks, 12n * MiB, 'LVM rounds 10 MiB up to three 4 MiB extents');
    assert.deepEqual(await client.volumes({ search_key: 'id', search_value: v.id }), [v]);
    assert.ok((await client.volumes({ search_key: 'pool_id', search_value: VG })).some((x) => x.id === v.id));
    assert.deepEqual(await client.volumes({ search_key: 'pool_id', search_value: 'no-such-pool' }), []);

    const grown = await client.volumeResize({ volume: v, new_size_bytes: 20n * MiB });
    assert.equal(grown.block_size * grown.num_of_blocks, 20n * MiB);
    assert.equal(env.server.state.block.pools.get(VG)?.volumes.get('sdk-v1')?.size, 20n * MiB);
    await assert.rejects(client.volumeResize({ volume: grown, new_size_bytes: 20n * MiB }), lsmError(ErrorNumber.NO_STATE_CHANGE));
    await assert.rejects(client.volumeResize({ volume: grown, new_size_bytes: 4n * MiB }), lsmError(ErrorNumber.NO_SUPPORT, /only grow/));

    await client.volumeDelete({ volume: grown });
    assert.equal(env.server.state.block.pools.get(VG)?.volumes.has('sdk-v1'), false);
    await assert.rejects(client.volumeDelete({ volume: grown }), lsmError(ErrorNumber.NOT_FOUND_VOLUME));
  });

  test('volume_create errors: name taken, full pool, thin/full provisioning, a file-system pool', async () => {
    const vg = await poolNamed(client, VG);
    await client.volumeCreate({ pool: vg, volume_name: 'sdk-dup', size_bytes: MiB });
    await assert.rejects(client.volumeCreate({ pool: vg, volume_name: 'sdk-dup', size_bytes: MiB }), lsmError(ErrorNumber.NAME_CONFLICT));
    await assert.rejects(client.volumeCreate({ pool: vg, volume_name: 'sdk-huge', size_bytes: 101n * GiB }), lsmError(ErrorNumber.NOT_ENOUGH_SPACE, /insufficient free space/));
    await assert.rejects(client.volumeCreate({ pool: await poolNamed(client, ZFS), volume_name: 'sdk-zhuge', size_bytes: 51n * GiB }), lsmError(ErrorNumber.NOT_ENOUGH_SPACE, /out of space/));
    await assert.rejects(client.volumeCreate({ pool: vg, volume_name: 'sdk-thin', size_bytes: MiB, provisioning: 1 }), lsmError(ErrorNumber.INVALID_ARGUMENT));
    await assert.rejects(client.volumeCreate({ pool: await poolNamed(client, FS_POOL), volume_name: 'sdk-fs', size_bytes: MiB }), lsmError(ErrorNumber.NO_SUPPORT));
    const gone = { ...vg, id: 'vg-gone', name: 'vg-gone' };
    await assert.rejects(client.volumeCreate({ pool: gone, volume_name: 'sdk-x', size_bytes: MiB }), lsmError(ErrorNumber.NOT_FOUND_POOL));
  });

  test('replicate: a COPY is a job (in progress, then complete), in the source\'s thin pool only', async () => {
    const thin = await poolNamed(client, THIN);
    const src = await client.volumeCreate({ pool: thin, volume_name: 'sdk-src', size_bytes: GiB });
    const [jobId, none] = await client.call(VolumeReplicate, { rep_type: ReplicationType.COPY, volume_src: src, name: 'sdk-copy' });
    assert.equal(none, null);
    assert.ok(jobId);
    const [status, percent] = await client.jobStatus({ job_id: jobId });
    assert.deepEqual([status, percent], [JobStatus.INPROGRESS, 0], 'vol_copy takes 1.5 s on this server');
    const copy = (await client.waitJob(jobId, { pollIntervalMs: 50 })) as Volume;
    assert.equal(copy.name, 'sdk-copy');
    assert.equal(copy.pool_id, THIN);
    assert.equal(copy.block_size * copy.num_of_blocks, GiB);

    // Another process answers the same job id from targetd's state.
    const other = await env.connect();
    const [s2, p2, item] = await other.jobStatus({ job_id: jobId });
    assert.deepEqual([s2, p2], [JobStatus.COMPLETE, 100]);
    assert.deepEqual(item, copy);
    await other.jobFree({ job_id: jobId });
    await assert.rejects(other.jobStatus({ job_id: 'JOB_nonsense' }), lsmError(ErrorNumber.NOT_FOUND_JOB));

    await assert.rejects(client.volumeReplicate({ rep_type: ReplicationType.COPY, volume_src: src, name: 'sdk-copy' }), lsmError(ErrorNumber.NAME_CONFLICT));
    await assert.rejects(client.volumeReplicate({ rep_type: ReplicationType.CLONE, volume_src: src, name: 'sdk-clone' }), lsmError(ErrorNumber.NO_SUPPORT));
    await assert.rejects(client.volumeReplicate({ pool: await poolNamed(client, VG), rep_type: ReplicationType.COPY, volume_src: src, name: 'x' }), lsmError(ErrorNumber.NO_SUPPORT, /own pool/));
    const plain = await client.volumeCreate({ pool: await poolNamed(client, VG), volume_name: 'sdk-plain', size_bytes: MiB });
    await assert.rejects(client.volumeReplicate({ rep_type: ReplicationType.COPY, volume_src: plain, name: 'sdk-plain-copy' }), lsmError(ErrorNumber.NO_SUPPORT, /thin pools/));
  });

  test('access groups: create, add and remove initiators, delete; lsm\'s NO_STATE_CHANGE and LAST_INIT checks', async () => {
    const system = await theSystem(client);
    // Upper case in, lower case stored: LIO lower-cases, and targetd compares what it is sent.
    const ag = await client.accessGroupCreate({ name: 'sdk-hosts', init_id: IQN1.toUpperCase().replace('IQN', 'iqn'), init_type: InitiatorType.ISCSI_IQN, system });
    assert.deepEqual(ag, { id: 'sdk-hosts', name: 'sdk-hosts', init_ids: [IQN1], init_type: InitiatorType.ISCSI_IQN, system_id: 'targetd', plugin_data: null });
    const two = await client.accessGroupInitiatorAdd({ access_group: ag, init_id: IQN2, init_type: InitiatorType.ISCSI_IQN });
    assert.deepEqual(two.init_ids, [IQN1, IQN2]);
    await assert.rejects(client.accessGroupInitiatorAdd({ access_group: ag, init_id: IQN2, init_type: InitiatorType.ISCSI_IQN }), lsmError(ErrorNumber.NO_STATE_CHANGE));
    await assert.rejects(client.accessGroupInitiatorAdd({ access_group: ag, init_id: '10:00:00:00:c9:95:2f:de', init_type: InitiatorType.WWPN }), lsmError(ErrorNumber.NO_SUPPORT));
    await assert.rejects(client.accessGroupCreate({ name: 'sdk-other', init_id: IQN2, init_type: InitiatorType.ISCSI_IQN, system }), lsmError(ErrorNumber.EXISTS_INITIATOR));
    await assert.rejects(client.accessGroupCreate({ name: 'sdk-hosts', init_id: 'iqn.1994-05.com.redhat:client9', init_type: InitiatorType.ISCSI_IQN, system }), lsmError(ErrorNumber.NAME_CONFLICT));
    await assert.rejects(client.accessGroupCreate({ name: 'x', init_id: 'iqn.1994-05.com.redhat:client9', init_type: InitiatorType.ISCSI_IQN, system: { ...system, id: 'other' } }), lsmError(ErrorNumber.NOT_FOUND_SYSTEM));
    const one = await client.accessGroupInitiatorDelete({ access_group: two, init_id: IQN2, init_type: InitiatorType.ISCSI_IQN });
    assert.deepEqual(one.init_ids, [IQN1]);
    await assert.rejects(client.accessGroupInitiatorDelete({ access_group: one, init_id: IQN2, init_type: InitiatorType.ISCSI_IQN }), lsmError(ErrorNumber.NO_STATE_CHANGE));
    await assert.rejects(client.accessGroupInitiatorDelete({ access_group: one, init_id: IQN1, init_type: InitiatorType.ISCSI_IQN }), lsmError(ErrorNumber.LAST_INIT_IN_ACCESS_GROUP));
    await client.accessGroupDelete({ access_group: one });
    assert.deepEqual((await client.accessGroups()).filter((g) => g.id === 'sdk-hosts'), []);
    await assert.rejects(client.accessGroupDelete({ access_group: one }), lsmError(ErrorNumber.NOT_FOUND_ACCESS_GROUP));
  });

  test('masking: explicit LUN ids 0, 1 for two volumes of one group, both queries, unmask, and what masks block', async () => {
    const system = await theSystem(client);
    const vg = await poolNamed(client, VG);
    const ag = await client.accessGroupCreate({ name: 'sdk-mask', init_id: 'iqn.2001-04.com.example:mask1', init_type: InitiatorType.ISCSI_IQN, system });
    const a = await client.volumeCreate({ pool: vg, volume_name: 'sdk-mask-a', size_bytes: MiB });
    const b = await client.volumeCreate({ pool: vg, volume_name: 'sdk-mask-b', size_bytes: MiB });
    await client.volumeMask({ access_group: ag, volume: a });
    await client.volumeMask({ access_group: ag, volume: b });
    const maps = env.server.state.lio.accessGroupMapList().filter((m) => m.ag_name === 'sdk-mask');
    assert.deepEqual(maps.map((m) => [m.vol_name, m.h_lun_id]), [['sdk-mask-a', 0], ['sdk-mask-b', 1]]);
    await assert.rejects(client.volumeMask({ access_group: ag, volume: a }), lsmError(ErrorNumber.NO_STATE_CHANGE));
    assert.deepEqual((await client.volumesAccessibleByAccessGroup({ access_group: ag })).map((v) => v.id).sort(), [a.id, b.id].sort());
    assert.deepEqual((await client.accessGroupsGrantedToVolume({ volume: a })).map((g) => g.id), ['sdk-mask']);
    await assert.rejects(client.volumeDelete({ volume: a }), lsmError(ErrorNumber.IS_MASKED, /sdk-mask/));
    await assert.rejects(client.accessGroupDelete({ access_group: ag }), lsmError(ErrorNumber.IS_MASKED));

    await client.volumeUnmask({ access_group: ag, volume: a });
    await assert.rejects(client.volumeUnmask({ access_group: ag, volume: a }), lsmError(ErrorNumber.NO_STATE_CHANGE));
    assert.deepEqual((await client.volumesAccessibleByAccessGroup({ access_group: ag })).map((v) => v.id), [b.id]);
    assert.deepEqual(await client.accessGroupsGrantedToVolume({ volume: a }), []);
    await client.volumeDelete({ volume: a });
    // The freed LUN id 0 is the next one used.
    const c = await client.volumeCreate({ pool: vg, volume_name: 'sdk-mask-c', size_bytes: MiB });
    await client.volumeMask({ access_group: ag, volume: c });
    assert.equal(env.server.state.lio.accessGroupMapList().find((m) => m.vol_name === 'sdk-mask-c')?.h_lun_id, 0);
  });

  test('an initiator with an ACL of its own is lsm\'s init.<md5> group: masked with export_create, not editable', async () => {
    const iqn = 'iqn.2001-04.com.example:alone';
    await client.iscsiChapAuth({ init_id: iqn, in_user: 'alone', in_password: 'alone-secret-1' });
    const own = (await client.accessGroups()).find((g) => g.init_ids.includes(iqn));
    assert.deepEqual(own, { id: `init.${md5(iqn)}`, name: 'N/A', init_ids: [iqn], init_type: InitiatorType.ISCSI_IQN, system_id: 'targetd', plugin_data: null });
    const v = await client.volumeCreate({ pool: await poolNamed(client, VG), volume_name: 'sdk-alone', size_bytes: MiB });
    await client.volumeMask({ access_group: own, volume: v });
    assert.deepEqual(env.server.state.lio.exportList().filter((e) => e.initiator_wwn === iqn).map((e) => [e.vol_name, e.lun]), [['sdk-alone', 0]]);
    assert.deepEqual((await client.volumesAccessibleByAccessGroup({ access_group: own })).map((x) => x.id), [v.id]);
    await assert.rejects(client.accessGroupInitiatorAdd({ access_group: own, init_id: IQN2, init_type: InitiatorType.ISCSI_IQN }), lsmError(ErrorNumber.NO_SUPPORT));
    await assert.rejects(client.accessGroupDelete({ access_group: own }), lsmError(ErrorNumber.NO_SUPPORT));
    await client.volumeUnmask({ access_group: own, volume: v });
    assert.equal(env.server.state.lio.acls.has(iqn), false, 'targetd drops the ACL with its last export');
  });

  test('iSCSI CHAP goes to the initiator\'s ACL; pairs must be complete', async () => {
    const iqn = 'iqn.2001-04.com.example:chap';
    await client.iscsiChapAuth({ init_id: iqn, in_user: 'inuser', in_password: 'in-secret-123', out_user: 'outuser', out_password: 'out-secret-456' });
    assert.deepEqual(env.server.state.lio.chap(iqn), { userid: 'inuser', password: 'in-secret-123', mutualUserid: 'outuser', mutualPassword: 'out-secret-456' });
    await client.iscsiChapAuth({ init_id: iqn, in_user: 'inuser', in_password: 'in-secret-123' });
    assert.deepEqual(env.server.state.lio.chap(iqn), { userid: 'inuser', password: 'in-secret-123', mutualUserid: '', mutualPassword: '' });
    await assert.rejects(client.iscsiChapAuth({ init_id: iqn, in_user: 'only-user' }), lsmError(ErrorNumber.INVALID_ARGUMENT));
    await assert.rejects(client.iscsiChapAuth({ init_id: iqn, out_user: 'o', out_password: 'p' }), lsmError(ErrorNumber.INVALID_ARGUMENT, /incoming/));
    await assert.rejects(client.iscsiChapAuth({ init_id: iqn, in_user: 'u', in_password: 'has space' }), (err: Error) => !err.message.includes('has space'));
  });

  test('file systems, snapshots, clones and NFS exports of an fs pool', async () => {
    const pool = await poolNamed(client, FS_POOL);
    const fs = await client.fsCreate({ pool, name: 'sdk-fs', size_bytes: GiB });
    assert.equal(fs.pool_id, FS_POOL);
    assert.deepEqual((await client.fs()).find((f) => f.id === fs.id), fs);
    const ss = await client.fsSnapshotCreate({ fs, snapshot_name: 'sdk-ss' });
    assert.deepEqual(await client.fsSnapshots({ fs }), [ss]);
    const clone = await client.fsClone({ src_fs: fs, dest_fs_name: 'sdk-fs-clone', snapshot: ss });
    assert.equal(clone.name, 'sdk-fs-clone');
    await client.fsSnapshotDelete({ fs, snapshot: ss });
    assert.deepEqual(await client.fsSnapshots({ fs }), []);
    assert.deepEqual(await client.exportAuth(), ['sys', 'krb5', 'krb5i', 'krb5p']);

    const exp = await client.exportFs({ fs_id: fs.id, rw_list: ['10.0.0.1', 'host2.example.com'], ro_list: ['10.0.0.0/24'], root_list: ['10.0.0.1'], anon_uid: 99, auth_type: 'krb5' });
    const path = `${FS_POOL}/targetd_fs/sdk-fs`;
    assert.deepEqual(exp, {
      id: md5(`${path}anonuid=99,sec=krb5`), fs_id: fs.id, export_path: path, auth: 'krb5', root: ['10.0.0.1'],
      rw: ['10.0.0.1', 'host2.example.com'], ro: ['10.0.0.0/24'], anonuid: 99, anongid: -1, options: 'anonuid=99,sec=krb5', plugin_data: null,
    });
    assert.deepEqual(await client.exports({ search_key: 'id', search_value: exp.id }), [exp]);
    assert.deepEqual(env.server.state.fs.nfsExportList().map((e) => e.host), ['10.0.0.1', 'host2.example.com', '10.0.0.0/24']);
    await assert.rejects(client.exportFs({ fs_id: fs.id, rw_list: ['a;reboot'] }), lsmError(ErrorNumber.INVALID_ARGUMENT));
    await assert.rejects(client.exportFs({ fs_id: fs.id, rw_list: ['h1'], ro_list: ['h1'] }), lsmError(ErrorNumber.INVALID_ARGUMENT));
    await client.exportRemove({ export: exp });
    assert.deepEqual(env.server.state.fs.nfsExportList(), []);
    await assert.rejects(client.exportRemove({ export: exp }), lsmError(ErrorNumber.NOT_FOUND_NFS_EXPORT));

    await client.fsDelete({ fs: clone });
    await client.fsDelete({ fs });
    await assert.rejects(client.fsDelete({ fs }), lsmError(ErrorNumber.NOT_FOUND_FS));
  });

  test('an export whose second host fails is undone: nothing is left half made', async () => {
    const fs = await client.fsCreate({ pool: await poolNamed(client, FS_POOL), name: 'sdk-fs-undo', size_bytes: GiB });
    // The double is made to fail the second host's entry, as a failing exportfs would.
    const original = env.server.state.fs.nfsExportAdd.bind(env.server.state.fs);
    let calls = 0;
    env.server.state.fs.nfsExportAdd = (...args) => {
      calls++;
      if (calls === 2) throw new Error('exportfs exploded');
      return original(...args);
    };
    try {
      await assert.rejects(client.exportFs({ fs_id: fs.id, rw_list: ['h1', 'h2'] }));
    } finally {
      env.server.state.fs.nfsExportAdd = original;
    }
    assert.deepEqual(env.server.state.fs.nfsExportList(), []);
  });

  test('16 calls in flight on one session: all answered, none mixed up (targetd closes every connection)', async () => {
    const vg = await poolNamed(client, VG);
    const made = await Promise.all(Array.from({ length: 16 }, (_, i) => client.volumeCreate({ pool: vg, volume_name: `sdk-par-${i}`, size_bytes: MiB })));
    assert.deepEqual(made.map((v) => v.name), Array.from({ length: 16 }, (_, i) => `sdk-par-${i}`));
    assert.equal(new Set(made.map((v) => v.id)).size, 16);
    // A listing far larger than one TCP segment, read to the end of the HTTP/1.0 connection.
    for (let i = 0; i < 2000; i++) env.server.state.block.volCreate(THIN, `sdk-bulk-${i}`, MiB);
    const thin = await client.volumes({ search_key: 'pool_id', search_value: THIN });
    assert.equal(thin.filter((v) => v.name.startsWith('sdk-bulk-')).length, 2000);
  });

  test('ids are the same from another plugin process (derived from targetd, nothing local)', async () => {
    const other = await env.connect();
    assert.deepEqual(await other.volumes(), await client.volumes());
    assert.deepEqual(await other.accessGroups(), await client.accessGroups());
    assert.deepEqual(await other.pools(), await client.pools());
    assert.deepEqual(await other.fs(), await client.fs());
  });
});
