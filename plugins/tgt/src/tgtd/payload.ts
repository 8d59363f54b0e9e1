/**
 * What may go into a tgtd payload. tgtd splits `key=value,key=value` on commas without any escaping, takes some
 * values to the end of the buffer, and crashes on a target without a name, so every value is checked against a
 * whitelist here, before a byte is sent. Each checker returns its input unchanged or throws INVALID_ARGUMENT
 * naming the field; none of them ever quotes a CHAP secret.
 */
import { describeForMessage, ErrorNumber, LsmError } from '@openlsm/core';

function refuse(what: string, value: string, rule: string): never {
  const shown = typeof value === 'string' ? describeForMessage(value) : `(${typeof value})`;
  throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ${what} ${shown}: ${rule}`);
}

function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

// tgtd itself accepts target names of these characters only (iscsi_target_create).
const TARGET_NAME_RE = /^[A-Za-z0-9:.-]+$/;
/** RFC 3720's limit on an iSCSI name. */
export const ISCSI_NAME_MAX_BYTES = 223;

/** An iSCSI target name as tgtd accepts it: 1-223 of `[A-Za-z0-9:.-]`. */
export function targetName(name: string): string {
  if (typeof name === 'string' && name.length <= ISCSI_NAME_MAX_BYTES && TARGET_NAME_RE.test(name)) return name;
  return refuse('target name', name, `use 1-${ISCSI_NAME_MAX_BYTES} letters, digits, '.', ':' or '-'`);
}

// No comma (tgtd's separator), no space, no control character, no shell or glob character; a path of plain names.
const PATH_RE = /^\/[A-Za-z0-9_.:+@/-]*$/;
const PATH_MAX = 4095;

/** An absolute backing-store path without commas, spaces, control characters or `.`/`..` components. */
export function backingPath(path: string): string {
  if (typeof path === 'string' && path.length <= PATH_MAX && PATH_RE.test(path)
    && !path.split('/').some((part) => part === '.' || part === '..')) {
    return path;
  }
  return refuse('backing store path', path, "use an absolute path of letters, digits and '_', '.', ':', '+', '@', '-', '/' without '.' or '..' components");
}

// An initiator name reaches tgtd as the rest of the buffer and comes back one per line in `show target`, so it
// must hold no comma, whitespace or control character. @openlsm/core has already normalised it to lsm's rules.
const INITIATOR_NAME_FORBIDDEN_RE = /[\s,\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

export function initiatorName(name: string): string {
  if (typeof name === 'string' && name.length > 0 && utf8Bytes(name) <= ISCSI_NAME_MAX_BYTES && !INITIATOR_NAME_FORBIDDEN_RE.test(name)) {
    return name;
  }
  return refuse('initiator name', name, `use an iSCSI name of at most ${ISCSI_NAME_MAX_BYTES} bytes without commas, spaces or control characters`);
}

// tgtd cuts `user=` at the first comma when creating an account.
const CHAP_USER_RE = /^[A-Za-z0-9_.:@-]{1,255}$/;

export function chapUser(user: string): string {
  if (typeof user === 'string' && CHAP_USER_RE.test(user)) return user;
  return refuse('CHAP user name', user, "use 1-255 letters, digits, '_', '.', ':', '@' or '-'");
}

// tgtd takes the password to the end of the buffer; it copies at most 255 bytes of it into a login exchange.
const CHAP_SECRET_RE = /^[\x21-\x7e]{1,255}$/;

/** A CHAP secret: 1-255 printable ASCII characters without spaces. The secret is never part of the message. */
export function chapSecret(secret: string, what = 'CHAP secret'): string {
  if (typeof secret === 'string' && CHAP_SECRET_RE.test(secret)) return secret;
  throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid ${what}: use 1-255 printable ASCII characters without spaces`);
}

const SCSI_ID_RE = /^[0-9a-f]{24}$/;

/** tgtd's per-LU SCSI id: stored in 24 characters; 24 hex digits also become the LU's NAA-6 designator. */
export function scsiId(id: string): string {
  if (typeof id === 'string' && SCSI_ID_RE.test(id)) return id;
  return refuse('SCSI id', id, 'use 24 lower-case hex digits');
}

const SCSI_SN_RE = /^[A-Za-z0-9]{1,32}$/;

export function scsiSerial(sn: string): string {
  if (typeof sn === 'string' && SCSI_SN_RE.test(sn)) return sn;
  return refuse('SCSI serial number', sn, 'use 1-32 letters or digits');
}

const IPV4_RE = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
const IPV6_RE = /^[0-9A-Fa-f:.]{2,45}$/;

export interface PortalAddress {
  host: string;
  port: number;
}

/** Parses `<ipv4>:<port>` or `[<ipv6>]:<port>` (tgtd's portal syntax); host names are not accepted. */
export function parsePortal(text: string): PortalAddress {
  const m = typeof text === 'string' ? /^(?:\[([^\]]+)\]|([0-9.]+)):([0-9]{1,5})$/.exec(text) : null;
  const host = m ? (m[1] ?? m[2] ?? '') : '';
  const port = m ? Number(m[3]) : 0;
  const hostOk = m?.[1] !== undefined ? IPV6_RE.test(host) && host.includes(':') : IPV4_RE.test(host);
  if (!m || !hostOk || port < 1 || port > 65535) {
    return refuse('portal', text, 'use <IPv4 address>:<port> or [<IPv6 address>]:<port>, e.g. 127.0.0.1:3260');
  }
  return { host, port };
}

/** `host:port` as tgtd writes it (IPv6 in brackets). */
export function formatPortal(p: PortalAddress): string {
  return p.host.includes(':') ? `[${p.host}]:${p.port}` : `${p.host}:${p.port}`;
}

/** True for the wildcard addresses a portal must never be bound to by default. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || /^[0:]+$/.test(host);
}

/** Joins checked `key=value` items with tgtd's separator. Keys are this module's constants, never input. */
export function joinPayload(items: readonly (readonly [string, string])[]): string {
  return items.map(([k, v]) => `${k}=${v}`).join(',');
}
