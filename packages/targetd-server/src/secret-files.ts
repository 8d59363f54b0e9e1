/**
 * Reading the TLS certificate and key (and a backend password file) with targetd's start-up checks: the file
 * must be a regular file, owned by root, not readable or writable by group or others, and readable by its owner;
 * otherwise start-up fails with targetd's own message, e.g.
 * `SSL file: '/etc/target/targetd_key.pem' incorrect permissions (0o644), ensure file is _not_ readable or
 * writeable by anyone other than owner, and that owner can read.`
 *
 * One difference: when the server does not run as root, a file owned by the server's own user is accepted too
 * (a root-owned 0600 file could not be read at all). The file is opened once and checked through that open
 * descriptor, so it cannot be swapped between the check and the read, and a FIFO cannot block start-up.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { ErrorNumber, LsmError } from '@openlsm/core';

function refused(message: string): LsmError {
  return new LsmError(ErrorNumber.INVALID_ARGUMENT, message);
}

function octal(mode: number): string {
  return `0o${(mode & 0o777).toString(8)}`;
}

/** The contents of `file` after targetd's checks; `label` starts each message (`SSL file`). */
export function readProtectedFile(file: string, label = 'SSL file'): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw refused(`${label}: '${file}' does not exist.`);
    throw refused(`${label}: '${file}' cannot be opened (${code ?? (err as Error).message}).`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw refused(`${label}: '${file}' is not a regular file.`);
    const self = process.geteuid?.() ?? 0;
    if (st.uid !== 0 && st.uid !== self) throw refused(`${label}: '${file}' not owned by root.`);
    if ((st.mode & 0o077) !== 0 || (st.mode & 0o400) === 0) {
      throw refused(`${label}: '${file}' incorrect permissions (${octal(st.mode)}), ensure file is _not_ readable or writeable by anyone other than owner, and that owner can read.`);
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
