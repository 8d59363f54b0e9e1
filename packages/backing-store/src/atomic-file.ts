/**
 * Replacing a file so that every reader, and every reboot, sees either the old content or the new, never a mix.
 *
 * The new content goes to a temporary file in the same directory (same file system, so the rename is atomic),
 * created exclusively with the final mode, written, fsync'd, then renamed over the target; the directory is
 * fsync'd last so the rename itself survives a power loss. A failure at any step removes the temporary file and
 * leaves the target as it was. This is how targetcli saves saveconfig.json, and what a plugin's own state needs.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';

export interface AtomicWriteOptions {
  /** Mode of the file written (default 0600: state and target configurations may hold CHAP secrets). */
  mode?: number;
}

/** The temporary names `writeFileAtomic` uses; they start with `.` so no name validator accepts them as objects. */
export function isAtomicTempName(name: string): boolean {
  return name.startsWith('.') && name.includes('.openlsm-tmp-');
}

function errnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}

/** Writes `data` to `file` atomically (see the module comment). Throws PLUGIN_BUG naming the file and errno. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.openlsm-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const mode = options.mode ?? 0o600;
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
    // The umask may have narrowed the mode; an explicit chmod makes it exactly what was asked.
    await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, file);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fsp.unlink(tmp).catch(() => undefined);
    throw new LsmError(ErrorNumber.PLUGIN_BUG, `Cannot write ${file}: ${errnoText(err)}`, null, { cause: err });
  }
  await syncDirectory(dir);
}

/** fsync of a directory, so that a rename or unlink in it is on disk. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    await handle.sync();
  } catch (err) {
    // Some file systems (and FUSE emulations) refuse fsync on a directory; the rename has still happened.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') {
      throw new LsmError(ErrorNumber.PLUGIN_BUG, `Cannot sync directory ${dir}: ${errnoText(err)}`, null, { cause: err });
    }
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
