/**
 * A disk's health, from the few facts the kernel exposes without sending a command to the disk. The full
 * answers (SCSI informational exceptions, ATA SMART status, NVMe SMART critical warning) need a passthrough
 * ioctl, which this library does not issue; so health is FAIL or WARN only on clear evidence, and UNKNOWN
 * otherwise. GOOD is never reported: no sysfs attribute says a disk is healthy.
 */

import { HealthStatus } from '@openlsm/core';
import path from 'node:path';
import { nvmeControllers, type BlockDisk } from './discovery.js';
import { listDir, readAttr } from './sysfs.js';

/**
 * SCSI: `device/state`. `offline` means the SCSI error handler gave up on the device after recovery failed
 * and all I/O to it now fails: FAIL. `blocked`, `transport-offline`, `quiesce` and `created-block` describe
 * the path (a link bounce, an FC/iSCSI session being re-established, suspend), not the disk: UNKNOWN, as is
 * `running`, which only says the device answers.
 */
async function scsiHealth(deviceDir: string): Promise<number> {
  const state = await readAttr(path.join(deviceDir, 'state'));
  return state === 'offline' ? HealthStatus.FAIL : HealthStatus.UNKNOWN;
}

/**
 * NVMe temperature alarm: the nvme hwmon device (`nvme0/hwmonN`, `name` = "nvme"; older kernels put it on the
 * PCI function instead) turns the temperature bit of the SMART critical warning into `temp1_alarm`; reading it
 * makes the driver fetch the SMART log itself, which needs no privilege from us.
 */
async function temperatureAlarm(ctrl: string): Promise<boolean> {
  for (const dir of [ctrl, path.join(ctrl, 'device')]) {
    for (const hwmon of (await listDir(dir)).filter((n) => /^hwmon\d+$/.test(n))) {
      if ((await readAttr(path.join(dir, hwmon, 'name'))) !== 'nvme') continue;
      if ((await readAttr(path.join(dir, hwmon, 'temp1_alarm'))) === '1') return true;
    }
  }
  return false;
}

/**
 * NVMe: the controller `state` is `dead` once the driver gave up on a controller that stopped responding:
 * FAIL when every path to the namespace is dead. A temperature alarm is WARN (the drive throttles, data is
 * intact). The rest of the critical warning byte is not in sysfs: UNKNOWN.
 */
async function nvmeHealth(disk: BlockDisk): Promise<number> {
  const controllers = await nvmeControllers(disk);
  if (controllers.length === 0) return HealthStatus.UNKNOWN;
  const states = await Promise.all(controllers.map((c) => readAttr(path.join(c, 'state'))));
  if (states.every((s) => s === 'dead')) return HealthStatus.FAIL;
  const alarms = await Promise.all(controllers.map(temperatureAlarm));
  return alarms.includes(true) ? HealthStatus.WARN : HealthStatus.UNKNOWN;
}

export async function readHealth(disk: BlockDisk): Promise<number> {
  if (disk.kind === 'scsi' && disk.deviceDir !== null) return scsiHealth(disk.deviceDir);
  if (disk.kind === 'nvme' || disk.kind === 'nvme-subsystem') return nvmeHealth(disk);
  return HealthStatus.UNKNOWN;
}
