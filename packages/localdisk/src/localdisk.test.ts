/**
 * The local-disk API against a fake of the kernel's sysfs layout (fake-machine.ts, fake-sysfs.ts), built in a
 * temp directory because the real hardware (SAS/SATA/NVMe disks, FC and iSCSI LUNs, an SES enclosure) cannot
 * be attached here. The fake follows the kernel's real tree: nested device directories, kernfs-style relative
 * symlinks, binary VPD pages. real-sys.test.ts runs the same API on this machine's own /sys.
 */

import { DiskLinkType, DiskRpm, ErrorNumber, HealthStatus, LedStatus, LsmError } from '@openlsm/core';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ENCLOSURE_DIR, LIO_NAA, buildFakeMachine } from '../test/fake-machine.js';
import type { FakeSysfs } from '../test/fake-sysfs.js';
import {
  listLedSlots,
  listLocalDisks,
  localDisksByVpd83,
  setLedSlot,
  setLocalDiskLed,
  vpd83Search,
  type LocalDiskInfo,
} from './index.js';

function rejectsWith(code: number, pattern?: RegExp): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof LsmError, `expected an LsmError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern !== undefined) assert.match(err.message, pattern);
    return true;
  };
}

describe('local disks on a fake sysfs', () => {
  let fake: FakeSysfs;
  let opts: { sysRoot: string; devRoot: string };
  const dev = (name: string): string => path.join(fake.devRoot, name);
  const slotFile = (slot: string, attr: string): string => fake.sys(`${ENCLOSURE_DIR}/${slot}/${attr}`);
  const readSlot = (slot: string, attr: string): string => readFileSync(slotFile(slot, attr), 'latin1').trim();

  before(() => {
    fake = buildFakeMachine();
    opts = { sysRoot: fake.sysRoot, devRoot: fake.devRoot };
  });
  after(() => fake.dispose());

  test('lists the disks in kernel order and skips what is not a disk', async () => {
    const disks = await listLocalDisks(opts);
    assert.deepEqual(
      disks.map((d) => path.basename(d.path)),
      ['nvme0n1', 'nvme1n1', 'sda', 'sdb', 'sdc', 'sdd', 'sde', 'sdf', 'sdg', 'sdh', 'vda'],
    );
  });

  test('reports every fact of every disk', async () => {
    const byName = new Map((await listLocalDisks(opts)).map((d) => [path.basename(d.path), d]));
    const expected: Record<string, Omit<LocalDiskInfo, 'path'>> = {
      sda: {
        vpd83: '5000c500a1b2c3d4', serial: 'ZC12ABCD', rpm: 7200, link_type: DiskLinkType.SAS,
        led_status: LedStatus.IDENT_OFF | LedStatus.FAULT_OFF, link_speed_mbps: 12000, health: HealthStatus.UNKNOWN,
      },
      sdb: {
        vpd83: '55cd2e404c1a2b3c', serial: 'BTYF81234567480BGN', rpm: DiskRpm.NON_ROTATING_MEDIUM,
        link_type: DiskLinkType.ATA, led_status: LedStatus.IDENT_OFF | LedStatus.FAULT_ON, link_speed_mbps: 6000,
        health: HealthStatus.UNKNOWN,
      },
      sdc: {
        vpd83: '50014ee2b5c6d7e8', serial: 'WD-WCC4N1234567', rpm: 5400, link_type: DiskLinkType.ATA,
        led_status: LedStatus.UNKNOWN, link_speed_mbps: 3000, health: HealthStatus.UNKNOWN,
      },
      sdd: {
        vpd83: LIO_NAA, serial: 'e2c5f0e0-b6a4-4ab4-b1d3-a2c1f0e2c5f0', rpm: DiskRpm.UNKNOWN,
        link_type: DiskLinkType.ISCSI, led_status: LedStatus.UNKNOWN, link_speed_mbps: 0, health: HealthStatus.UNKNOWN,
      },
      sde: {
        vpd83: LIO_NAA, serial: 'e2c5f0e0-b6a4-4ab4-b1d3-a2c1f0e2c5f0', rpm: DiskRpm.UNKNOWN,
        link_type: DiskLinkType.ISCSI, led_status: LedStatus.UNKNOWN, link_speed_mbps: 0, health: HealthStatus.FAIL,
      },
      sdf: {
        vpd83: '', serial: '6E2B1C9A', rpm: DiskRpm.UNKNOWN, link_type: DiskLinkType.USB,
        led_status: LedStatus.UNKNOWN, link_speed_mbps: 0, health: HealthStatus.UNKNOWN,
      },
      sdg: {
        vpd83: '600a098038304437522b4a6f6e6a4f61', serial: '', rpm: DiskRpm.UNKNOWN, link_type: DiskLinkType.FC,
        led_status: LedStatus.UNKNOWN, link_speed_mbps: 0, health: HealthStatus.UNKNOWN,
      },
      sdh: {
        vpd83: '5000cca012345678', serial: '', rpm: DiskRpm.UNKNOWN, link_type: DiskLinkType.SAS,
        led_status: LedStatus.UNKNOWN, link_speed_mbps: 0, health: HealthStatus.UNKNOWN,
      },
      nvme0n1: {
        vpd83: '', serial: 'S4EWNX0NNVME0', rpm: DiskRpm.NON_ROTATING_MEDIUM, link_type: DiskLinkType.PCIE,
        led_status: LedStatus.UNKNOWN, link_speed_mbps: 32000, health: HealthStatus.UNKNOWN,
      },
      nvme1n1: {
        vpd83: '', serial: 'PHLJ912345671P0FGN', rpm: DiskRpm.NON_ROTATING_MEDIUM, link_type: DiskLinkType.PCIE,
        led_status: LedStatus.UNKNOWN, link_speed_mbps: 64000, health: HealthStatus.WARN,
      },
      vda: {
        vpd83: '', serial: 'overlayblk', rpm: DiskRpm.UNKNOWN, link_type: DiskLinkType.UNKNOWN,
        led_status: LedStatus.UNKNOWN, link_speed_mbps: 0, health: HealthStatus.UNKNOWN,
      },
    };
    for (const [name, facts] of Object.entries(expected)) {
      assert.deepEqual(byName.get(name), { path: dev(name), ...facts }, name);
    }
  });

  test('falls back to the kernel wwid when vpd_pg83 is missing, and only for NAA ids', async () => {
    const other = buildFakeMachine();
    try {
      rmSync(other.sys('block/sda/device/vpd_pg83'));
      rmSync(other.sys('block/sdb/device/vpd_pg83'));
      const disks = await listLocalDisks({ sysRoot: other.sysRoot, devRoot: other.devRoot });
      const vpd = Object.fromEntries(disks.map((d) => [path.basename(d.path), d.vpd83]));
      assert.equal(vpd['sda'], '5000c500a1b2c3d4');
      assert.equal(vpd['sdb'], '');
    } finally {
      other.dispose();
    }
  });

  test('the directories above the sysfs root do not count as topology', async () => {
    const parent = path.join(fake.root, 'usb1', 'ata2', 'session3', 'host4');
    mkdirSync(parent, { recursive: true });
    const other = buildFakeMachine(parent);
    try {
      const disks = await listLocalDisks({ sysRoot: other.sysRoot, devRoot: other.devRoot });
      const types = Object.fromEntries(disks.map((d) => [path.basename(d.path), d.link_type]));
      assert.equal(types['vda'], DiskLinkType.UNKNOWN);
      assert.equal(types['sda'], DiskLinkType.SAS);
      assert.equal(types['nvme0n1'], DiskLinkType.PCIE);
    } finally {
      other.dispose();
    }
  });

  test('a dead NVMe controller behind every path is FAIL', async () => {
    const other = buildFakeMachine();
    try {
      const nvme0 = other.sys('class/nvme/nvme0/state');
      rmSync(nvme0);
      other.attr(path.relative(other.sysRoot, nvme0), 'dead');
      const disks = await listLocalDisks({ sysRoot: other.sysRoot, devRoot: other.devRoot });
      assert.equal(disks.find((d) => d.path.endsWith('/nvme0n1'))?.health, HealthStatus.FAIL);
    } finally {
      other.dispose();
    }
  });

  test('vpd83Search finds every path of a LUN, in any hex case', async () => {
    assert.deepEqual(await vpd83Search(LIO_NAA, opts), [dev('sdd'), dev('sde')]);
    assert.deepEqual(await vpd83Search(LIO_NAA.toUpperCase(), opts), [dev('sdd'), dev('sde')]);
    assert.deepEqual(await vpd83Search('5000C500A1B2C3D4', opts), [dev('sda')]);
    assert.deepEqual(await vpd83Search('5000c500a1b2c3d5', opts), []); // sda's target port, not its LU
  });

  test('localDisksByVpd83 maps every NAA id to its paths (lsmcli\'s "Disk Paths"), and a caller cannot corrupt it', async () => {
    const byId = await localDisksByVpd83(opts);
    assert.deepEqual(byId.get(LIO_NAA), [dev('sdd'), dev('sde')]);
    assert.deepEqual(byId.get('5000c500a1b2c3d4'), [dev('sda')]);
    for (const [id, paths] of byId) {
      assert.match(id, /^(?:6[0-9a-f]{31}|[235][0-9a-f]{15})$/);
      assert.ok(paths.length > 0);
    }
    byId.get(LIO_NAA)?.push('/dev/evil');
    byId.delete('5000c500a1b2c3d4');
    assert.deepEqual(await vpd83Search(LIO_NAA, opts), [dev('sdd'), dev('sde')]);
    assert.deepEqual((await localDisksByVpd83(opts)).get('5000c500a1b2c3d4'), [dev('sda')]);
  });

  test('vpd83Search rejects what is not an NAA id', async () => {
    for (const bad of ['', 'xyz', '../../etc/passwd', '5000c500a1b2c3d4\n', 'a'.repeat(10_000_000)]) {
      await assert.rejects(vpd83Search(bad, opts), rejectsWith(ErrorNumber.INVALID_ARGUMENT, /Invalid vpd83/));
    }
  });

  test('setLocalDiskLed drives the enclosure slot that holds the disk', async () => {
    await setLocalDiskLed(dev('sda'), 'ident', true, opts);
    assert.equal(readSlot('Slot 00', 'locate'), '1');
    await setLocalDiskLed(dev('sdb'), 'fault', false, opts);
    assert.equal(readSlot('Slot 01', 'fault'), '0');
    const byName = new Map((await listLocalDisks(opts)).map((d) => [path.basename(d.path), d.led_status]));
    assert.equal(byName.get('sda'), LedStatus.IDENT_ON | LedStatus.FAULT_OFF);
    assert.equal(byName.get('sdb'), LedStatus.IDENT_OFF | LedStatus.FAULT_OFF);
    await setLocalDiskLed(dev('sda'), 'ident', false, opts);
    assert.equal(readSlot('Slot 00', 'locate'), '0');
  });

  test('setLocalDiskLed without an enclosure is NO_SUPPORT', async () => {
    await assert.rejects(
      setLocalDiskLed(dev('sdc'), 'ident', true, opts),
      rejectsWith(
        ErrorNumber.NO_SUPPORT,
        new RegExp(
          `^No enclosure found for ${dev('sdc')}: ` +
            'LED control needs a SCSI enclosure \\(SES\\) exposed in /sys/class/enclosure$',
        ),
      ),
    );
  });

  test('setLocalDiskLed rejects bad paths and arguments without touching anything', async () => {
    const invalid = [
      'sda', '/etc/passwd', `${fake.devRoot}/../sys/block/sda`, `${fake.devRoot}/sda/../sdb`, `${fake.devRoot}/`,
      `${fake.devRoot}/sda\0`, `${fake.devRoot}/sda;reboot`, `${fake.devRoot}/sda\n`,
      `${fake.devRoot}/${'a'.repeat(10_000_000)}`,
    ];
    for (const p of invalid) {
      await assert.rejects(
        setLocalDiskLed(p, 'ident', true, opts),
        rejectsWith(ErrorNumber.INVALID_ARGUMENT, /Invalid local disk path/),
      );
    }
    for (const name of ['sdz', 'loop0', 'sr0', 'sdj', 'nvme1c1n1', 'sda1']) {
      await assert.rejects(
        setLocalDiskLed(dev(name), 'ident', true, opts),
        rejectsWith(ErrorNumber.NOT_FOUND_DISK, /not found/),
      );
    }
    const invalidArgument = rejectsWith(ErrorNumber.INVALID_ARGUMENT);
    await assert.rejects(setLocalDiskLed(dev('sda'), 'power' as 'ident', true, opts), invalidArgument);
    await assert.rejects(setLocalDiskLed(dev('sda'), 'ident', 'yes' as unknown as boolean, opts), invalidArgument);
    assert.equal(readSlot('Slot 00', 'locate'), '0');
  });

  test('listLedSlots lists every slot with its LEDs and disk', async () => {
    assert.deepEqual(await listLedSlots(opts), [
      { id: '0:0:4:0/Slot 00', state: LedStatus.IDENT_OFF | LedStatus.FAULT_OFF, device: dev('sda') },
      { id: '0:0:4:0/Slot 01', state: LedStatus.IDENT_OFF | LedStatus.FAULT_OFF, device: dev('sdb') },
      { id: '0:0:4:0/Slot 02,REAR', state: LedStatus.IDENT_OFF | LedStatus.FAULT_OFF, device: '' },
    ]);
  });

  test('setLedSlot sets one or both LEDs', async () => {
    await setLedSlot('0:0:4:0/Slot 02,REAR', LedStatus.IDENT_ON | LedStatus.FAULT_ON, opts);
    assert.equal(readSlot('Slot 02,REAR', 'locate'), '1');
    assert.equal(readSlot('Slot 02,REAR', 'fault'), '1');
    await setLedSlot('0:0:4:0/Slot 02,REAR', LedStatus.FAULT_OFF, opts);
    assert.equal(readSlot('Slot 02,REAR', 'locate'), '1');
    assert.equal(readSlot('Slot 02,REAR', 'fault'), '0');
    const slot = (await listLedSlots(opts)).find((s) => s.id === '0:0:4:0/Slot 02,REAR');
    assert.equal(slot?.state, LedStatus.IDENT_ON | LedStatus.FAULT_OFF);
    await setLedSlot('0:0:4:0/Slot 02,REAR', LedStatus.IDENT_OFF, opts);
    assert.equal(readSlot('Slot 02,REAR', 'locate'), '0');
  });

  test('setLedSlot rejects bad ids and states', async () => {
    const ok = LedStatus.IDENT_ON;
    const badIds = ['Slot 00', '0:0:4:0/Slot 00/locate', '../0:0:4:0', '0:0:4:0/..', '0:0:4:0/.', '/Slot 00',
      '0:0:4:0/Slot\n00', '0:0:4:0/\0', 'x'.repeat(10_000_000)];
    for (const id of badIds) {
      await assert.rejects(setLedSlot(id, ok, opts), rejectsWith(ErrorNumber.INVALID_ARGUMENT, /Invalid LED slot id/));
    }
    for (const id of ['0:0:4:0/Slot 09', '0:0:9:0/Slot 00', '0:0:4:0/power', '0:0:4:0/device']) {
      await assert.rejects(setLedSlot(id, ok, opts), rejectsWith(ErrorNumber.NOT_FOUND_GENERIC, /not found/));
    }
    const both = (a: number, b: number): number => a | b;
    for (const state of [0, -1, 1.5, Number.NaN, LedStatus.UNKNOWN, LedStatus.IDENT_UNKNOWN, 128,
      both(LedStatus.IDENT_ON, LedStatus.IDENT_OFF), both(LedStatus.FAULT_ON, LedStatus.FAULT_OFF)]) {
      await assert.rejects(
        setLedSlot('0:0:4:0/Slot 00', state, opts),
        rejectsWith(ErrorNumber.INVALID_ARGUMENT, /Invalid LED slot state/),
      );
    }
    assert.equal(readSlot('Slot 00', 'locate'), '0');
  });

  test('a failed second LED write puts the first back', async () => {
    const other = buildFakeMachine();
    try {
      const fault = other.sys(`${ENCLOSURE_DIR}/Slot 00/fault`);
      rmSync(fault);
      mkdirSync(fault); // the write fails with EISDIR, as a driver refusing it would
      const o = { sysRoot: other.sysRoot, devRoot: other.devRoot };
      await assert.rejects(
        setLedSlot('0:0:4:0/Slot 00', LedStatus.IDENT_ON | LedStatus.FAULT_ON, o),
        rejectsWith(ErrorNumber.LIB_BUG, /fault LED of slot 0:0:4:0\/Slot 00.*EISDIR/),
      );
      assert.equal(readFileSync(other.sys(`${ENCLOSURE_DIR}/Slot 00/locate`), 'latin1').trim(), '0');
    } finally {
      other.dispose();
    }
  });

  test('a machine without /sys/block or enclosures has no disks and no slots', async () => {
    const empty = { sysRoot: path.join(fake.root, 'nowhere'), devRoot: fake.devRoot };
    assert.deepEqual(await listLocalDisks(empty), []);
    assert.deepEqual(await listLedSlots(empty), []);
    assert.deepEqual(await vpd83Search(LIO_NAA, empty), []);
    assert.deepEqual(await localDisksByVpd83(empty), new Map());
    await assert.rejects(setLocalDiskLed(dev('sda'), 'ident', true, empty), rejectsWith(ErrorNumber.NOT_FOUND_DISK));
  });
});
