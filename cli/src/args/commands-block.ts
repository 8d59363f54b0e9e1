/**
 * Command table, part 1: listing, systems, pools, jobs and volumes.
 */
import type { CommandSpec, OptionSpec } from './spec.js';

export const LIST_TYPES = [
  'VOLUMES', 'POOLS', 'FS', 'SNAPSHOTS', 'EXPORTS', 'NFS_CLIENT_AUTH', 'ACCESS_GROUPS', 'SYSTEMS', 'DISKS',
  'PLUGINS', 'TARGET_PORTS', 'BATTERIES',
] as const;
export type ListType = (typeof LIST_TYPES)[number];

export const RAID_TYPES = ['RAID0', 'RAID1', 'RAID5', 'RAID6', 'RAID10', 'RAID50', 'RAID60'] as const;

const vol = (description = 'Volume ID'): OptionSpec => ({ long: 'vol', value: '<VOL_ID>', description, required: true });
const sys: OptionSpec = { long: 'sys', value: '<SYS_ID>', description: 'System ID', required: true };
const cachePolicy = (choices: readonly string[]): OptionSpec => ({
  long: 'policy', value: '<POLICY>', choices, kind: 'choice', required: true, description: `New policy: ${choices.join(', ')}`,
});

export const blockCommands: readonly CommandSpec[] = [
  {
    name: 'list', family: 'list', connection: 'plugin',
    summary: 'List objects of one type, optionally filtered by one related id',
    output: 'A table of the objects (nothing for an empty result). JSON: an array of objects with lsm\'s field names; volumes and disks also carry `size_bytes`; NFS_CLIENT_AUTH gives an array of strings; PLUGINS gives `{name, description, version, source}` objects.',
    options: [
      { long: 'type', value: '<TYPE>', choices: LIST_TYPES, kind: 'choice', required: true, description: `Object type: ${LIST_TYPES.join(', ')} (any case)` },
      { long: 'sys', value: '<SYS_ID>', description: 'Only objects of this system (pools, volumes, fs, access groups, disks, target ports, batteries)' },
      { long: 'pool', value: '<POOL_ID>', description: 'Only this pool, or the volumes / file systems of this pool' },
      { long: 'vol', value: '<VOL_ID>', description: 'Only this volume, or the access groups granted to this volume' },
      { long: 'disk', value: '<DISK_ID>', description: 'Only this disk' },
      { long: 'ag', value: '<AG_ID>', description: 'Only this access group, or the volumes masked to this access group' },
      { long: 'fs', value: '<FS_ID>', description: 'Only this file system, or its snapshots / NFS exports (required for SNAPSHOTS)' },
      { long: 'nfs-export', value: '<NFS_EXPORT_ID>', description: 'Only this NFS export' },
      { long: 'tgt', value: '<TGT_ID>', description: 'Only this target port' },
    ],
    examples: [
      { command: 'lsmcli -u sim:// list --type volumes', comment: 'every volume' },
      { command: 'lsmcli -u sim:// list --type volumes --pool POOL_ID_00001', comment: 'the volumes of one pool' },
      { command: 'lsmcli -u sim:// lp -H', comment: 'pools with human-readable sizes (lp = list --type pools)' },
      { command: 'lsmcli -u sim:// -o json list --type disks', comment: 'disks as JSON' },
    ],
  },
  {
    name: 'job-status', family: 'system', connection: 'plugin',
    summary: 'Show the status of a job started with -b',
    output: 'A running job prints its percentage and exits 7; a finished job prints the object it made (if any), is freed, and exits 0. JSON: `{"job_id", "status": "INPROGRESS"|"COMPLETE", "percent", "item"}`.',
    options: [{ long: 'job', value: '<JOB_ID>', description: 'Job ID', required: true }],
    examples: [{ command: 'lsmcli -u sim:// job-status --job JOB_ID_00001', comment: 'exit 7 while running, 0 when done' }],
  },
  {
    name: 'capabilities', alias: 'c', family: 'system', connection: 'plugin',
    summary: 'Show which operations a system supports',
    output: 'One `NAME | SUPPORTED` / `NAME | UNSUPPORTED` row per capability, supported first, each group sorted by name. JSON: an object mapping each capability name to true or false.',
    options: [sys],
    examples: [{ command: 'lsmcli -u sim:// capabilities --sys sim-01', comment: 'what sim-01 can do' }],
  },
  {
    name: 'plugin-info', alias: 'p', family: 'system', connection: 'plugin',
    summary: 'Show the plugin\'s description and version',
    output: '`Description: <desc> Version: <version>` (with -t: `<desc><SEP><version>`). JSON: `{"description", "version"}`.',
    options: [],
    examples: [{ command: 'lsmcli -u sim:// plugin-info', comment: 'Description: ... Version: ...' }],
  },
  {
    name: 'system-read-cache-pct-update', alias: 'srcpu', family: 'system', connection: 'plugin',
    summary: 'Change the share of a system\'s cache used for reading',
    output: 'The system after the change. JSON: an array with the system.',
    options: [sys, { long: 'read-pct', value: '<READ_PCT>', kind: 'int', required: true, description: 'Read cache percentage, 0 to 100' }],
    examples: [{ command: 'lsmcli -u sim:// system-read-cache-pct-update --sys sim-01 --read-pct 30', comment: '30% read, 70% write' }],
  },
  {
    name: 'pool-member-info', alias: 'pmi', family: 'system', connection: 'plugin',
    summary: 'Show the RAID type and the disks or pools a pool is made of',
    output: 'Pool ID, RAID Type, Member Type, Member IDs (one member per row). JSON: `[{"pool_id", "raid_type", "member_type", "member_ids"}]`.',
    options: [{ long: 'pool', value: '<POOL_ID>', description: 'Pool ID', required: true }],
    examples: [{ command: 'lsmcli -u sim:// pool-member-info --pool POOL_ID_00001', comment: 'RAID1 of two disks' }],
  },
  {
    name: 'volume-create', alias: 'vc', family: 'volume', connection: 'plugin',
    summary: 'Create a volume in a pool',
    output: 'The new volume. With -b: the job id (exit 7). JSON: an array with the volume (with -b: `{"job_id"}`).',
    options: [
      { long: 'name', value: '<NAME>', description: 'Name of the new volume', required: true },
      { long: 'size', value: '<SIZE>', kind: 'size', description: 'Size, e.g. 10GiB, 500MB, 1.5T (no unit: bytes)', required: true },
      { long: 'pool', value: '<POOL_ID>', description: 'Pool to take the space from', required: true },
      { long: 'provisioning', value: '<PROV>', choices: ['DEFAULT', 'THIN', 'FULL'], kind: 'choice', description: 'DEFAULT (the default), THIN or FULL' },
    ],
    examples: [
      { command: 'lsmcli -u sim:// volume-create --name vol1 --size 10GiB --pool POOL_ID_00004', comment: 'a 10 GiB volume' },
      { command: 'lsmcli -u sim:// -b vc --name vol2 --size 1T --pool POOL_ID_00004', comment: 'start the job and print its id (exit 7)' },
    ],
  },
  {
    name: 'volume-raid-create', alias: 'vrc', family: 'volume', connection: 'plugin',
    summary: 'Create a RAID group from free disks and one volume on it',
    output: 'The new volume. JSON: an array with the volume.',
    options: [
      { long: 'name', value: '<NAME>', description: 'Name of the new volume', required: true },
      { long: 'disk', value: '<DISK_ID>', description: 'A free disk to use', required: true, repeatable: true },
      { long: 'raid-type', value: '<RAID_TYPE>', choices: RAID_TYPES, kind: 'choice', required: true, description: `RAID level: ${RAID_TYPES.join(', ')}` },
      { long: 'strip-size', value: '<STRIP_SIZE>', kind: 'size', description: 'Strip size, e.g. 64KiB (default: the system\'s)' },
    ],
    examples: [{ command: 'lsmcli -u sim:// volume-raid-create --name r1 --raid-type RAID1 --disk DISK_ID_00005 --disk DISK_ID_00006', comment: 'a RAID1 volume on two free disks' }],
  },
  {
    name: 'volume-raid-create-cap', alias: 'vrcc', family: 'volume', connection: 'plugin',
    summary: 'Show the RAID types and strip sizes volume-raid-create accepts',
    output: 'System ID, Supported RAID Types, Supported Strip Sizes (one per row). JSON: `[{"system_id", "raid_types", "strip_sizes"}]` (RAID types as numbers).',
    options: [sys],
    examples: [{ command: 'lsmcli -u sim:// volume-raid-create-cap --sys sim-01', comment: 'RAID levels and strip sizes' }],
  },
  {
    name: 'volume-delete', alias: 'vd', family: 'volume', connection: 'plugin', confirm: 'will',
    summary: 'Delete a volume (asks for confirmation unless -f)',
    output: 'Nothing. With -b: the job id (exit 7).',
    options: [vol()],
    examples: [{ command: 'lsmcli -u sim:// -f volume-delete --vol VOL_ID_00001', comment: 'delete without asking' }],
  },
  {
    name: 'volume-resize', alias: 'vr', family: 'volume', connection: 'plugin', confirm: 'may',
    summary: 'Grow or shrink a volume (asks for confirmation unless -f)',
    output: 'The resized volume. Resizing to the current size fails with NO_STATE_CHANGE (exit 4). JSON: an array with the volume.',
    options: [vol(), { long: 'size', value: '<NEW_SIZE>', kind: 'size', description: 'New size, e.g. 20GiB', required: true }],
    examples: [{ command: 'lsmcli -u sim:// -f volume-resize --vol VOL_ID_00001 --size 20GiB', comment: 'grow to 20 GiB' }],
  },
  {
    name: 'volume-replicate', family: 'volume', connection: 'plugin',
    summary: 'Create a new volume as a replica of another',
    output: 'The new volume. JSON: an array with the volume.',
    options: [
      vol('Source volume ID'),
      { long: 'name', value: '<NAME>', description: 'Name of the new volume', required: true },
      { long: 'rep-type', value: '<REPL_TYPE>', choices: ['CLONE', 'COPY', 'MIRROR_ASYNC', 'MIRROR_SYNC'], kind: 'choice', required: true, description: 'CLONE, COPY, MIRROR_ASYNC or MIRROR_SYNC' },
      { long: 'pool', value: '<POOL_ID>', description: 'Pool of the new volume (default: the plugin chooses)' },
    ],
    examples: [{ command: 'lsmcli -u sim:// volume-replicate --vol VOL_ID_00001 --name vol1-copy --rep-type COPY', comment: 'a full copy' }],
  },
  {
    name: 'volume-replicate-range', family: 'volume', connection: 'plugin', confirm: 'will',
    summary: 'Copy block ranges from one volume to another (asks for confirmation unless -f)',
    output: 'Nothing. With -b: the job id (exit 7).',
    options: [
      { long: 'src-vol', value: '<SRC_VOL_ID>', description: 'Source volume ID', required: true },
      { long: 'dst-vol', value: '<DST_VOL_ID>', description: 'Destination volume ID', required: true },
      { long: 'rep-type', value: '<REPL_TYPE>', choices: ['CLONE', 'COPY'], kind: 'choice', required: true, description: 'CLONE or COPY' },
      { long: 'src-start', value: '<SRC_START_BLK>', kind: 'block', repeatable: true, required: true, description: 'First source block of a range (repeat once per range)' },
      { long: 'dst-start', value: '<DST_START_BLK>', kind: 'block', repeatable: true, required: true, description: 'First destination block of a range (repeat once per range)' },
      { long: 'count', value: '<BLK_COUNT>', kind: 'block', repeatable: true, required: true, description: 'Number of blocks of a range (repeat once per range)' },
    ],
    examples: [{ command: 'lsmcli -u sim:// -f volume-replicate-range --src-vol VOL_ID_00001 --dst-vol VOL_ID_00002 --rep-type COPY --src-start 0 --dst-start 0 --count 100', comment: 'copy the first 100 blocks' }],
  },
  {
    name: 'volume-replicate-range-block-size', family: 'volume', connection: 'plugin',
    summary: 'Show the block size, in bytes, that volume-replicate-range counts in',
    output: 'An integer. JSON: a number.',
    options: [sys],
    examples: [{ command: 'lsmcli -u sim:// volume-replicate-range-block-size --sys sim-01', comment: 'e.g. 512' }],
  },
  {
    name: 'volume-dependants', family: 'volume', connection: 'plugin',
    summary: 'Tell whether other volumes depend on this one (replication source)',
    output: '`True` or `False`. JSON: true or false.',
    options: [vol()],
    examples: [{ command: 'lsmcli -u sim:// volume-dependants --vol VOL_ID_00001', comment: 'True when it is a replication source' }],
  },
  {
    name: 'volume-dependants-rm', family: 'volume', connection: 'plugin',
    summary: 'Break the dependency of replicas on this volume',
    output: 'Nothing. With -b: the job id (exit 7).',
    options: [vol()],
    examples: [{ command: 'lsmcli -u sim:// volume-dependants-rm --vol VOL_ID_00001', comment: 'make its replicas independent' }],
  },
  {
    name: 'volume-enable', alias: 've', family: 'volume', connection: 'plugin',
    summary: 'Enable a volume (make it accessible again)', output: 'Nothing.', options: [vol()],
    examples: [{ command: 'lsmcli -u sim:// volume-enable --vol VOL_ID_00001', comment: '' }],
  },
  {
    name: 'volume-disable', alias: 'vi', family: 'volume', connection: 'plugin',
    summary: 'Disable a volume (no host can access it)', output: 'Nothing.', options: [vol()],
    examples: [{ command: 'lsmcli -u sim:// volume-disable --vol VOL_ID_00001', comment: '' }],
  },
  {
    name: 'volume-raid-info', alias: 'vri', family: 'volume-extra', connection: 'plugin',
    summary: 'Show the RAID layout behind a volume',
    output: 'Volume ID, RAID Type, Strip Size, Disk Count, Minimum I/O Size, Optimal I/O Size. JSON: `[{"volume_id", "raid_type", "strip_size", "disk_count", "min_io_size", "opt_io_size"}]`.',
    options: [vol()],
    examples: [{ command: 'lsmcli -u sim:// volume-raid-info --vol VOL_ID_00001', comment: '' }],
  },
  {
    name: 'volume-ident-led-on', alias: 'vilon', family: 'volume-extra', connection: 'plugin',
    summary: 'Turn on the identification LEDs of the disks behind a volume', output: 'Nothing.', options: [vol()],
    examples: [{ command: 'lsmcli -u sim:// volume-ident-led-on --vol VOL_ID_00001', comment: '' }],
  },
  {
    name: 'volume-ident-led-off', alias: 'viloff', family: 'volume-extra', connection: 'plugin',
    summary: 'Turn off the identification LEDs of the disks behind a volume', output: 'Nothing.', options: [vol()],
    examples: [{ command: 'lsmcli -u sim:// volume-ident-led-off --vol VOL_ID_00001', comment: '' }],
  },
  {
    name: 'volume-cache-info', alias: 'vci', family: 'volume-extra', connection: 'plugin',
    summary: 'Show the cache policies and states of a volume',
    output: 'Volume ID, Write Cache Policy, Write Cache, Read Cache Policy, Read Cache, Physical Disk Cache. JSON: `[{"volume_id", "write_cache_policy", "write_cache_status", "read_cache_policy", "read_cache_status", "physical_disk_cache"}]`.',
    options: [vol()],
    examples: [{ command: 'lsmcli -u sim:// volume-cache-info --vol VOL_ID_00001', comment: '' }],
  },
  {
    name: 'volume-phy-disk-cache-update', alias: 'vpdcu', family: 'volume-extra', connection: 'plugin',
    summary: 'Enable or disable the disks\' own cache for a volume',
    output: 'The volume\'s cache information after the change (as volume-cache-info).',
    options: [vol(), cachePolicy(['ENABLE', 'DISABLE'])],
    examples: [{ command: 'lsmcli -u sim:// volume-phy-disk-cache-update --vol VOL_ID_00001 --policy DISABLE', comment: '' }],
  },
  {
    name: 'volume-read-cache-policy-update', alias: 'vrcpu', family: 'volume-extra', connection: 'plugin',
    summary: 'Enable or disable read caching for a volume',
    output: 'The volume\'s cache information after the change (as volume-cache-info).',
    options: [vol(), cachePolicy(['ENABLE', 'DISABLE'])],
    examples: [{ command: 'lsmcli -u sim:// volume-read-cache-policy-update --vol VOL_ID_00001 --policy ENABLE', comment: '' }],
  },
  {
    name: 'volume-write-cache-policy-update', alias: 'vwcpu', family: 'volume-extra', connection: 'plugin',
    summary: 'Set the write cache policy of a volume: write back, auto or write through',
    output: 'The volume\'s cache information after the change (as volume-cache-info).',
    options: [vol(), cachePolicy(['WB', 'AUTO', 'WT'])],
    examples: [{ command: 'lsmcli -u sim:// volume-write-cache-policy-update --vol VOL_ID_00001 --policy WT', comment: 'write through' }],
  },
];
