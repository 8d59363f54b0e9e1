/**
 * Decoders for the SCSI Vital Product Data pages the kernel caches in sysfs as binary files
 * (`/sys/block/<disk>/device/vpd_pg83`, `vpd_pg80`, `vpd_pgb1`): the exact bytes the device returned to
 * INQUIRY with EVPD=1. Layouts are SPC-5 §7.7 (0x80 Unit Serial Number, 0x83 Device Identification) and
 * SBC-4 §6.6.2 (0xB1 Block Device Characteristics). Every decoder is total: a short, truncated or foreign page
 * gives "nothing" (empty string / null), never an exception or an out-of-bounds read.
 */

/** One designation descriptor of page 0x83. */
export interface Designator {
  /** Protocol identifier (SPC-5 table 477): meaningful only when `piv` is true. */
  protocolId: number;
  /** 1 binary, 2 ASCII, 3 UTF-8. */
  codeSet: number;
  /** Protocol Identifier Valid. */
  piv: boolean;
  /** 0 the logical unit, 1 the target port, 2 the target device. */
  association: number;
  /** 1 T10 vendor id, 2 EUI-64, 3 NAA, 4 relative target port, 8 SCSI name string, ... */
  type: number;
  value: Buffer;
}

export const CODE_SET_BINARY = 1;
export const DESIGNATOR_TYPE_NAA = 3;
export const ASSOCIATION_LOGICAL_UNIT = 0;
export const ASSOCIATION_TARGET_PORT = 1;

/** The page body (after the 4-byte header) when `page` is VPD page `code`; null otherwise. */
function pageBody(page: Buffer, code: number): Buffer | null {
  if (page.length < 4 || page[1] !== code) return null;
  const declared = page.readUInt16BE(2);
  return page.subarray(4, Math.min(page.length, 4 + declared));
}

/** All designation descriptors of a page 0x83, in page order; a truncated last descriptor is dropped. */
export function parseDesignators(page: Buffer): Designator[] {
  const body = pageBody(page, 0x83);
  if (body === null) return [];
  const out: Designator[] = [];
  let at = 0;
  while (at + 4 <= body.length) {
    const b0 = body[at] ?? 0;
    const b1 = body[at + 1] ?? 0;
    const length = body[at + 3] ?? 0;
    if (at + 4 + length > body.length) break;
    out.push({
      protocolId: b0 >> 4,
      codeSet: b0 & 0x0f,
      piv: (b1 & 0x80) !== 0,
      association: (b1 >> 4) & 0x03,
      type: b1 & 0x0f,
      value: body.subarray(at + 4, at + 4 + length),
    });
    at += 4 + length;
  }
  return out;
}

/** Bytes of an NAA identifier by its NAA field (first nibble): 2, 3, 5 are 8 bytes, 6 is 16 (SPC-5 7.7.6.6). */
function naaLength(naa: number): number {
  if (naa === 2 || naa === 3 || naa === 5) return 8;
  if (naa === 6) return 16;
  return 0;
}

/**
 * The logical unit's NAA identifier as lsm stores `vpd83` (lower-case hex: 16 digits for NAA 2/3/5, 32 for
 * NAA 6), or `''`. Like lsm, only a binary NAA designator associated with the logical unit counts: the target
 * port and target device also carry NAA ids on SAS, and those are not the disk's identity.
 */
export function naaFromVpd83(page: Buffer): string {
  for (const d of parseDesignators(page)) {
    if (d.type !== DESIGNATOR_TYPE_NAA || d.codeSet !== CODE_SET_BINARY) continue;
    if (d.association !== ASSOCIATION_LOGICAL_UNIT) continue;
    const first = d.value[0];
    if (first === undefined) continue;
    const length = naaLength(first >> 4);
    if (length === 0 || d.value.length < length) continue;
    return d.value.subarray(0, length).toString('hex');
  }
  return '';
}

/**
 * The protocol identifier the device reports for the port it is reached through (a target-port designator
 * with PIV set), or null. lsm's `Disk.LINK_TYPE_*` numbers are these identifiers (0 FC, 5 iSCSI, 6 SAS, ...).
 */
export function targetPortProtocol(page: Buffer): number | null {
  for (const d of parseDesignators(page)) {
    if (d.piv && d.association === ASSOCIATION_TARGET_PORT) return d.protocolId;
  }
  return null;
}

/** The unit serial number of page 0x80 (printable ASCII, padding removed), or `''`. */
export function serialFromVpd80(page: Buffer): string {
  const body = pageBody(page, 0x80);
  if (body === null) return '';
  let text = '';
  for (const byte of body) {
    if (byte >= 0x20 && byte <= 0x7e) text += String.fromCharCode(byte);
  }
  return text.trim();
}

/**
 * The MEDIUM ROTATION RATE field of page 0xB1 (bytes 4-5): 0 not reported, 1 non-rotating, 0x401-0xFFFE the
 * nominal rpm, other values reserved; null when the page is absent or too short.
 */
export function rotationRateFromVpdB1(page: Buffer): number | null {
  const body = pageBody(page, 0xb1);
  if (body === null || body.length < 2) return null;
  return body.readUInt16BE(0);
}
