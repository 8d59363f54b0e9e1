/**
 * Test fixture: a fake of the kernel's sysfs (and /dev) in a temp directory, because real SAS/SATA/NVMe disks
 * and SES enclosures cannot be attached to the machines the tests run on. It reproduces the kernel's layout,
 * not a simplification of it: devices live in `sys/devices/...` nested by topology, `/sys/block/<disk>`,
 * `/sys/class/...` and `device`/`subsystem` are relative symlinks written the way kernfs writes them (up to
 * the common ancestor, then down), attributes end in a newline, and VPD pages are the binary INQUIRY data.
 */

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export class FakeSysfs {
  readonly root: string;
  readonly sysRoot: string;
  readonly devRoot: string;

  /** `parent`: where the temp directory is made (default the OS temp dir). */
  constructor(parent = tmpdir()) {
    this.root = mkdtempSync(path.join(parent, 'openlsm-localdisk-'));
    this.sysRoot = path.join(this.root, 'sys');
    this.devRoot = path.join(this.root, 'dev');
    mkdirSync(this.sysRoot);
    mkdirSync(this.devRoot);
    for (const d of ['block', 'bus/scsi', 'bus/virtio', 'bus/pci', 'class/block', 'class/nvme', 'class/enclosure']) {
      this.dir(d);
    }
  }

  /** Absolute path of `rel` inside the fake sysfs. */
  sys(rel: string): string {
    return path.join(this.sysRoot, rel);
  }

  dir(rel: string): void {
    mkdirSync(this.sys(rel), { recursive: true });
  }

  /** A raw (binary) attribute. */
  bytes(rel: string, content: Buffer): void {
    mkdirSync(path.dirname(this.sys(rel)), { recursive: true });
    writeFileSync(this.sys(rel), content);
  }

  /** A text attribute, newline-terminated as sysfs prints it. */
  attr(rel: string, value: string): void {
    this.bytes(rel, Buffer.from(`${value}\n`, 'latin1'));
  }

  /**
   * A symlink at `rel` to `targetRel`, spelled as kernfs spells it: `..` up to the common ancestor of the link's
   * directory and the target's parent, then down (so `block/sda/device -> ../../../0:0:0:0`).
   */
  link(rel: string, targetRel: string): void {
    const linkDir = path.dirname(this.sys(rel));
    mkdirSync(linkDir, { recursive: true });
    const target = this.sys(targetRel);
    const up = path.relative(linkDir, path.dirname(target));
    symlinkSync(path.join(up, path.basename(target)), this.sys(rel));
  }

  /** A device node stand-in (tests cannot mknod; the library only checks that the name exists). */
  devNode(name: string): void {
    writeFileSync(path.join(this.devRoot, name), '');
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** One designation descriptor of VPD page 0x83 (SPC-5 table 485). */
export interface DesignatorSpec {
  protocolId?: number;
  codeSet: number;
  piv?: boolean;
  association: number;
  type: number;
  value: Buffer;
}

export function designator(d: DesignatorSpec): Buffer {
  const head = Buffer.from([
    ((d.protocolId ?? 0) << 4) | d.codeSet,
    (d.piv === true ? 0x80 : 0) | (d.association << 4) | d.type,
    0,
    d.value.length,
  ]);
  return Buffer.concat([head, d.value]);
}

/** A VPD page: peripheral device type 0 (disk), page code, 16-bit length, body. */
export function vpdPage(code: number, body: Buffer, deviceType = 0): Buffer {
  const head = Buffer.from([deviceType, code, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([head, body]);
}

export function vpd83(...designators: Buffer[]): Buffer {
  return vpdPage(0x83, Buffer.concat(designators));
}

/** Page 0x80 with the serial right-justified in `width` bytes, as many drives pad it. */
export function vpd80(serial: string, width = serial.length): Buffer {
  return vpdPage(0x80, Buffer.from(serial.padStart(width, ' '), 'latin1'));
}

/** Page 0xB1 (length 0x3C): MEDIUM ROTATION RATE in bytes 4-5, nominal form factor 2 (3.5"). */
export function vpdB1(rate: number): Buffer {
  const body = Buffer.alloc(0x3c);
  body.writeUInt16BE(rate, 0);
  body[3] = 0x02;
  return vpdPage(0xb1, body);
}

/** Page 0x89 (ATA Information), the 0x238-byte page a SCSI/ATA translation layer returns; content unused. */
export function vpd89(): Buffer {
  const body = Buffer.alloc(0x238);
  body.write('linux   ', 4, 'latin1');
  return vpdPage(0x89, body);
}

/** A NAA designator of the logical unit, binary code set (what lsm calls vpd83). */
export function naaLu(hex: string): Buffer {
  return designator({ codeSet: 1, association: 0, type: 3, value: Buffer.from(hex, 'hex') });
}

/** An ASCII T10 vendor id designator of the logical unit. */
export function t10VendorId(text: string): Buffer {
  return designator({ codeSet: 2, association: 0, type: 1, value: Buffer.from(text, 'latin1') });
}
