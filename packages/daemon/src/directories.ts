/**
 * Creating the socket directory and its parents, and checking that nobody but openlsmd can change it.
 *
 * Not `mkdirSync(dir, { recursive: true })`: on Node 20 that never returns for a path under a file system that
 * refuses the creation in an unusual way (`/proc/x/ipc` spins forever at 100% CPU), and a daemon must fail
 * with a message instead. This walks the components itself and stops at the first error.
 */
import { chmodSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';

/** Creates `dir` and missing parents with `mode`; throws the first OS error (ENOTDIR when a part is a file). */
export function makeDirectories(dir: string, mode: number): void {
  const absolute = path.resolve(dir);
  const missing: string[] = [];
  for (let current = absolute; ; current = path.dirname(current)) {
    try {
      if (!statSync(current).isDirectory()) {
        throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.push(current);
      if (path.dirname(current) === current) break;
    }
  }
  for (const part of missing.reverse()) {
    try {
      mkdirSync(part, { mode });
    } catch (err) {
      // Another process (a second daemon starting) may have made it meanwhile; anything else is fatal.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(part).isDirectory()) throw err;
    }
  }
}

const WRITABLE_BY_OTHERS = 0o022;
const STICKY = 0o1000;

function owner(uid: number): string {
  return uid === 0 ? 'root' : `uid ${uid}`;
}

/**
 * Makes sure only openlsmd's user can add, remove or replace entries of the socket directory `dir`, as sshd
 * checks its keys: a plugin process (or any local user) that could write there could unlink a plugin's socket
 * and listen in its place, and receive the next client's password.
 *
 * * `dir` (symbolic links resolved) must belong to openlsmd's user (`daemonUid`); if it is writable by group or
 *   others, those bits are removed and a warning is returned (the old packaging made it 0775 root:openlsm).
 * * Every parent must belong to root or to openlsmd's user, and must not be writable by group or others
 *   unless it is sticky (as /tmp is: there nobody may rename another's directory).
 *
 * Throws PLUGIN_IPC_FAIL (openlsmd does not start) with what to change otherwise.
 */
export function secureSocketDirectory(dir: string, daemonUid: number): string[] {
  const warnings: string[] = [];
  const real = realpathSync(dir);
  const st = statSync(real);
  const fix = daemonUid === 0 ? `chown root:root ${real} && chmod 0755 ${real}` : `chmod 0700 ${real}`;
  if (st.uid !== daemonUid) {
    throw new LsmError(
      ErrorNumber.PLUGIN_IPC_FAIL,
      `The socket directory ${real} belongs to ${owner(st.uid)}, not to openlsmd's user (${owner(daemonUid)}): its owner could replace the plug-in sockets. Fix it (${fix}) or choose another with --socket-dir`,
    );
  }
  if (st.mode & WRITABLE_BY_OTHERS) {
    const mode = st.mode & 0o7777 & ~WRITABLE_BY_OTHERS;
    chmodSync(real, mode);
    warnings.push(`The socket directory ${real} was writable by its group or by others (mode 0${(st.mode & 0o7777).toString(8)}), so a plug-in or a local user could replace the sockets: openlsmd changed it to 0${mode.toString(8)}. Fix whatever creates it (packaging/tmpfiles.d/openlsmd.conf makes it 0755 root:root)`);
  }
  for (let parent = path.dirname(real); ; parent = path.dirname(parent)) {
    const p = statSync(parent);
    if (p.uid !== 0 && p.uid !== daemonUid) {
      throw new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `The socket directory ${real} is inside ${parent}, which belongs to ${owner(p.uid)}: its owner could replace the socket directory. Choose another with --socket-dir`);
    }
    if ((p.mode & WRITABLE_BY_OTHERS) && !(p.mode & STICKY)) {
      throw new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `The socket directory ${real} is inside ${parent}, which others may write to (mode 0${(p.mode & 0o7777).toString(8)}, not sticky): they could replace the socket directory. Run chmod go-w ${parent} or choose another with --socket-dir`);
    }
    if (path.dirname(parent) === parent) break;
  }
  return warnings;
}
