/**
 * How a disk is attached (lsm's `link_type`) and how fast that link runs (`link_speed`, Mbps), read from the
 * shape of the sysfs device tree and the transport classes the kernel hangs on it.
 *
 * Link speeds are line rates as the kernel reports them (SAS "12.0 Gbit", SATA "6.0 Gbps", PCIe "8.0 GT/s" per
 * lane times the lane count), converted to Mbps without subtracting encoding overhead, so the three are
 * comparable with each other.
 */

import { DiskLinkType, LINK_SPEED_UNKNOWN } from '@openlsm/core';
import path from 'node:path';
import { nvmeControllers, type BlockDisk } from './discovery.js';
import { compareDeviceNames } from './input.js';
import { componentsBelow, exists, listDir, nearestAncestor, readAttr, readBinaryAttr, resolvePath } from './sysfs.js';
import { targetPortProtocol } from './vpd.js';

/** lsm's link type numbers are SPC protocol identifiers; these are the ones lsm names. */
const KNOWN_LINK_TYPES = new Set<number>(Object.values(DiskLinkType).filter((v) => v >= 0));

/** NVMe: the controller's `transport` attribute (`pcie`, `fc`, `tcp`, `rdma`, `loop`). */
async function nvmeLinkType(disk: BlockDisk): Promise<number> {
  for (const ctrl of await nvmeControllers(disk)) {
    const transport = await readAttr(path.join(ctrl, 'transport'));
    if (transport === 'pcie') return DiskLinkType.PCIE;
    if (transport === 'fc') return DiskLinkType.FC;
  }
  return DiskLinkType.UNKNOWN;
}

/**
 * SCSI disks, from the ancestors of the SCSI device:
 * - `usbN` (a USB host controller's root hub) -> USB;
 * - `sessionN` (iscsi_session) or an `iscsi_host` on the SCSI host -> iSCSI;
 * - `rport-H:C-N` (fc_remote_ports) or an `fc_host` on the SCSI host -> FC;
 * - `ataN` (a libata port) -> ATA;
 * - `end_device-*` (sas_end_device) or a `sas_host` on the SCSI host -> SAS, unless the device has the ATA
 *   Information VPD page (`vpd_pg89`): then it is a SATA disk behind a SAS HBA's SCSI/ATA translation -> ATA;
 * - otherwise the protocol the device names for its target port in VPD 0x83, if lsm knows it; else UNKNOWN
 *   (virtio-scsi, SPI, ...).
 */
async function scsiLinkType(sysDir: string, deviceDir: string): Promise<number> {
  const parts = componentsBelow(sysDir, deviceDir);
  const has = (re: RegExp): boolean => parts.some((p) => re.test(p));
  if (has(/^usb\d+$/)) return DiskLinkType.USB;
  const hostDir = nearestAncestor(sysDir, deviceDir, /^host\d+$/);
  const hostHas = async (cls: string): Promise<boolean> =>
    hostDir !== null && (await exists(path.join(hostDir, cls)));
  if (has(/^session\d+$/) || (await hostHas('iscsi_host'))) return DiskLinkType.ISCSI;
  if (has(/^rport-\d+:\d+-\d+$/) || (await hostHas('fc_host'))) return DiskLinkType.FC;
  if (has(/^ata\d+$/)) return DiskLinkType.ATA;
  if (has(/^end_device-[\d:]+$/) || (await hostHas('sas_host'))) {
    return (await exists(path.join(deviceDir, 'vpd_pg89'))) ? DiskLinkType.ATA : DiskLinkType.SAS;
  }
  const page = await readBinaryAttr(path.join(deviceDir, 'vpd_pg83'));
  const protocol = page === null ? null : targetPortProtocol(page);
  return protocol !== null && KNOWN_LINK_TYPES.has(protocol) ? protocol : DiskLinkType.UNKNOWN;
}

export async function readLinkType(disk: BlockDisk): Promise<number> {
  if (disk.kind === 'nvme' || disk.kind === 'nvme-subsystem') return nvmeLinkType(disk);
  if (disk.kind === 'scsi' && disk.deviceDir !== null) return scsiLinkType(disk.sysDir, disk.deviceDir);
  return DiskLinkType.UNKNOWN;
}

/** `"12.0 Gbit"`, `"6.0 Gbps"`, `"8.0 GT/s PCIe"`, `"8 GT/s"` -> the number before the unit, or null. */
function leadingRate(text: string | null, unit: RegExp): number | null {
  if (text === null) return null;
  const m = /^(\d+(?:\.\d+)?)\s*(\S+)/.exec(text);
  if (m === null || !unit.test(m[2] ?? '')) return null;
  const value = Number(m[1]);
  return Number.isFinite(value) && value > 0 ? value : null;
}

/**
 * PCIe: the PCI function behind the NVMe controller (`nvme0/device`) has `current_link_speed` (GT/s per lane)
 * and `current_link_width` (lanes). Fabrics controllers have no PCI function: unknown.
 */
async function nvmeLinkSpeed(disk: BlockDisk): Promise<number> {
  for (const ctrl of await nvmeControllers(disk)) {
    if ((await readAttr(path.join(ctrl, 'transport'))) !== 'pcie') continue;
    const pci = await resolvePath(path.join(ctrl, 'device'));
    if (pci === null) continue;
    const [speed, width] = await Promise.all([
      readAttr(path.join(pci, 'current_link_speed')),
      readAttr(path.join(pci, 'current_link_width')),
    ]);
    const gts = leadingRate(speed, /^GT\/s$/);
    const lanes = Number((width ?? '').replace(/^x/, ''));
    if (gts !== null && Number.isSafeInteger(lanes) && lanes > 0) return Math.round(gts * 1000 * lanes);
  }
  return LINK_SPEED_UNKNOWN;
}

/**
 * SATA: the libata link's `sata_spd` (`ataN/linkN/ata_link/linkN/sata_spd`, "6.0 Gbps"; kernel 5.x and later).
 * Behind a port multiplier the links are `linkN.M`, M being the SCSI channel libata gives the disk.
 */
async function ataLinkSpeed(sysDir: string, deviceDir: string): Promise<number> {
  const ataDir = nearestAncestor(sysDir, deviceDir, /^ata\d+$/);
  if (ataDir === null) return LINK_SPEED_UNKNOWN;
  const links = (await listDir(ataDir)).filter((n) => /^link\d+(?:\.\d+)?$/.test(n));
  const channel = path.basename(deviceDir).split(':')[1];
  const pmpLink = links.find((n) => n.includes('.') && n.split('.')[1] === channel);
  const link = pmpLink ?? (links.length === 1 ? links[0] : undefined);
  if (link === undefined) return LINK_SPEED_UNKNOWN;
  const rate = leadingRate(await readAttr(path.join(ataDir, link, 'ata_link', link, 'sata_spd')), /^Gbps$/);
  return rate === null ? LINK_SPEED_UNKNOWN : Math.round(rate * 1000);
}

/**
 * SAS: the nearest `port-*` above the SCSI device is the SAS port the disk hangs off (an HBA port for a
 * direct-attached disk, an expander port otherwise); it links the phys it is made of (`port-0:0:3/phy-0:0:3`),
 * and each phy's `sas_phy/<phy>/negotiated_linkrate` reads "12.0 Gbit". The fastest phy wins.
 */
async function sasLinkSpeed(sysDir: string, deviceDir: string): Promise<number> {
  const portDir = nearestAncestor(sysDir, deviceDir, /^port-[\d:]+$/);
  if (portDir === null) return LINK_SPEED_UNKNOWN;
  const phys = (await listDir(portDir)).filter((n) => /^phy-[\d:]+$/.test(n)).sort(compareDeviceNames);
  const rates = await Promise.all(
    phys.map(async (phy) =>
      leadingRate(await readAttr(path.join(portDir, phy, 'sas_phy', phy, 'negotiated_linkrate')), /^Gbit$/),
    ),
  );
  const best = Math.max(0, ...rates.map((r) => r ?? 0));
  return best > 0 ? Math.round(best * 1000) : LINK_SPEED_UNKNOWN;
}

/** Link speed in Mbps for the link types above that expose one; LINK_SPEED_UNKNOWN (0) otherwise. */
export async function readLinkSpeed(disk: BlockDisk, linkType: number): Promise<number> {
  if (linkType === DiskLinkType.PCIE) return nvmeLinkSpeed(disk);
  if (disk.kind !== 'scsi' || disk.deviceDir === null) return LINK_SPEED_UNKNOWN;
  if (linkType === DiskLinkType.ATA) {
    const ata = await ataLinkSpeed(disk.sysDir, disk.deviceDir);
    return ata !== LINK_SPEED_UNKNOWN ? ata : sasLinkSpeed(disk.sysDir, disk.deviceDir);
  }
  if (linkType === DiskLinkType.SAS) return sasLinkSpeed(disk.sysDir, disk.deviceDir);
  return LINK_SPEED_UNKNOWN;
}
