/**
 * Command table, part 3: file systems, snapshots, NFS exports and file clones.
 */
import type { CommandSpec, OptionSpec } from './spec.js';

const fs: OptionSpec = { long: 'fs', value: '<FS_ID>', description: 'File system ID', required: true };
const files: OptionSpec = { long: 'file', value: '<FILE>', repeatable: true, description: 'Only this file (repeatable)' };
const backingSnapshot: OptionSpec = { long: 'backing-snapshot', value: '<SNAP_ID>', description: 'Use this snapshot of the file system as the source' };

export const fsCommands: readonly CommandSpec[] = [
  {
    name: 'fs-create', family: 'fs', connection: 'plugin',
    summary: 'Create a file system in a pool',
    output: 'The new file system. With -b: the job id (exit 7). JSON: an array with the file system.',
    options: [
      { long: 'name', value: '<NAME>', description: 'Name of the new file system', required: true },
      { long: 'size', value: '<SIZE>', kind: 'size', description: 'Size, e.g. 100GiB', required: true },
      { long: 'pool', value: '<POOL_ID>', description: 'Pool to take the space from', required: true },
    ],
    examples: [{ command: 'lsmcli -u sim:// fs-create --name fs1 --size 100GiB --pool POOL_ID_00001', comment: '' }],
  },
  {
    name: 'fs-delete', family: 'fs', connection: 'plugin', confirm: 'will',
    summary: 'Delete a file system (asks for confirmation unless -f)',
    output: 'Nothing. With -b: the job id (exit 7).', options: [fs],
    examples: [{ command: 'lsmcli -u sim:// -f fs-delete --fs FS_ID_00001', comment: '' }],
  },
  {
    name: 'fs-resize', family: 'fs', connection: 'plugin', confirm: 'may',
    summary: 'Grow or shrink a file system (asks for confirmation unless -f)',
    output: 'The resized file system. JSON: an array with the file system.',
    options: [fs, { long: 'size', value: '<NEW_SIZE>', kind: 'size', description: 'New size, e.g. 200GiB', required: true }],
    examples: [{ command: 'lsmcli -u sim:// -f fs-resize --fs FS_ID_00001 --size 200GiB', comment: '' }],
  },
  {
    name: 'fs-export', family: 'fs', connection: 'plugin',
    summary: 'Export a file system over NFS',
    output: 'The new export. JSON: an array with the export.',
    options: [
      fs,
      { long: 'exportpath', value: '<EXPORT_PATH>', description: 'Export path (default: the plugin chooses)' },
      { long: 'anonuid', value: '<ANON_UID>', kind: 'int', description: 'UID anonymous users are mapped to' },
      { long: 'anongid', value: '<ANON_GID>', kind: 'int', description: 'GID anonymous users are mapped to' },
      { long: 'auth-type', value: '<AUTH_TYPE>', description: 'NFS client authentication type (see list --type NFS_CLIENT_AUTH)' },
      { long: 'root-host', value: '<ROOT_HOST>', repeatable: true, description: 'Host with root access (repeatable)' },
      { long: 'ro-host', value: '<RO_HOST>', repeatable: true, description: 'Host with read-only access (repeatable)' },
      { long: 'rw-host', value: '<RW_HOST>', repeatable: true, description: 'Host with read-write access (repeatable)' },
    ],
    examples: [{ command: 'lsmcli -u sim:// fs-export --fs FS_ID_00001 --rw-host 10.0.0.1 --ro-host 10.0.0.0/24', comment: '' }],
  },
  {
    name: 'fs-unexport', family: 'fs', connection: 'plugin',
    summary: 'Remove an NFS export', output: 'Nothing.',
    options: [{ long: 'export', value: '<EXPORT_ID>', description: 'NFS export ID', required: true }],
    examples: [{ command: 'lsmcli -u sim:// fs-unexport --export EXP_ID_00001', comment: '' }],
  },
  {
    name: 'fs-clone', family: 'fs', connection: 'plugin',
    summary: 'Create a file system as a clone of another',
    output: 'The new file system. JSON: an array with the file system.',
    options: [
      { long: 'src-fs', value: '<SRC_FS_ID>', description: 'Source file system ID', required: true },
      { long: 'dst-name', value: '<DST_NAME>', description: 'Name of the new file system', required: true },
      backingSnapshot,
    ],
    examples: [{ command: 'lsmcli -u sim:// fs-clone --src-fs FS_ID_00001 --dst-name fs1-clone', comment: '' }],
  },
  {
    name: 'fs-snap-create', family: 'fs', connection: 'plugin',
    summary: 'Take a snapshot of a file system',
    output: 'The new snapshot. JSON: an array with the snapshot.',
    options: [{ long: 'name', value: '<SNAP_NAME>', description: 'Name of the snapshot', required: true }, fs],
    examples: [{ command: 'lsmcli -u sim:// fs-snap-create --name before-upgrade --fs FS_ID_00001', comment: '' }],
  },
  {
    name: 'fs-snap-delete', family: 'fs', connection: 'plugin', confirm: 'will',
    summary: 'Delete a snapshot (asks for confirmation unless -f)', output: 'Nothing. With -b: the job id (exit 7).',
    options: [{ long: 'snap', value: '<SNAP_ID>', description: 'Snapshot ID', required: true }, fs],
    examples: [{ command: 'lsmcli -u sim:// -f fs-snap-delete --snap FS_SNAP_ID_00001 --fs FS_ID_00001', comment: '' }],
  },
  {
    name: 'fs-snap-restore', family: 'fs', connection: 'plugin', confirm: 'will',
    summary: 'Restore a file system, or some of its files, from a snapshot (asks for confirmation unless -f)',
    output: 'Nothing. With -b: the job id (exit 7).',
    options: [
      { long: 'snap', value: '<SNAP_ID>', description: 'Snapshot ID', required: true },
      fs,
      { long: 'file', value: '<FILE>', repeatable: true, description: 'Only restore this file (repeatable)' },
      { long: 'fileas', value: '<NEW_NAME>', repeatable: true, description: 'Restore the matching --file under this name (as many as --file)' },
    ],
    examples: [{ command: 'lsmcli -u sim:// -f fs-snap-restore --snap FS_SNAP_ID_00001 --fs FS_ID_00001', comment: 'the whole file system' }],
  },
  {
    name: 'fs-dependants', family: 'fs', connection: 'plugin',
    summary: 'Tell whether clones or snapshots depend on a file system (or on some of its files)',
    output: '`True` or `False`. JSON: true or false.', options: [fs, files],
    examples: [{ command: 'lsmcli -u sim:// fs-dependants --fs FS_ID_00001', comment: '' }],
  },
  {
    name: 'fs-dependants-rm', family: 'fs', connection: 'plugin',
    summary: 'Break the dependencies of clones on a file system (or on some of its files)',
    output: 'Nothing. With -b: the job id (exit 7).', options: [fs, files],
    examples: [{ command: 'lsmcli -u sim:// fs-dependants-rm --fs FS_ID_00001', comment: '' }],
  },
  {
    name: 'file-clone', family: 'fs', connection: 'plugin',
    summary: 'Clone one file of a file system',
    output: 'Nothing. With -b: the job id (exit 7).',
    options: [
      fs,
      { long: 'src', value: '<SRC_FILE>', description: 'Source file name', required: true },
      { long: 'dst', value: '<DST_FILE>', description: 'Destination file name', required: true },
      backingSnapshot,
    ],
    examples: [{ command: 'lsmcli -u sim:// file-clone --fs FS_ID_00001 --src a.img --dst b.img', comment: '' }],
  },
];
