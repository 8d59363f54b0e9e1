/**
 * Is LIO usable here? The python-kmod lesson: no `modprobe` or `mount` through a shell, and no guessing from
 * a program's output. The kernel publishes everything needed: /proc/filesystems (configfs compiled in or
 * loaded), /proc/self/mountinfo (configfs mounted where tools expect it), /sys/module (which target modules are
 * loaded) and configfs itself (target/ appears when target_core_mod registers). Each missing layer gets its own
 * message that says exactly what to load or mount; nothing is loaded or mounted on the user's behalf.
 */
import fs from 'node:fs';
import { ErrorNumber, LsmError } from '@openlsm/core';

export const REAL_CONFIGFS = '/sys/kernel/config';

export interface KernelPaths {
  /** Where configfs is (or is expected to be) mounted. */
  configfs: string;
  /** /proc and /sys, replaceable for tests of the messages. */
  proc?: string;
  sys?: string;
}

function readOptional(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether `dir` is a mount point of a configfs, per mountinfo (field 5 is the mount point, the type follows "-"). */
export function isConfigfsMount(mountinfo: string, dir: string): boolean {
  return mountinfo.split('\n').some((line) => {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    return fields[4] === dir && dash > 0 && fields[dash + 1] === 'configfs';
  });
}

function missing(message: string): LsmError {
  return new LsmError(ErrorNumber.NO_SUPPORT, message);
}

/**
 * Throws NO_SUPPORT naming the first missing layer. For the real /sys/kernel/config the kernel's files are
 * consulted; for another root (a test's emulation) only that tree is.
 */
export function checkKernel(paths: KernelPaths): void {
  const proc = paths.proc ?? '/proc';
  const sys = paths.sys ?? '/sys';
  if (paths.configfs === REAL_CONFIGFS) {
    const filesystems = readOptional(`${proc}/filesystems`) ?? '';
    if (!/^\S*\s+configfs$/m.test(filesystems)) {
      throw missing('This kernel has no configfs, which LIO is managed through: load it with "modprobe configfs" (or use a kernel built with CONFIG_CONFIGFS_FS)');
    }
    if (!isConfigfsMount(readOptional(`${proc}/self/mountinfo`) ?? '', REAL_CONFIGFS)) {
      throw missing('configfs is not mounted on /sys/kernel/config: mount it with "mount -t configfs none /sys/kernel/config" (on systemd: "systemctl start sys-kernel-config.mount")');
    }
  }
  if (readOptional(`${paths.configfs}/target/version`) === undefined) {
    if (paths.configfs !== REAL_CONFIGFS) {
      throw missing(`${paths.configfs}/target does not exist: there is no LIO target core under this configfs root`);
    }
    const loaded = fs.existsSync(`${sys}/module/target_core_mod`);
    throw missing(loaded
      ? 'target_core_mod is loaded but /sys/kernel/config/target is missing: check that configfs is mounted on /sys/kernel/config'
      : 'The kernel\'s SCSI target (target_core_mod) is not loaded: load it with "modprobe target_core_mod" (the iSCSI part, iscsi_target_mod, loads when first used); packaging/modules-load.d/openlsm-lio.conf loads both at boot');
  }
}

/** Whether this process may change the real configfs (its files are writable by root only). */
export function requireRoot(configfs: string): void {
  if (configfs === REAL_CONFIGFS && process.getuid?.() !== 0) {
    throw new LsmError(
      ErrorNumber.PERMISSION_DENIED,
      'lio:// manages the kernel\'s iSCSI target, which needs root: run as root, or serve lio through openlsmd with allow_plugin_root: true',
    );
  }
}
