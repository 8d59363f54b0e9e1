/**
 * Copying one image file to a new one, keeping it sparse, with progress and cancellation.
 *
 * First a reflink (`FICLONE`, through copyFile's COPYFILE_FICLONE_FORCE): on btrfs, XFS and other file systems
 * that share extents it is instant and takes no space. Elsewhere (ext4, tmpfs) the data is copied in chunks;
 * a chunk that reads as all zeros is not written, so holes stay holes and a thin 100 GiB image with 1 GiB of
 * data costs 1 GiB, not 100. (copy_file_range, which Node's plain copyFile uses, would write those zeros out on
 * ext4, and reports no progress.) The copy is made under a temporary name and linked into place only when
 * complete and synced, so the destination name never shows a partial image; `link` fails if the name was
 * taken meanwhile, which makes creation exclusive.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { syncDirectory } from './atomic-file.js';

export interface CopyOptions {
  /** Called with 0..100 whenever the whole percentage changes. */
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
  /** Bytes read per step (default 4 MiB). */
  chunkBytes?: number;
  /** Try a reflink first (default true). */
  reflink?: boolean;
}

export type CopyMethod = 'reflink' | 'sparse-copy';

/** Errors with which copyFile(COPYFILE_FICLONE_FORCE) says "this file system cannot share extents". */
const NO_REFLINK = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'ENOTTY', 'EBADF']);

const DEFAULT_CHUNK = 4 * 1024 * 1024;

async function sparseCopy(src: string, tmp: string, options: CopyOptions): Promise<void> {
  const chunk = options.chunkBytes ?? DEFAULT_CHUNK;
  const buffer = Buffer.allocUnsafe(chunk);
  const zeros = Buffer.alloc(chunk);
  const input = await fsp.open(src, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const output = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      const size = (await input.stat()).size;
      // The final length first: whatever is not written below stays a hole.
      await output.truncate(size);
      let reported = -1;
      for (let offset = 0; offset < size;) {
        options.signal?.throwIfAborted();
        const { bytesRead } = await input.read(buffer, 0, Math.min(chunk, size - offset), offset);
        if (bytesRead === 0) break; // the source shrank under us: the rest stays zero
        if (!buffer.subarray(0, bytesRead).equals(zeros.subarray(0, bytesRead))) {
          await output.write(buffer, 0, bytesRead, offset);
        }
        offset += bytesRead;
        const percent = Math.floor((offset * 100) / size);
        if (percent !== reported && percent < 100) {
          reported = percent;
          options.onProgress?.(percent);
        }
      }
      await output.sync();
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}

/**
 * Gives the complete file `tmp` the name `dst`, failing with EEXIST if `dst` exists. `link` makes that check and
 * the naming one step; on a file system without hard links, a check then a rename (which a concurrent creator of
 * the same name could race, so those pools should be used by one writer, which the plugins' lock ensures).
 */
async function publish(tmp: string, dst: string): Promise<void> {
  try {
    await fsp.link(tmp, dst);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
  }
  const exists = await fsp.lstat(dst).then(() => true, () => false);
  if (exists) throw Object.assign(new Error('EEXIST'), { code: 'EEXIST' });
  await fsp.rename(tmp, dst);
}

/**
 * Copies `src` to the new file `dst` (which must not exist: NAME_CONFLICT), as a reflink where possible, else a
 * sparse chunked copy. Aborting via `signal` removes what was copied. Resolves with the method used.
 */
export async function copyImageFile(src: string, dst: string, options: CopyOptions = {}): Promise<CopyMethod> {
  const tmp = path.join(path.dirname(dst), `.${path.basename(dst)}.openlsm-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  let method: CopyMethod = 'sparse-copy';
  try {
    options.onProgress?.(0);
    let cloned = false;
    if (options.reflink !== false) {
      try {
        await fsp.copyFile(src, tmp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE_FORCE);
        await fsp.chmod(tmp, 0o600);
        cloned = true;
        method = 'reflink';
      } catch (err) {
        if (!NO_REFLINK.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
        await fsp.unlink(tmp).catch(() => undefined);
      }
    }
    if (!cloned) await sparseCopy(src, tmp, options);
    options.signal?.throwIfAborted();
    await publish(tmp, dst);
  } catch (err) {
    await fsp.unlink(tmp).catch(() => undefined);
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new LsmError(ErrorNumber.NAME_CONFLICT, `${dst} already exists`);
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOSPC') {
      throw new LsmError(ErrorNumber.NOT_ENOUGH_SPACE, `Not enough space to copy ${src} to ${dst}`);
    }
    if (err instanceof LsmError || (err as Error).name === 'AbortError') throw err;
    throw new LsmError(ErrorNumber.PLUGIN_BUG, `Cannot copy ${src} to ${dst}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, null, { cause: err });
  }
  await fsp.unlink(tmp).catch(() => undefined); // gone already when publish() renamed it
  await syncDirectory(path.dirname(dst));
  options.onProgress?.(100);
  return method;
}
