/**
 * User and group names to ids, read from /etc/passwd and /etc/group (no external program, no native code).
 * Accounts served only by NSS modules (LDAP, systemd-homed) are not seen; the system user plugins run as is
 * always a local one.
 */
import { readFileSync } from 'node:fs';

export interface Account {
  name: string;
  uid: number;
  gid: number;
}

function readLines(file: string): string[][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l.length > 0 && !l.startsWith('#')).map((l) => l.split(':'));
}

/** A user by name or numeric id, from a passwd-format file. */
export function lookupUser(nameOrId: string, passwdFile = '/etc/passwd'): Account | undefined {
  for (const fields of readLines(passwdFile)) {
    const [name, , uid, gid] = fields;
    if (name === undefined || uid === undefined || gid === undefined) continue;
    if (name === nameOrId || uid === nameOrId) return { name, uid: Number(uid), gid: Number(gid) };
  }
  if (/^\d+$/.test(nameOrId)) return { name: nameOrId, uid: Number(nameOrId), gid: Number(nameOrId) };
  return undefined;
}

/** A group id by name or number, from a group-format file. */
export function lookupGroup(nameOrId: string, groupFile = '/etc/group'): number | undefined {
  for (const [name, , gid] of readLines(groupFile)) {
    if (name === undefined || gid === undefined) continue;
    if (name === nameOrId || gid === nameOrId) return Number(gid);
  }
  return /^\d+$/.test(nameOrId) ? Number(nameOrId) : undefined;
}
