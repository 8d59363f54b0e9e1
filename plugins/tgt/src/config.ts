/**
 * The tgt plugin's configuration: a YAML file (default /etc/openlsm/tgt.yaml, or `tgt://?config=<file>`).
 *
 * ```yaml
 * socket: /var/run/tgtd/socket.0        # tgtd's management socket
 * state_dir: /var/lib/openlsm/tgt       # the plugin's own state (tgtd keeps none)
 * target_prefix: iqn.2024-01.org.openlsm
 * portals: [192.0.2.10:3260]           # portals the plugin makes tgtd listen on (none by default)
 * pools:
 *   - name: images
 *     directory: /srv/openlsm/images
 *   - name: disks
 *     devices: [/dev/disk/by-id/wwn-0x5000c500a1b2c3d4]
 * ```
 *
 * The file decides which directories receive files and which block devices are exported, as whatever user the
 * plugin runs as (root, under openlsmd). So it must belong to root or to that user and be writable by nobody
 * else; a file anyone could have written is refused, as sshd refuses such a key file.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeForMessage, ErrorNumber, LsmError } from '@openlsm/core';
import { parseDocument } from 'yaml';
import { deviceVolumeName } from './naming.js';
import { backingPath, isWildcardHost, parsePortal, type PortalAddress } from './tgtd/payload.js';

export const DEFAULT_CONFIG_FILE = '/etc/openlsm/tgt.yaml';
export const DEFAULT_SOCKET = '/var/run/tgtd/socket.0';
export const DEFAULT_STATE_DIR = '/var/lib/openlsm/tgt';
export const DEFAULT_TARGET_PREFIX = 'iqn.2024-01.org.openlsm';

export interface DirectoryPoolConfig {
  kind: 'directory';
  name: string;
  directory: string;
}

export interface DevicePoolConfig {
  kind: 'devices';
  name: string;
  devices: string[];
}

export type PoolConfig = DirectoryPoolConfig | DevicePoolConfig;

export interface TgtConfig {
  file: string;
  socket: string;
  stateDir: string;
  targetPrefix: string;
  portals: PortalAddress[];
  systemName: string;
  pools: PoolConfig[];
}

const TOP_KEYS = ['socket', 'state_dir', 'target_prefix', 'portals', 'listen_on_all_addresses', 'system_name', 'pools'];
const POOL_NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
// iqn.yyyy-mm.reversed.domain, lower case (initiators lower-case target names before logging in).
const PREFIX_RE = /^iqn\.[0-9]{4}-(?:0[1-9]|1[0-2])\.[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;
const PREFIX_MAX = 100;

function fail(file: string, what: string): never {
  throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `${file}: ${what}`);
}

/** Refuses a configuration file that someone other than root or this process's user could have written. */
function checkOwnership(file: string): void {
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(file, 'no such configuration file (see docs/plugins/tgt.md for an example)');
    fail(file, `cannot be read: ${code ?? String(err)}`);
  }
  if (!st.isFile()) fail(file, 'is not a regular file');
  const uid = process.getuid?.() ?? 0;
  if (st.uid !== 0 && st.uid !== uid) fail(file, `belongs to uid ${st.uid}; it must belong to root or to uid ${uid}, which runs the plugin`);
  if ((st.mode & 0o022) !== 0) fail(file, `is writable by ${st.mode & 0o002 ? 'everyone' : 'its group'} (mode ${(st.mode & 0o777).toString(8)}); make it writable by its owner only`);
}

function absolutePath(file: string, key: string, value: unknown): string {
  if (typeof value !== 'string' || !path.isAbsolute(value) || /[\x00-\x1f\x7f]/.test(value)) fail(file, `${key} must be an absolute path`);
  return path.normalize(value);
}

function parsePool(file: string, raw: unknown, index: number): PoolConfig {
  const where = `pools[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, `${where} must be a mapping with name and directory or devices`);
  const entry = raw as Record<string, unknown>;
  for (const key of Object.keys(entry)) {
    if (!['name', 'directory', 'devices'].includes(key)) fail(file, `${where}.${key} is not a pool setting (known: name, directory, devices)`);
  }
  const name = entry.name;
  if (typeof name !== 'string' || !POOL_NAME_RE.test(name)) fail(file, `${where}.name must be 1-64 letters, digits, '_' or '-'`);
  if ((entry.directory === undefined) === (entry.devices === undefined)) fail(file, `${where} needs either directory or devices`);
  if (entry.directory !== undefined) {
    // Image paths reach tgtd's payload, which has no escaping: the directory must pass the same whitelist.
    const directory = backingPath(absolutePath(file, `${where}.directory`, entry.directory));
    return { kind: 'directory', name, directory };
  }
  if (!Array.isArray(entry.devices) || entry.devices.length === 0) fail(file, `${where}.devices must be a list of block device paths`);
  const devices = entry.devices.map((d, i) => backingPath(absolutePath(file, `${where}.devices[${i}]`, d)));
  const volumeNames = devices.map(deviceVolumeName);
  if (new Set(volumeNames).size !== volumeNames.length) fail(file, `${where}.devices: two devices have the same file name, which names their volume`);
  return { kind: 'devices', name, devices };
}

/** Parses and validates the configuration text; `file` labels the messages. */
export function parseConfig(text: string, file: string): TgtConfig {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors[0]) fail(file, (doc.errors[0].message.split('\n')[0] as string));
  const root: unknown = doc.toJS() ?? {};
  if (typeof root !== 'object' || root === null || Array.isArray(root)) fail(file, 'must be a mapping of settings');
  const top = root as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (!TOP_KEYS.includes(key)) fail(file, `${describeForMessage(key)} is not a setting (known: ${TOP_KEYS.join(', ')})`);
  }
  const socket = top.socket === undefined ? DEFAULT_SOCKET : absolutePath(file, 'socket', top.socket);
  // sun_path holds 107 bytes and a NUL.
  if (Buffer.byteLength(socket) > 107) fail(file, 'socket is longer than a Unix socket path may be (107 bytes)');
  const stateDir = top.state_dir === undefined ? DEFAULT_STATE_DIR : absolutePath(file, 'state_dir', top.state_dir);
  const targetPrefix = top.target_prefix ?? DEFAULT_TARGET_PREFIX;
  if (typeof targetPrefix !== 'string' || targetPrefix.length > PREFIX_MAX || !PREFIX_RE.test(targetPrefix)) {
    fail(file, `target_prefix must be a lower-case iqn.yyyy-mm.reversed.domain name of at most ${PREFIX_MAX} characters`);
  }
  const allowWildcard = top.listen_on_all_addresses ?? false;
  if (typeof allowWildcard !== 'boolean') fail(file, 'listen_on_all_addresses must be true or false');
  const rawPortals = top.portals ?? [];
  if (!Array.isArray(rawPortals)) fail(file, 'portals must be a list such as [192.0.2.10:3260]');
  const portals = rawPortals.map((p) => {
    const portal = parsePortal(String(p));
    if (isWildcardHost(portal.host) && !allowWildcard) {
      fail(file, `portal ${String(p)} listens on every address; name the addresses to serve, or set listen_on_all_addresses: true`);
    }
    return portal;
  });
  const systemName = top.system_name ?? `tgtd at ${socket}`;
  if (typeof systemName !== 'string' || systemName.length === 0 || systemName.length > 255 || /[\x00-\x1f\x7f]/.test(systemName)) {
    fail(file, 'system_name must be 1-255 printable characters');
  }
  const rawPools = top.pools ?? [];
  if (!Array.isArray(rawPools)) fail(file, 'pools must be a list');
  const pools = rawPools.map((p, i) => parsePool(file, p, i));
  const names = new Set<string>();
  for (const p of pools) {
    if (names.has(p.name)) fail(file, `pool name ${p.name} is used twice`);
    names.add(p.name);
  }
  return { file, socket, stateDir, targetPrefix, portals, systemName, pools };
}

/** Reads, checks (ownership, mode) and parses the configuration file. */
export function loadConfig(file: string = DEFAULT_CONFIG_FILE): TgtConfig {
  const absolute = absolutePath(file, 'the configuration file', file);
  checkOwnership(absolute);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    fail(absolute, `cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseConfig(text, absolute);
}
