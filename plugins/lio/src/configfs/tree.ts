/**
 * LIO's configfs tree as plain files: every change is one mkdir, rmdir, symlink, unlink or write of a small
 * attribute, as the kernel requires (there is no ioctl or netlink interface). Paths are relative to
 * `<configfs>/target`. The calls are synchronous: each is a few microseconds on configfs, and a change runs
 * under the plugin's lock from start to end anyway.
 *
 * While a `Journal` is attached, every mkdir, rmdir, symlink and unlink records its inverse, so that a change
 * that fails halfway can be undone (see journal.ts). A directory made again comes back with the kernel's
 * defaults; a caller that removes an object with settings records how to write them back before removing it
 * (the journal runs newest first, so that step runs after the directory is back). Writes record their inverse
 * through the journal explicitly, because only the caller knows what was there before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeForMessage, ErrorNumber, LsmError } from '@openlsm/core';
import type { Journal } from './journal.js';

/** What the kernel means by the errnos it returns from configfs calls. */
const ERRNO_MEANING: Record<string, string> = {
  EINVAL: 'the kernel refused the value or name',
  EEXIST: 'it already exists',
  ENOENT: 'it does not exist',
  EBUSY: 'something still links to it',
  ENOTEMPTY: 'it still holds objects',
  EPERM: 'configfs does not allow this here',
  EACCES: 'permission denied',
  ENODEV: 'the storage object is not enabled',
  EFAULT: 'the link points at the wrong kind of object',
  ENOSYS: 'the backstore does not support it',
  EOPNOTSUPP: 'the backstore does not support it',
  EADDRINUSE: 'another portal already listens there',
  EADDRNOTAVAIL: 'the address is not one of this machine\'s',
  ENOMEM: 'the kernel is out of memory',
  EIO: 'input/output error',
};

/** The errno of a failed fs call, or '' when `err` is something else. */
export function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? '';
}

/** An LsmError for a configfs call that failed; `cause` keeps the original error (and its errno). */
export function configfsError(op: string, rel: string, err: unknown): LsmError {
  if (err instanceof LsmError) return err;
  const code = errnoOf(err);
  const meaning = ERRNO_MEANING[code];
  const text = `configfs refused ${op} ${rel}: ${code || (err as Error).message}${meaning ? ` (${meaning})` : ''}`;
  const lsmCode = code === 'EACCES' ? ErrorNumber.PERMISSION_DENIED : code === 'ENOMEM' ? ErrorNumber.NO_MEMORY : ErrorNumber.PLUGIN_BUG;
  return new LsmError(lsmCode, text, null, { cause: err });
}

export class ConfigfsTree {
  /** Absolute path of `<configfs>/target`. */
  readonly root: string;
  #journal: Journal | undefined;
  #realRoot: string | undefined;

  constructor(targetRoot: string) {
    this.root = targetRoot;
  }

  abs(rel: string): string {
    return rel === '' ? this.root : `${this.root}/${rel}`;
  }

  /** Attaches the journal of the change in progress (undefined detaches). */
  attach(journal: Journal | undefined): void {
    this.#journal = journal;
  }

  get journal(): Journal | undefined {
    return this.#journal;
  }

  /** The attribute's content with the kernel's trailing newline(s) removed, as rtslib's fread() gives it. */
  read(rel: string): string {
    try {
      return fs.readFileSync(this.abs(rel), 'utf8').trim();
    } catch (err) {
      throw configfsError('to read', rel, err);
    }
  }

  /** Like read(), but undefined when the attribute does not exist (kernels differ in what they offer). */
  readOptional(rel: string): string | undefined {
    try {
      return fs.readFileSync(this.abs(rel), 'utf8').trim();
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return undefined;
      throw configfsError('to read', rel, err);
    }
  }

  /** One store() in the kernel: `value` is written in one write() call, exactly as given. */
  write(rel: string, value: string): void {
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.abs(rel), 'w');
      fs.writeSync(fd, value);
    } catch (err) {
      throw configfsError(`to write ${describeForMessage(redactValue(rel, value))} to`, rel, err);
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  mkdir(rel: string): void {
    try {
      fs.mkdirSync(this.abs(rel));
    } catch (err) {
      throw configfsError('to create', rel, err);
    }
    this.#journal?.undo(`remove ${rel}`, () => this.rmdir(rel));
  }

  rmdir(rel: string): void {
    try {
      fs.rmdirSync(this.abs(rel));
    } catch (err) {
      throw configfsError('to remove', rel, err);
    }
    this.#journal?.undo(`make ${rel} again`, () => this.mkdir(rel));
  }

  /** Makes `linkRel` point at `targetRel` (an absolute target path, as rtslib writes). */
  symlink(targetRel: string, linkRel: string): void {
    try {
      fs.symlinkSync(this.abs(targetRel), this.abs(linkRel));
    } catch (err) {
      throw configfsError(`to link ${targetRel} from`, linkRel, err);
    }
    this.#journal?.undo(`unlink ${linkRel}`, () => this.unlink(linkRel));
  }

  unlink(rel: string): void {
    const target = this.#journal ? this.resolve(rel) : undefined;
    try {
      fs.unlinkSync(this.abs(rel));
    } catch (err) {
      throw configfsError('to unlink', rel, err);
    }
    if (target !== undefined) this.#journal?.undo(`link ${rel} again`, () => this.symlink(target, rel));
  }

  /** The entries of a directory: subdirectories, attributes and links, by kind. Missing directory: empty. */
  entries(rel: string): { dirs: string[]; files: string[]; links: string[] } {
    const out = { dirs: [] as string[], files: [] as string[], links: [] as string[] };
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(this.abs(rel), { withFileTypes: true });
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return out;
      throw configfsError('to list', rel, err);
    }
    for (const entry of list) {
      if (entry.isDirectory()) out.dirs.push(entry.name);
      else if (entry.isSymbolicLink()) out.links.push(entry.name);
      else out.files.push(entry.name);
    }
    return out;
  }

  /** Subdirectory names (sorted by fs.readdirSync). */
  dirs(rel: string): string[] {
    return this.entries(rel).dirs;
  }

  exists(rel: string): boolean {
    return fs.existsSync(this.abs(rel));
  }

  isDir(rel: string): boolean {
    try {
      return fs.statSync(this.abs(rel)).isDirectory();
    } catch {
      return false;
    }
  }

  /**
   * Where a link leads, relative to the target root; undefined when it leads outside or is not a link. One
   * readlink: configfs links are relative and point at directories, never at other links, so realpath's walk
   * (an lstat per component) is not needed.
   */
  resolve(rel: string): string | undefined {
    let target: string;
    try {
      target = fs.readlinkSync(this.abs(rel));
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'EINVAL') return undefined;
      throw configfsError('to resolve', rel, err);
    }
    const full = path.resolve(path.dirname(this.abs(rel)), target);
    this.#realRoot ??= fs.realpathSync(this.root);
    for (const base of [this.root, this.#realRoot]) {
      if (full === base) return '';
      if (full.startsWith(`${base}/`)) return full.slice(base.length + 1);
    }
    return undefined;
  }

  /** Mode bits of an attribute (rtslib saves only attributes that are both readable and writable). */
  mode(rel: string): number {
    try {
      return fs.statSync(this.abs(rel)).mode;
    } catch (err) {
      throw configfsError('to examine', rel, err);
    }
  }
}

/** Error messages never show CHAP secrets: a value written to an auth file appears as `***`. */
function redactValue(rel: string, value: string): string {
  return /(^|\/)auth\/|discovery_auth\//.test(rel) && /password/.test(path.basename(rel)) ? '***' : value;
}
