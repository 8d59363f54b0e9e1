/**
 * What may reach a configfs path or an iSCSI name, checked before anything is written. The kernel itself checks
 * little (no IQN syntax at all, any directory name for a storage object), and rtslib, targetcli and targetd
 * then fail to load a tree holding a name they consider invalid; so the rules here are rtslib's, on top of
 * openlsm's own name whitelist.
 */
import net from 'node:net';
import { describeForMessage, ErrorNumber, InitiatorType, LsmError, normalizeInitiator, validateName } from '@openlsm/core';

/** The kernel's limit on target and initiator names (ISCSI_IQN_LEN and TRANSPORT_IQN_LEN are 224 with the NUL). */
export const ISCSI_NAME_MAX = 223;
/** fileio keeps its file name in a 256-byte buffer (FD_MAX_DEV_NAME) and silently cuts longer ones. */
export const FD_DEV_NAME_MAX = 255;
/** The ACL tag buffer is 64 bytes (MAX_ACL_TAG_SIZE). */
export const TAG_MAX = 63;
/** rtslib refuses CHAP values longer than this. */
export const CHAP_MAX = 255;

const RTSLIB_IQN = /^iqn\.[0-9]{4}-[0-1][0-9]\..*\..*$/;
const RTSLIB_NAA = /^naa\.[125][0-9a-f]{15}$/;
const RTSLIB_EUI = /^eui\.[0-9a-f]{16}$/;
const TAG_RE = /^[A-Za-z0-9_-]+$/;
const CHAP_RE = /^[\x21-\x7e]+$/;

function invalid(message: string): LsmError {
  return new LsmError(ErrorNumber.INVALID_ARGUMENT, message);
}

/**
 * A volume name: openlsm's whitelist (no `/`, whitespace, `..` or leading `-`), at most 190 characters so that
 * `<name>.img` is a valid image name. It is also the storage object's name in configfs and saveconfig.json.
 */
export function validateVolumeName(name: string): string {
  return validateName('volume', name, { maxLength: 190 });
}

/**
 * An iSCSI name (target or initiator) as LIO and rtslib accept it, normalised as rtslib stores it (lower case).
 * `what` names it in messages ("initiator", "target IQN").
 */
export function normalizeIscsiName(id: string, what: string): string {
  const lower = normalizeInitiator(id, InitiatorType.ISCSI_IQN).id.toLowerCase();
  const shown = describeForMessage(id);
  if (lower.length > ISCSI_NAME_MAX) throw invalid(`${what} ${shown} is longer than ${ISCSI_NAME_MAX} characters`);
  if (lower.startsWith('iqn.')) {
    if (lower.includes('_')) throw invalid(`${what} ${shown} contains '_', which LIO's tools (rtslib, targetcli) refuse in an IQN`);
    if (!RTSLIB_IQN.test(lower)) throw invalid(`${what} ${shown} is not an IQN rtslib accepts: iqn.yyyy-mm.reversed.domain[:name], with at least two dots`);
  } else if (lower.startsWith('naa.') && !RTSLIB_NAA.test(lower)) {
    throw invalid(`${what} ${shown} is not an NAA name LIO accepts: naa. followed by 16 hex digits starting with 1, 2 or 5`);
  } else if (lower.startsWith('eui.') && !RTSLIB_EUI.test(lower)) {
    throw invalid(`${what} ${shown} is not an EUI name: eui. followed by 16 hex digits`);
  }
  return lower;
}

/** Whether `name` can be an ACL tag as targetd writes them (its access-group rule, which also excludes '.'). */
export function isTagName(name: string): boolean {
  return name.length >= 1 && name.length <= TAG_MAX && TAG_RE.test(name);
}

/** A path the fileio backstore gets in `control`: absolute, under 256 bytes, without the ',' and newline the parser splits at. */
export function validateFileioPath(file: string): string {
  if (!file.startsWith('/') || /[,\n\r\x00-\x1f\x7f]/.test(file) || /\s/.test(file)) {
    throw invalid(`Path ${describeForMessage(file)} cannot be given to LIO's fileio backstore: it must be absolute, without commas, spaces or control characters`);
  }
  if (Buffer.byteLength(file) > FD_DEV_NAME_MAX) {
    throw invalid(`Path ${describeForMessage(file)} is longer than the ${FD_DEV_NAME_MAX} bytes LIO's fileio backstore keeps`);
  }
  return file;
}

/** A CHAP user name or secret: 1..255 printable ASCII characters without spaces, and not the kernel's "NULL". */
export function validateChapValue(what: string, value: string): string {
  if (value.length > CHAP_MAX || !CHAP_RE.test(value) || value === 'NULL') {
    throw invalid(`Invalid ${what}: use 1-${CHAP_MAX} printable ASCII characters without spaces (and not "NULL")`);
  }
  return value;
}

export interface Portal {
  /** As LIO names it: `1.2.3.4` or `[::1]`. */
  ip: string;
  port: number;
}

/** Parses `ip[:port]` or `[ipv6][:port]` (port default 3260) into LIO's portal directory form. */
export function parsePortal(text: string): Portal {
  const bad = () => invalid(`Invalid portal ${describeForMessage(text)}: use ip[:port] or [ipv6][:port], such as 0.0.0.0:3260 or [::]:3260`);
  let host: string;
  let port = '3260';
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(text);
  if (v6) {
    host = v6[1] as string;
    if (v6[2]) port = v6[2];
    if (net.isIPv6(host) === false) throw bad();
  } else {
    const v4 = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(text);
    if (!v4 || !net.isIPv4(v4[1] as string)) throw bad();
    host = v4[1] as string;
    if (v4[2]) port = v4[2];
  }
  const n = Number(port);
  if (n < 1 || n > 65535) throw bad();
  return { ip: net.isIPv6(host) ? `[${host}]` : host, port: n };
}

export function portalDir(portal: Portal): string {
  return `${portal.ip}:${portal.port}`;
}
