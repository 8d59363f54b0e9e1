/**
 * What the plugin checks before anything reaches targetd, which checks little itself: LVM volume names go to
 * `lvcreate` unchecked, names end up in configfs paths (`<vg>:<volume>` storage objects, ACL tags), CHAP
 * secrets are written to configfs files, NFS hosts into /etc/exports.d. The whitelists are targetd's own API
 * rule (`[a-zA-Z0-9_-]`), initiator names as rtslib accepts them, and printable text for CHAP.
 */
import { describeForMessage, ErrorNumber, LsmError, normalizeInitiator } from '@openlsm/core';

/** LVM's limit on an LV name; also applied to the other names, which share their paths. */
export const NAME_MAX_LENGTH = 127;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;
// rtslib-fb's rule for iSCSI names: after the date another '.' somewhere.
const RTSLIB_IQN = /^iqn\.\d{4}-[01]\d\..*\..*$/;
const CHAP_TEXT = /^[\x21-\x7e]+$/;
const CHAP_MAX_LENGTH = 255;
const NFS_HOST = /^[A-Za-z0-9_.:*?@/[\]][A-Za-z0-9_.:*?@/[\]-]*$/;
const NFS_HOST_MAX_LENGTH = 255;

function shown(value: string): string {
  return typeof value === 'string' ? describeForMessage(value) : `(${typeof value})`;
}

/** A volume, file-system, snapshot or access-group name targetd can take safely. */
export function checkName(kind: string, name: string): string {
  if (typeof name === 'string' && name.length >= 1 && name.length <= NAME_MAX_LENGTH && NAME.test(name)) return name;
  throw new LsmError(ErrorNumber.INVALID_ARGUMENT,
    `Invalid ${kind} name ${shown(name)}: targetd takes 1-${NAME_MAX_LENGTH} letters, digits, '_' and '-' (not starting with '-')`);
}

/**
 * An iSCSI initiator name as LIO stores it: lower-cased (targetd compares the name it is sent with the stored,
 * lower-cased ones), and of a form rtslib accepts (an iqn needs a dot after its date, no '_').
 */
export function iscsiInitiator(id: string): string {
  const name = normalizeInitiator(id, 5).id.toLowerCase();
  if (name.startsWith('iqn.') && (!RTSLIB_IQN.test(name) || name.includes('_'))) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT,
      `${shown(id)} is not an iSCSI name LIO accepts: use iqn.yyyy-mm.reversed.domain[:name] with at least two domain labels and no '_'`);
  }
  return name;
}

/** A CHAP user name or secret, or null/empty to clear that direction (as targetd does). */
export function chapValue(what: string, value: string | null): string | null {
  if (value === null || value === '') return null;
  if (typeof value === 'string' && value.length <= CHAP_MAX_LENGTH && CHAP_TEXT.test(value)) return value;
  // The value may be a secret: never quote it.
  throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid CHAP ${what}: use 1-${CHAP_MAX_LENGTH} printable ASCII characters without spaces`);
}

/** An NFS client as exports(5) names it: host, address, network, wildcard or @netgroup. */
export function nfsHost(host: string): string {
  if (typeof host === 'string' && host.length <= NFS_HOST_MAX_LENGTH && NFS_HOST.test(host)) return host;
  throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Invalid NFS host ${shown(host)}: use a host name, an address, a network (a.b.c.d/n), a wildcard or an @netgroup`);
}
