/**
 * Facts about a block device that a pool of configured devices needs, read from sysfs.
 *
 * Node can neither ioctl(BLKGETSIZE64) nor lseek a device to its end portably, and `stat` gives a device's size
 * as 0. The kernel publishes the same numbers under `/sys/dev/block/<major>:<minor>/`: `size` in 512-byte
 * sectors (always 512, whatever the device's block size), and the queue's logical block size (for a partition,
 * in its parent's `queue/`). The device number comes from `stat().rdev`, so a symlink such as
 * `/dev/disk/by-id/...` resolves to the right device.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ErrorNumber, LsmError, describeForMessage } from '@openlsm/core';

export interface BlockDeviceInfo {
  /** The path given. */
  path: string;
  /** `<major>:<minor>`. */
  devno: string;
  /** The kernel's name for the device (`loop0`, `sdb1`). */
  kernelName: string;
  sizeBytes: bigint;
  /** Logical block size in bytes (512 or 4096 in practice). */
  blockSize: number;
}

export interface BlockDeviceOptions {
  /** Where sysfs is mounted (default `/sys`); tests point it at a copy. */
  sysRoot?: string;
}

/** Linux's `dev_t` layout (glibc's gnu_dev_major/minor): 12 bits of major, 20 of minor, split across the word. */
export function splitDevno(rdev: bigint): { major: bigint; minor: bigint } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major, minor };
}

async function readNumber(file: string): Promise<bigint> {
  const text = (await fsp.readFile(file, 'latin1')).trim();
  if (!/^\d{1,20}$/.test(text)) throw new Error(`unexpected content ${JSON.stringify(text.slice(0, 40))}`);
  return BigInt(text);
}

/**
 * Size and block size of the block device at `devicePath`. INVALID_ARGUMENT when the path is missing or not a
 * block device; PLUGIN_BUG when sysfs does not describe it.
 */
export async function blockDeviceInfo(devicePath: string, options: BlockDeviceOptions = {}): Promise<BlockDeviceInfo> {
  const sysRoot = options.sysRoot ?? '/sys';
  let stats;
  try {
    stats = await fsp.stat(devicePath, { bigint: true });
  } catch (err) {
    throw new LsmError(
      ErrorNumber.INVALID_ARGUMENT,
      `Block device ${describeForMessage(devicePath)} cannot be used: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  if (!stats.isBlockDevice()) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `${describeForMessage(devicePath)} is not a block device`);
  }
  const { major, minor } = splitDevno(stats.rdev);
  const devno = `${major}:${minor}`;
  const dir = path.join(sysRoot, 'dev/block', devno);
  try {
    const real = await fsp.realpath(dir);
    const sectors = await readNumber(path.join(real, 'size'));
    const queue = await fsp.stat(path.join(real, 'queue')).then(() => path.join(real, 'queue'), () => path.join(real, '..', 'queue'));
    const blockSize = Number(await readNumber(path.join(queue, 'logical_block_size')));
    return { path: devicePath, devno, kernelName: path.basename(real), sizeBytes: sectors * 512n, blockSize };
  } catch (err) {
    throw new LsmError(
      ErrorNumber.PLUGIN_BUG,
      `sysfs does not describe block device ${describeForMessage(devicePath)} (${dir}): ${(err as Error).message}`,
      null,
      { cause: err },
    );
  }
}
