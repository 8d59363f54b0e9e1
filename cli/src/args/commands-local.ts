/**
 * Command table, part 4: the disks and LEDs of this machine, read from sysfs; no URI, no plugin.
 */
import type { CommandSpec, OptionSpec } from './spec.js';

const path: OptionSpec = { long: 'path', value: '<DISK_PATH>', description: 'Disk device, e.g. /dev/sda', required: true, completeFiles: true };
const led = (name: string, alias: string, which: 'ident' | 'fault', on: boolean): CommandSpec => ({
  name, alias, family: 'local', connection: 'local',
  summary: `Turn ${on ? 'on' : 'off'} the ${which === 'ident' ? 'identification' : 'fault'} LED of a local disk`,
  output: 'Nothing. NO_SUPPORT (exit 4) when the disk has no controllable LED (no enclosure).',
  options: [path],
  examples: [{ command: `lsmcli ${name} --path /dev/sda`, comment: '' }],
});

export const localCommands: readonly CommandSpec[] = [
  {
    name: 'local-disk-list', alias: 'ldl', family: 'local', connection: 'local',
    summary: 'List the disks of this machine with their properties (from sysfs)',
    output: 'Path, SCSI VPD 0x83, Link Type, Serial Number, Health Status (-s adds Revolutions Per Minute, LED Status, Link Speed). JSON: an array of `{path, vpd83, serial, rpm, link_type, led_status, link_speed_mbps, health}` (enumerations as lsm\'s numbers).',
    options: [],
    examples: [{ command: 'lsmcli local-disk-list', comment: 'no URI needed' }],
  },
  led('local-disk-ident-led-on', 'ldilon', 'ident', true),
  led('local-disk-ident-led-off', 'ldiloff', 'ident', false),
  led('local-disk-fault-led-on', 'ldflon', 'fault', true),
  led('local-disk-fault-led-off', 'ldfloff', 'fault', false),
  {
    name: 'local-led-slot-list', family: 'local', connection: 'local',
    summary: 'List the LED slots of this machine\'s enclosures',
    output: 'Slot ID, LED state, Device Node. JSON: an array of slots.',
    options: [],
    examples: [{ command: 'lsmcli local-led-slot-list', comment: '' }],
  },
  {
    name: 'local-led-slot-set', family: 'local', connection: 'local',
    summary: 'Set the LED state of an enclosure slot',
    output: 'Nothing.',
    options: [
      { long: 'slot', value: '<SLOT_ID>', description: 'Slot ID (see local-led-slot-list)', required: true },
      { long: 'state', value: '<STATE>', description: 'IDENT_ON, IDENT_OFF, FAULT_ON, FAULT_OFF, or two joined by ":" (IDENT_ON:FAULT_OFF)', required: true },
    ],
    examples: [{ command: 'lsmcli local-led-slot-set --slot 1 --state IDENT_ON', comment: '' }],
  },
];
