/**
 * Command table, part 2: access groups, masking and iSCSI CHAP.
 */
import type { CommandSpec, OptionSpec } from './spec.js';

const ag: OptionSpec = { long: 'ag', value: '<AG_ID>', description: 'Access group ID', required: true };
const init = (description: string): OptionSpec => ({ long: 'init', value: '<INIT_ID>', kind: 'initiator', description, required: true });
const vol: OptionSpec = { long: 'vol', value: '<VOL_ID>', description: 'Volume ID', required: true };

export const accessCommands: readonly CommandSpec[] = [
  {
    name: 'volume-mask', alias: 'vm', family: 'access-group', connection: 'plugin',
    summary: 'Grant an access group access to a volume', output: 'Nothing.', options: [vol, ag],
    examples: [{ command: 'lsmcli -u sim:// volume-mask --vol VOL_ID_00001 --ag AG_ID_00001', comment: '' }],
  },
  {
    name: 'volume-unmask', alias: 'vu', family: 'access-group', connection: 'plugin',
    summary: 'Revoke an access group\'s access to a volume', output: 'Nothing.', options: [vol, ag],
    examples: [{ command: 'lsmcli -u sim:// volume-unmask --vol VOL_ID_00001 --ag AG_ID_00001', comment: '' }],
  },
  {
    name: 'volume-access-group', family: 'access-group', connection: 'plugin',
    summary: 'List the access groups granted access to a volume',
    output: 'The access groups. JSON: an array of access groups.', options: [vol],
    examples: [{ command: 'lsmcli -u sim:// volume-access-group --vol VOL_ID_00001', comment: '' }],
  },
  {
    name: 'access-group-create', alias: 'ac', family: 'access-group', connection: 'plugin',
    summary: 'Create an access group with its first initiator',
    output: 'The new access group. JSON: an array with the access group.',
    options: [
      { long: 'name', value: '<AG_NAME>', description: 'Name of the new access group', required: true },
      init('First initiator: an iSCSI IQN or a WWPN'),
      { long: 'sys', value: '<SYS_ID>', description: 'System ID', required: true },
    ],
    examples: [{ command: 'lsmcli -u sim:// access-group-create --name hosts1 --init iqn.1994-05.com.example:host1 --sys sim-01', comment: '' }],
  },
  {
    name: 'access-group-add', alias: 'aa', family: 'access-group', connection: 'plugin',
    summary: 'Add an initiator to an access group',
    output: 'The access group after the change. JSON: an array with the access group.',
    options: [ag, init('Initiator to add: an iSCSI IQN or a WWPN')],
    examples: [{ command: 'lsmcli -u sim:// access-group-add --ag AG_ID_00001 --init 10:00:00:00:c9:95:2f:de', comment: 'add a WWPN' }],
  },
  {
    name: 'access-group-remove', alias: 'ar', family: 'access-group', connection: 'plugin',
    summary: 'Remove an initiator from an access group',
    output: 'The access group after the change. JSON: an array with the access group.',
    options: [ag, init('Initiator to remove')],
    examples: [{ command: 'lsmcli -u sim:// access-group-remove --ag AG_ID_00001 --init 10:00:00:00:c9:95:2f:de', comment: '' }],
  },
  {
    name: 'access-group-delete', alias: 'ad', family: 'access-group', connection: 'plugin',
    summary: 'Delete an access group', output: 'Nothing.', options: [ag],
    examples: [{ command: 'lsmcli -u sim:// access-group-delete --ag AG_ID_00001', comment: '' }],
  },
  {
    name: 'access-group-volumes', family: 'access-group', connection: 'plugin',
    summary: 'List the volumes an access group can access',
    output: 'The volumes. JSON: an array of volumes.', options: [ag],
    examples: [{ command: 'lsmcli -u sim:// access-group-volumes --ag AG_ID_00001', comment: '' }],
  },
  {
    name: 'iscsi-chap', family: 'access-group', connection: 'plugin',
    summary: 'Set iSCSI CHAP authentication for an initiator',
    output: 'Nothing. Passwords are never printed or logged.',
    options: [
      { long: 'init', value: '<INIT_ID>', kind: 'iqn', description: 'iSCSI initiator IQN', required: true },
      { long: 'in-user', value: '<IN_USER>', description: 'Inbound user name (requires --in-pass)' },
      { long: 'in-pass', value: '<IN_PASS>', description: 'Inbound password (requires --in-user)' },
      { long: 'out-user', value: '<OUT_USER>', description: 'Outbound user name (requires --out-pass and the inbound pair)' },
      { long: 'out-pass', value: '<OUT_PASS>', description: 'Outbound password (requires --out-user)' },
    ],
    examples: [{ command: 'lsmcli -u sim:// iscsi-chap --init iqn.1994-05.com.example:host1 --in-user u --in-pass secret', comment: 'one-way CHAP' }],
  },
];
