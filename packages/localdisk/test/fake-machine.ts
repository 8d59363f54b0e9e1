/**
 * Test fixture: one fake machine in a FakeSysfs (see fake-sysfs.ts), a fake of the kernel's sysfs layout
 * because the real hardware cannot be attached here. It carries one disk of every transport lsm distinguishes,
 * the block devices that are not disks, and a SAS expander with an SES enclosure:
 *
 * - sda: SAS HDD behind an expander (mpt3sas layout), 7200 rpm, 12 Gbit phy, enclosure `Slot 00`
 * - sdb: SATA SSD behind the same expander (SATL: has VPD 0x89), 6 Gbit phy, enclosure `Slot 01`, fault LED on
 * - sdc: SATA HDD on an AHCI port (libata), 5400 rpm, `sata_spd` 3.0 Gbps, libata's page 0x83
 * - sdd, sde: one iSCSI LUN (LIO) over two sessions (multipath, same NAA-6); sde's device is `offline`
 * - sdf: USB flash disk (no NAA id)
 * - sdg: FC LUN behind an rport
 * - sdh: virtio-scsi pass-through of a SAS disk (transport only from its VPD 0x83 target port)
 * - nvme0n1: PCIe NVMe, gen3 x4
 * - nvme1n1: NVMe native-multipath head over controllers nvme1 (live, temperature alarm) and nvme2 (dead);
 *   its per-path device nvme1c1n1 is hidden
 * - vda: virtio-blk with a serial
 * - not disks: loop0, zram0, dm-0, md127, nbd0, sr0, and sdj (no /dev node)
 */

import { FakeSysfs, designator, naaLu, t10VendorId, vpd80, vpd83, vpd89, vpdB1 } from './fake-sysfs.js';

const SAS_HOST = 'devices/pci0000:00/0000:00:01.0/0000:01:00.0/host0';
const EXPANDER = `${SAS_HOST}/port-0:0/expander-0:0`;
const AHCI = 'devices/pci0000:00/0000:00:17.0';
const NVME0_PCI = 'devices/pci0000:00/0000:00:1d.0/0000:3d:00.0';
const NVME1_PCI = 'devices/pci0000:00/0000:00:1c.0/0000:3e:00.0';
const NVME2_PCI = 'devices/pci0000:00/0000:00:1c.4/0000:3f:00.0';
const SUBSYS1 = 'devices/virtual/nvme-subsystem/nvme-subsys1';

export const SCSI_DIRS = {
  sda: `${EXPANDER}/port-0:0:0/end_device-0:0:0/target0:0:0/0:0:0:0`,
  sdb: `${EXPANDER}/port-0:0:1/end_device-0:0:1/target0:0:1/0:0:1:0`,
  ses: `${EXPANDER}/port-0:0:4/end_device-0:0:4/target0:0:4/0:0:4:0`,
  sdc: `${AHCI}/ata3/host2/target2:0:0/2:0:0:0`,
  sr0: `${AHCI}/ata4/host3/target3:0:0/3:0:0:0`,
  sdd: 'devices/platform/host4/session1/target4:0:0/4:0:0:0',
  sde: 'devices/platform/host5/session2/target5:0:0/5:0:0:0',
  sdf: 'devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0',
  sdg: 'devices/pci0000:00/0000:00:03.0/0000:05:00.0/host7/rport-7:0-2/target7:0:0/7:0:0:0',
  sdh: 'devices/pci0000:00/0000:00:04.0/virtio2/host8/target8:0:0/8:0:0:0',
  sdj: 'devices/pci0000:00/0000:00:04.0/virtio2/host8/target8:0:1/8:0:1:0',
} as const;

export const ENCLOSURE_DIR = `${SCSI_DIRS.ses}/enclosure/0:0:4:0`;
export const LIO_NAA = '6001405e2c5f0e0b6a4ab4b1d3a2c1f0';

interface ScsiDiskSpec {
  name: string;
  dir: string;
  rotational: '0' | '1';
  pages?: Partial<Record<'vpd_pg80' | 'vpd_pg83' | 'vpd_pg89' | 'vpd_pgb1', Buffer>>;
  state?: string;
  wwid?: string;
  devNode?: boolean;
  major?: number;
}

let minor = 0;

/** A SCSI device and its `sd` block device, linked as the kernel links them. */
function scsiDisk(fs: FakeSysfs, spec: ScsiDiskSpec): void {
  const { dir, name } = spec;
  const hctl = dir.split('/').at(-1) ?? '';
  fs.attr(`${dir}/state`, spec.state ?? 'running');
  fs.attr(`${dir}/type`, '0');
  fs.attr(`${dir}/vendor`, 'ATA     ');
  fs.attr(`${dir}/scsi_level`, '8');
  fs.link(`${dir}/subsystem`, 'bus/scsi');
  fs.dir(`${dir}/scsi_device/${hctl}`);
  fs.dir(`${dir}/scsi_disk/${hctl}`);
  for (const [page, data] of Object.entries(spec.pages ?? {})) fs.bytes(`${dir}/${page}`, data);
  if (spec.wwid !== undefined) fs.attr(`${dir}/wwid`, spec.wwid);
  blockDevice(fs, name, `${dir}/block/${name}`, dir, spec.rotational, spec.major ?? 8);
  if (spec.devNode !== false) fs.devNode(name);
}

/** A gendisk directory, its `device` link, `/sys/block/<name>` and `/sys/class/block/<name>`. */
function blockDevice(fs: FakeSysfs, name: string, dir: string, parent: string | null, rotational: string, major = 8): void {
  fs.attr(`${dir}/dev`, `${major}:${minor}`);
  minor += 16;
  fs.attr(`${dir}/size`, '1953525168');
  fs.attr(`${dir}/removable`, '0');
  fs.attr(`${dir}/ro`, '0');
  fs.attr(`${dir}/hidden`, '0');
  fs.attr(`${dir}/queue/rotational`, rotational);
  fs.attr(`${dir}/queue/logical_block_size`, '512');
  fs.link(`${dir}/subsystem`, 'class/block');
  if (parent !== null) fs.link(`${dir}/device`, parent);
  fs.link(`block/${name}`, dir);
  fs.link(`class/block/${name}`, dir);
}

function sasPhy(fs: FakeSysfs, phyDir: string, rate: string): void {
  const phy = phyDir.split('/').at(-1) ?? '';
  fs.attr(`${phyDir}/sas_phy/${phy}/negotiated_linkrate`, rate);
  fs.attr(`${phyDir}/sas_phy/${phy}/maximum_linkrate`, '12.0 Gbit');
}

/** The SAS HBA, its wide port to an expander, and three expander ports (two disks and the SES device). */
function sasFabric(fs: FakeSysfs): void {
  fs.dir(`${SAS_HOST}/scsi_host/host0`);
  fs.dir(`${SAS_HOST}/sas_host/host0`);
  for (let i = 0; i < 4; i += 1) {
    sasPhy(fs, `${SAS_HOST}/phy-0:${i}`, '12.0 Gbit');
    fs.link(`${SAS_HOST}/port-0:0/phy-0:${i}`, `${SAS_HOST}/phy-0:${i}`);
  }
  fs.dir(`${EXPANDER}/sas_expander/expander-0:0`);
  const rates: Record<number, string> = { 0: '12.0 Gbit', 1: '6.0 Gbit', 4: '12.0 Gbit' };
  for (const [n, rate] of Object.entries(rates)) {
    sasPhy(fs, `${EXPANDER}/phy-0:0:${n}`, rate);
    fs.link(`${EXPANDER}/port-0:0:${n}/phy-0:0:${n}`, `${EXPANDER}/phy-0:0:${n}`);
    fs.dir(`${EXPANDER}/port-0:0:${n}/end_device-0:0:${n}/sas_end_device/end_device-0:0:${n}`);
  }
}

/** The SES device 0:0:4:0 and its enclosure with three slots; Slot 00 holds sda, Slot 01 holds sdb. */
function enclosure(fs: FakeSysfs): void {
  const ses = SCSI_DIRS.ses;
  fs.attr(`${ses}/type`, '13');
  fs.attr(`${ses}/state`, 'running');
  fs.link(`${ses}/subsystem`, 'bus/scsi');
  fs.attr(`${ENCLOSURE_DIR}/components`, '3');
  fs.attr(`${ENCLOSURE_DIR}/id`, '0x500304801c2a3b3f');
  fs.link(`${ENCLOSURE_DIR}/device`, ses);
  fs.link(`${ENCLOSURE_DIR}/subsystem`, 'class/enclosure');
  fs.attr(`${ENCLOSURE_DIR}/power/control`, 'auto');
  fs.link('class/enclosure/0:0:4:0', ENCLOSURE_DIR);
  const slots: Array<[string, string | null, string]> = [
    ['Slot 00', SCSI_DIRS.sda, '0'],
    ['Slot 01', SCSI_DIRS.sdb, '1'],
    ['Slot 02,REAR', null, '0'],
  ];
  slots.forEach(([slot, disk, fault], index) => {
    const dir = `${ENCLOSURE_DIR}/${slot}`;
    for (const [attr, value] of Object.entries({
      type: 'array device', slot: String(index), status: disk === null ? 'not installed' : 'OK',
      active: '0', locate: '0', fault, power_status: 'on',
    })) {
      fs.attr(`${dir}/${attr}`, value);
    }
    if (disk !== null) {
      fs.link(`${dir}/device`, disk);
      fs.link(`${disk}/enclosure_device:${slot}`, dir);
    }
  });
}

interface ControllerSpec {
  speed: string;
  width: string;
  state: string;
  alarm: string;
}

function nvmeController(fs: FakeSysfs, pci: string, ctrl: string, opts: ControllerSpec): string {
  fs.attr(`${pci}/current_link_speed`, opts.speed);
  fs.attr(`${pci}/current_link_width`, opts.width);
  fs.attr(`${pci}/max_link_speed`, opts.speed);
  const dir = `${pci}/nvme/${ctrl}`;
  fs.attr(`${dir}/transport`, 'pcie');
  fs.attr(`${dir}/state`, opts.state);
  fs.attr(`${dir}/model`, 'Samsung SSD 970 EVO Plus 1TB            ');
  fs.attr(`${dir}/serial`, `S4EWNX0N${ctrl.toUpperCase()}      `);
  fs.attr(`${dir}/firmware_rev`, '2B2QEXM7');
  fs.attr(`${dir}/address`, pci.split('/').at(-1) ?? '');
  fs.link(`${dir}/device`, pci);
  fs.link(`${dir}/subsystem`, 'class/nvme');
  fs.attr(`${dir}/hwmon${ctrl.slice(4)}/name`, 'nvme');
  fs.attr(`${dir}/hwmon${ctrl.slice(4)}/temp1_alarm`, opts.alarm);
  fs.link(`class/nvme/${ctrl}`, dir);
  return dir;
}

function nvmeDisks(fs: FakeSysfs): void {
  const nvme0 = nvmeController(fs, NVME0_PCI, 'nvme0', { speed: '8.0 GT/s PCIe', width: '4', state: 'live', alarm: '0' });
  blockDevice(fs, 'nvme0n1', `${nvme0}/nvme0n1`, nvme0, '0', 259);
  fs.attr(`${nvme0}/nvme0n1/wwid`, 'eui.0025388b71b2c4d5');
  fs.devNode('nvme0n1');
  fs.devNode('nvme0');

  const nvme1 = nvmeController(fs, NVME1_PCI, 'nvme1', { speed: '16.0 GT/s PCIe', width: '4', state: 'live', alarm: '1' });
  const nvme2 = nvmeController(fs, NVME2_PCI, 'nvme2', { speed: '16.0 GT/s PCIe', width: '4', state: 'dead', alarm: '0' });
  fs.attr(`${SUBSYS1}/serial`, 'PHLJ912345671P0FGN  ');
  fs.attr(`${SUBSYS1}/model`, 'INTEL SSDPE2KX010T8');
  fs.attr(`${SUBSYS1}/subsysnqn`, 'nqn.2014.08.org.nvmexpress:80868086PHLJ912345671P0FGN');
  fs.link(`${SUBSYS1}/subsystem`, 'class/nvme-subsystem');
  fs.link(`${SUBSYS1}/nvme1`, nvme1);
  fs.link(`${SUBSYS1}/nvme2`, nvme2);
  blockDevice(fs, 'nvme1n1', `${SUBSYS1}/nvme1n1`, SUBSYS1, '0', 259);
  fs.devNode('nvme1n1');
  blockDevice(fs, 'nvme1c1n1', `${nvme1}/nvme1c1n1`, nvme1, '0', 259);
  fs.attr(`${nvme1}/nvme1c1n1/hidden`, '1');
}

/** Block devices that are not local disks. */
function notDisks(fs: FakeSysfs): void {
  for (const name of ['loop0', 'zram0', 'dm-0', 'md127', 'nbd0']) {
    blockDevice(fs, name, `devices/virtual/block/${name}`, null, '0', 7);
    fs.devNode(name);
  }
  scsiDisk(fs, { name: 'sr0', dir: SCSI_DIRS.sr0, rotational: '1', major: 11 });
  fs.attr(`${SCSI_DIRS.sr0}/type`, '5');
  scsiDisk(fs, { name: 'sdj', dir: SCSI_DIRS.sdj, rotational: '1', devNode: false });
}

/** Builds the machine described above; the caller disposes of it. */
export function buildFakeMachine(parent?: string): FakeSysfs {
  const fs = new FakeSysfs(parent);
  sasFabric(fs);
  const sasNaa = (association: number, hex: string): Buffer =>
    designator({ protocolId: 6, codeSet: 1, piv: true, association, type: 3, value: Buffer.from(hex, 'hex') });
  const sasTargetPort = (hex: string): Buffer => sasNaa(1, hex);
  const sasTargetDevice = (hex: string): Buffer => sasNaa(2, hex);
  scsiDisk(fs, {
    name: 'sda', dir: SCSI_DIRS.sda, rotational: '1', wwid: 'naa.5000c500a1b2c3d4',
    pages: {
      vpd_pg83: vpd83(
        naaLu('5000C500A1B2C3D4'),
        sasTargetPort('5000c500a1b2c3d5'),
        designator({ protocolId: 6, codeSet: 1, piv: true, association: 1, type: 4, value: Buffer.from([0, 0, 0, 1]) }),
        sasTargetDevice('5000c500a1b2c3d7'),
      ),
      vpd_pg80: vpd80('ZC12ABCD', 20),
      vpd_pgb1: vpdB1(7200),
    },
  });
  scsiDisk(fs, {
    name: 'sdb', dir: SCSI_DIRS.sdb, rotational: '0',
    pages: {
      vpd_pg83: vpd83(naaLu('55cd2e404c1a2b3c'), sasTargetPort('5003048001c2a3b1')),
      vpd_pg80: vpd80('BTYF81234567480BGN'),
      vpd_pg89: vpd89(),
      vpd_pgb1: vpdB1(1),
    },
  });
  fs.dir(`${AHCI}/ata3/ata_port/ata3`);
  fs.attr(`${AHCI}/ata3/link3/ata_link/link3/sata_spd`, '3.0 Gbps');
  fs.attr(`${AHCI}/ata3/link3/ata_link/link3/hw_sata_spd_limit`, '6.0 Gbps');
  fs.dir(`${AHCI}/ata3/link3/dev3.0/ata_device/dev3.0`);
  fs.dir(`${AHCI}/ata3/host2/scsi_host/host2`);
  const ataSerial = 'WD-WCC4N1234567';
  scsiDisk(fs, {
    name: 'sdc', dir: SCSI_DIRS.sdc, rotational: '1',
    pages: {
      // libata's page 0x83: the serial (vendor specific, ASCII), SAT's "ATA model serial" T10 id, then the WWN.
      vpd_pg83: vpd83(
        designator({ codeSet: 2, association: 0, type: 0, value: Buffer.from(ataSerial.padStart(20), 'latin1') }),
        t10VendorId(`ATA     ${'WDC WD40EFRX-68N32N0'.padEnd(40)}${ataSerial.padStart(20)}`),
        naaLu('50014ee2b5c6d7e8'),
      ),
      vpd_pg80: vpd80(ataSerial, 20),
      vpd_pg89: vpd89(),
      vpd_pgb1: vpdB1(5400),
    },
  });
  const lio = (session: number): Buffer =>
    vpd83(
      naaLu(LIO_NAA),
      t10VendorId('LIO-ORG e2c5f0e0-b6a4-4ab4-b1d3-a2c1f0e2c5f0'),
      designator({ protocolId: 5, codeSet: 1, piv: true, association: 1, type: 4, value: Buffer.from([0, 0, 0, session]) }),
      designator({
        protocolId: 5, codeSet: 3, piv: true, association: 1, type: 8,
        value: Buffer.from('iqn.2003-01.org.linux-iscsi.t1:sn.1,t,0x0001\0\0\0\0'),
      }),
    );
  fs.dir('devices/platform/host4/iscsi_host/host4');
  fs.dir('devices/platform/host5/iscsi_host/host5');
  const lioSerial = vpd80('e2c5f0e0-b6a4-4ab4-b1d3-a2c1f0e2c5f0');
  scsiDisk(fs, { name: 'sdd', dir: SCSI_DIRS.sdd, rotational: '1', pages: { vpd_pg83: lio(1), vpd_pg80: lioSerial } });
  scsiDisk(fs, {
    name: 'sde', dir: SCSI_DIRS.sde, rotational: '1', state: 'offline',
    pages: { vpd_pg83: lio(2), vpd_pg80: lioSerial },
  });
  scsiDisk(fs, {
    name: 'sdf', dir: SCSI_DIRS.sdf, rotational: '1',
    pages: { vpd_pg83: vpd83(t10VendorId('Generic Flash Disk      8.07')), vpd_pg80: vpd80('6E2B1C9A') },
  });
  fs.dir('devices/pci0000:00/0000:00:03.0/0000:05:00.0/host7/fc_host/host7');
  fs.dir('devices/pci0000:00/0000:00:03.0/0000:05:00.0/host7/rport-7:0-2/fc_remote_ports/rport-7:0-2');
  scsiDisk(fs, {
    name: 'sdg', dir: SCSI_DIRS.sdg, rotational: '1', wwid: 'naa.600a098038304437522b4a6f6e6a4f61',
    pages: {
      vpd_pg83: vpd83(
        naaLu('600a098038304437522b4a6f6e6a4f61'),
        designator({
          protocolId: 0, codeSet: 1, piv: true, association: 1, type: 3, value: Buffer.from('500a0981891b8dc5', 'hex'),
        }),
      ),
    },
  });
  scsiDisk(fs, {
    name: 'sdh', dir: SCSI_DIRS.sdh, rotational: '1',
    pages: { vpd_pg83: vpd83(naaLu('5000cca012345678'), sasTargetPort('5000cca012345679')) },
  });
  enclosure(fs);
  nvmeDisks(fs);
  const vda = 'devices/pci0000:00/0000:00:02.0/virtio1';
  fs.attr(`${vda}/vendor`, '0x1af4');
  fs.attr(`${vda}/status`, '0x0000000f');
  fs.link(`${vda}/subsystem`, 'bus/virtio');
  blockDevice(fs, 'vda', `${vda}/block/vda`, vda, '1', 254);
  fs.attr(`${vda}/block/vda/serial`, 'overlayblk');
  fs.devNode('vda');
  notDisks(fs);
  return fs;
}
