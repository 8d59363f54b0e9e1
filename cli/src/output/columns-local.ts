/**
 * Views of this machine's disks and LED slots (local-disk-list, local-led-slot-list).
 */
import type { LedSlot, LocalDiskInfo } from '@openlsm/localdisk';
import type { ObjectView } from './columns.js';
import { bitmapText, diskRpmText, enumText, healthStatusNames, ledStatusNames, linkSpeedText, linkTypeNames } from './display.js';

export const localDiskView: ObjectView<LocalDiskInfo> = {
  columns: [
    { header: 'Path', value: (d) => d.path },
    { header: 'SCSI VPD 0x83', value: (d) => d.vpd83 },
    { header: 'Revolutions Per Minute', scriptOnly: true, value: (d, f) => (f.enumNumbers ? String(d.rpm) : diskRpmText(d.rpm)) },
    { header: 'Link Type', value: (d, f) => (f.enumNumbers ? String(d.link_type) : enumText(d.link_type, linkTypeNames)) },
    { header: 'Serial Number', value: (d) => d.serial },
    { header: 'LED Status', scriptOnly: true, value: (d, f) => (f.enumNumbers ? String(d.led_status) : bitmapText(d.led_status, ledStatusNames)) },
    { header: 'Link Speed', scriptOnly: true, value: (d, f) => (f.enumNumbers ? String(d.link_speed_mbps) : linkSpeedText(d.link_speed_mbps)) },
    { header: 'Health Status', value: (d, f) => (f.enumNumbers ? String(d.health) : enumText(d.health, healthStatusNames)) },
  ],
  json: (d) => d,
};

export const ledSlotView: ObjectView<LedSlot> = {
  columns: [
    { header: 'Slot ID', value: (s) => s.id },
    { header: 'LED state', value: (s, f) => (f.enumNumbers ? String(s.state) : bitmapText(s.state, ledStatusNames)) },
    { header: 'Device Node', value: (s) => s.device },
  ],
  json: (s) => s,
};
