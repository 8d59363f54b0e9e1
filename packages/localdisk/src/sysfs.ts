/**
 * Small readers for the kernel's sysfs. A sysfs attribute that is missing, hidden or refuses to be read is not
 * an error for local-disk inspection: it only means the kernel does not expose that fact for this device, so
 * every reader here answers `null` (or an empty list) instead of throwing. Callers turn `null` into lsm's
 * "unknown" values.
 */

import { lstat, readFile, readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Text attributes are at most one page; a longer file is not an attribute we understand. */
const TEXT_ATTR_LIMIT = 4096;
/** Binary VPD pages are at most 4 + 0xFFFF bytes (16-bit page length). */
const BINARY_ATTR_LIMIT = 4 + 0xffff;

/** The attribute's text without the kernel's trailing newline (and padding), or null when it cannot be read. */
export async function readAttr(file: string): Promise<string | null> {
  const data = await readBinaryAttr(file, TEXT_ATTR_LIMIT);
  if (data === null) return null;
  return data.toString('latin1').replace(/[\s\0]+$/, '').replace(/^\s+/, '');
}

/** The raw bytes of a (binary) attribute such as `vpd_pg83`, or null when it cannot be read. */
export async function readBinaryAttr(file: string, limit = BINARY_ATTR_LIMIT): Promise<Buffer | null> {
  try {
    const data = await readFile(file);
    return data.length > limit ? null : data;
  } catch {
    return null;
  }
}

/** Entry names of a directory; empty when it cannot be listed. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** The canonical path with every symlink resolved (sysfs is a web of relative links), or null. */
export async function resolvePath(file: string): Promise<string | null> {
  try {
    return await realpath(file);
  } catch {
    return null;
  }
}

/** The last component of a symlink's target (`subsystem -> ../../bus/scsi` gives `scsi`), or null. */
export async function linkTargetName(link: string): Promise<string | null> {
  try {
    return path.basename(await readlink(link));
  } catch {
    return null;
  }
}

/** True when `file` exists (following symlinks). */
export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** True when `file` is a real directory (not a symlink to one). */
export async function isRealDirectory(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The names of the directories from `root` (exclusive) down to `file` (inclusive): `file`'s position in the
 * device tree. sysfs device paths encode the topology (`.../host0/port-0:0/end_device-0:0/target0:0:0/0:0:0:0`),
 * so the transport of a disk is read from the names of its ancestors; the part above `root` (where sysfs is
 * mounted) is not looked at.
 */
export function componentsBelow(root: string, file: string): string[] {
  const rel = path.relative(root, file);
  return rel === '' || rel.startsWith('..') ? [] : rel.split(path.sep);
}

/** The nearest ancestor of `file` (itself included) below `root` whose name matches `pattern`, or null. */
export function nearestAncestor(root: string, file: string, pattern: RegExp): string | null {
  const below = componentsBelow(root, file).length;
  const parts = file.split('/');
  for (let i = parts.length; i > parts.length - below; i -= 1) {
    const name = parts[i - 1];
    if (name !== undefined && pattern.test(name)) return parts.slice(0, i).join('/');
  }
  return null;
}
