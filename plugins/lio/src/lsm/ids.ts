/**
 * Ids, all derived from what the tree holds, so every process and every restart sees the same ones: the
 * system is `lio`; a volume's id is its storage object's T10 unit serial (saved in saveconfig.json and restored
 * with it); an access group's id is its ACL tag, or for a lone untagged ACL the initiator name.
 */
export const SYSTEM_ID = 'lio';

/**
 * The NAA 6 (IEEE Registered Extended) identifier LIO reports in VPD page 0x83: `6`, the OUI 001405, then the
 * hex digits of the unit serial (others skipped) filling 25 nibbles (the kernel's
 * spc_gen_naa_6h_vendor_specific()); what an initiator sees in /dev/disk/by-id/wwn-0x6001405...
 */
export function vpd83FromSerial(serial: string): string {
  const nibbles = serial.toLowerCase().replace(/[^0-9a-f]/g, '').slice(0, 25);
  return `6001405${nibbles}`.padEnd(32, '0');
}
