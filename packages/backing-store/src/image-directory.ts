/**
 * A directory pool: one directory on a local file system whose regular files are the pool's volumes (image
 * files served by a target as fileio/backing-store LUNs).
 *
 * Images are sparse: creating a 1 TiB volume writes no data, so the pool is thin (space is used as initiators
 * write). A create or grow larger than the file system's free space is still refused, because it could never be
 * filled. Total and free space are the file system's (`statfs`), shared with whatever else lives there.
 *
 * Names are a strict whitelist (see `validateImageName`), checked before any path is built, so no name can
 * climb out of the directory or hide as a dot file; the temporary files of atomic writes start with `.` and are
 * therefore never listed as images.
 */
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { ErrorNumber, LsmError, describeForMessage } from '@openlsm/core';
import { syncDirectory } from './atomic-file.js';
import { copyImageFile, type CopyMethod, type CopyOptions } from './copy.js';

export interface SpaceInfo {
  totalBytes: bigint;
  freeBytes: bigint;
}

export interface ImageInfo {
  name: string;
  path: string;
  /** The image's length: what an initiator sees as the disk size. */
  sizeBytes: bigint;
  /** What the file really occupies on disk (sparse images: less than sizeBytes). */
  allocatedBytes: bigint;
}

/**
 * 200 characters leaves room, within the 255 bytes a Linux file name may have, for the prefix and suffix of the
 * temporary names used while an image is copied.
 */
export const IMAGE_NAME_MAX_LENGTH = 200;

const IMAGE_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.:+-]*$/;

/**
 * Returns `name` when it is 1..200 characters from `[A-Za-z0-9_.:+-]`, not starting with `.`, `-`, `:` or `+`;
 * otherwise INVALID_ARGUMENT. No `/`, no `..`, no whitespace or control character can pass.
 */
export function validateImageName(name: string): string {
  if (typeof name === 'string' && name.length >= 1 && name.length <= IMAGE_NAME_MAX_LENGTH && IMAGE_NAME_RE.test(name)) {
    return name;
  }
  const shown = typeof name === 'string' ? describeForMessage(name) : `(${typeof name})`;
  throw new LsmError(
    ErrorNumber.INVALID_ARGUMENT,
    `Invalid image file name ${shown}: use 1-${IMAGE_NAME_MAX_LENGTH} letters, digits, '_', '.', ':', '+', '-' ` +
      `(starting with a letter, digit or '_')`,
  );
}

function isValidImageName(name: string): boolean {
  return name.length <= IMAGE_NAME_MAX_LENGTH && IMAGE_NAME_RE.test(name);
}

export class ImageDirectory {
  readonly path: string;

  private constructor(dir: string) {
    this.path = dir;
  }

  /** The pool at `dir` (absolute, an existing directory); INVALID_ARGUMENT otherwise. */
  static async open(dir: string): Promise<ImageDirectory> {
    if (typeof dir !== 'string' || !path.isAbsolute(dir) || /[\x00-\x1f\x7f]/.test(dir)) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Pool directory ${describeForMessage(String(dir))} must be an absolute path`);
    }
    let stats;
    try {
      stats = await fsp.stat(dir);
    } catch (err) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Pool directory ${dir} cannot be used: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    if (!stats.isDirectory()) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Pool directory ${dir} is not a directory`);
    return new ImageDirectory(path.resolve(dir));
  }

  /** The path of image `name` (validated). */
  imagePath(name: string): string {
    return path.join(this.path, validateImageName(name));
  }

  /** Size and free space of the file system holding the directory. */
  async space(): Promise<SpaceInfo> {
    try {
      const s = await fsp.statfs(this.path, { bigint: true });
      return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
    } catch (err) {
      throw this.#fail(err, 'read the free space of');
    }
  }

  /** The image `name`, or null when there is none. */
  async stat(name: string): Promise<ImageInfo | null> {
    const file = this.imagePath(name);
    try {
      const s = await fsp.lstat(file, { bigint: true });
      return s.isFile() ? { name, path: file, sizeBytes: s.size, allocatedBytes: s.blocks * 512n } : null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.#fail(err, 'read', name);
    }
  }

  /** Every image in the directory, sorted by name. Files whose names fail validation are not images. */
  async list(): Promise<ImageInfo[]> {
    let entries;
    try {
      entries = await fsp.readdir(this.path, { withFileTypes: true });
    } catch (err) {
      throw this.#fail(err, 'list');
    }
    const names = entries.filter((e) => e.isFile() && isValidImageName(e.name)).map((e) => e.name).sort();
    const infos = await Promise.all(names.map((n) => this.stat(n)));
    return infos.filter((i): i is ImageInfo => i !== null);
  }

  /**
   * Creates the sparse image `name` of `sizeBytes` (mode 0600). NAME_CONFLICT when it exists, NOT_ENOUGH_SPACE
   * when larger than the free space.
   */
  async create(name: string, sizeBytes: bigint): Promise<ImageInfo> {
    const file = this.imagePath(name);
    this.#checkSize(sizeBytes);
    if (sizeBytes > (await this.space()).freeBytes) throw this.#noSpace(name, sizeBytes);
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    } catch (err) {
      throw this.#fail(err, 'create', name);
    }
    try {
      await handle.truncate(Number(sizeBytes));
      await handle.sync();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await fsp.unlink(file).catch(() => undefined);
      throw this.#fail(err, 'size', name);
    }
    await handle.close();
    await syncDirectory(this.path);
    return { name, path: file, sizeBytes, allocatedBytes: 0n };
  }

  /** Sets the length of image `name`; growing by more than the free space is NOT_ENOUGH_SPACE. */
  async resize(name: string, sizeBytes: bigint): Promise<ImageInfo> {
    this.#checkSize(sizeBytes);
    const current = await this.stat(name);
    if (current === null) throw this.#notFound(name);
    if (sizeBytes - current.sizeBytes > (await this.space()).freeBytes) throw this.#noSpace(name, sizeBytes);
    try {
      await fsp.truncate(current.path, Number(sizeBytes));
    } catch (err) {
      throw this.#fail(err, 'resize', name);
    }
    return (await this.stat(name)) ?? current;
  }

  /** Deletes image `name`; NOT_FOUND_VOLUME when there is none. */
  async remove(name: string): Promise<void> {
    const file = this.imagePath(name);
    const current = await this.stat(name);
    if (current === null) throw this.#notFound(name);
    try {
      await fsp.unlink(file);
    } catch (err) {
      throw this.#fail(err, 'delete', name);
    }
    await syncDirectory(this.path);
  }

  /**
   * Copies image `source` to the new image `target` in `into` (default this directory): a reflink where the file
   * system shares extents, else a sparse copy with progress. Refuses a copy larger than the free space.
   */
  async copy(source: string, target: string, options: CopyOptions & { into?: ImageDirectory } = {}): Promise<{ image: ImageInfo; method: CopyMethod }> {
    const into = options.into ?? this;
    const src = await this.stat(source);
    if (src === null) throw this.#notFound(source);
    const dst = into.imagePath(target);
    if ((await into.stat(target)) !== null) throw new LsmError(ErrorNumber.NAME_CONFLICT, `Image ${target} already exists in ${into.path}`);
    if (src.allocatedBytes > (await into.space()).freeBytes) throw into.#noSpace(target, src.allocatedBytes);
    const method = await copyImageFile(src.path, dst, options);
    const image = await into.stat(target);
    if (image === null) throw new LsmError(ErrorNumber.PLUGIN_BUG, `Image ${target} vanished from ${into.path} right after its copy`);
    return { image, method };
  }

  #checkSize(sizeBytes: bigint): void {
    // ftruncate takes a JS number: stay within exact doubles (8 PiB), far above any real image.
    if (typeof sizeBytes !== 'bigint' || sizeBytes <= 0n || sizeBytes > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid image size ${String(sizeBytes)}: must be 1 .. 2^53-1 bytes`);
    }
  }

  #notFound(name: string): LsmError {
    return new LsmError(ErrorNumber.NOT_FOUND_VOLUME, `Image ${name} does not exist in ${this.path}`);
  }

  #noSpace(name: string, sizeBytes: bigint): LsmError {
    return new LsmError(ErrorNumber.NOT_ENOUGH_SPACE, `Not enough space in ${this.path} for image ${name} of ${sizeBytes} bytes`);
  }

  #fail(err: unknown, action: string, name?: string): LsmError {
    if (err instanceof LsmError) return err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const what = name === undefined ? `pool directory ${this.path}` : `image ${name} in ${this.path}`;
    if (code === 'EEXIST') return new LsmError(ErrorNumber.NAME_CONFLICT, `Image ${name ?? ''} already exists in ${this.path}`);
    if (code === 'ENOENT' && name !== undefined) return this.#notFound(name);
    if (code === 'ENOSPC' || code === 'EFBIG') return new LsmError(ErrorNumber.NOT_ENOUGH_SPACE, `Cannot ${action} ${what}: ${code}`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      return new LsmError(ErrorNumber.PERMISSION_DENIED, `Cannot ${action} ${what}: ${code}`);
    }
    return new LsmError(ErrorNumber.PLUGIN_BUG, `Cannot ${action} ${what}: ${code || String(err)}`, null, { cause: err });
  }
}
