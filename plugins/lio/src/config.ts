/**
 * The lio plugin's settings: an optional YAML file (default /etc/openlsm/lio.yaml) and a few URI parameters.
 *
 * ```yaml
 * target_iqn: iqn.2003-01.com.example:array1     # default: iqn.2003-01.org.linux-iscsi.<host>.<arch>:openlsm
 * portals: ["0.0.0.0:3260"]                      # where the target listens
 * pools:
 *   images: { directory: /var/lib/openlsm/lio }   # sparse image files, served as fileio objects
 *   disks: { devices: [/dev/disk/by-id/wwn-0x5000c500a1b2c3d4] }   # whole devices, served as block objects
 * saveconfig: /etc/rtslib-fb-target/saveconfig.json
 * state_file: /etc/rtslib-fb-target/openlsm-lio.json
 * ```
 *
 * URI parameters override the file: `lio://?config=FILE&configfs=ROOT&saveconfig=FILE&state=FILE`. The file is
 * validated strictly: an unknown key or a wrong type is INVALID_ARGUMENT naming it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeForMessage, ErrorNumber, LsmError, validateName } from '@openlsm/core';
import { parse as parseYaml } from 'yaml';
import { REAL_CONFIGFS } from './kernel.js';
import { normalizeIscsiName, parsePortal, type Portal, validateFileioPath } from './configfs/names.js';

export const DEFAULT_CONFIG_FILE = '/etc/openlsm/lio.yaml';
export const DEFAULT_POOL_DIR = '/var/lib/openlsm/lio';
/** The pool that lists storage objects openlsm did not make; no configured pool may use the name. */
export const EXTERNAL_POOL = 'external';

export type PoolConfig =
  | { name: string; kind: 'directory'; directory: string }
  | { name: string; kind: 'block'; devices: string[] };

export interface LioConfig {
  /** Where configfs is mounted; `<configfs>/target` is LIO's tree. */
  configfs: string;
  saveconfig: string;
  stateFile: string;
  lockFile: string;
  targetIqn: string;
  portals: Portal[];
  pools: PoolConfig[];
  /** Where rtslib keeps the kernel's persistent-reservation and ALUA metadata (dbroot): the saveconfig directory. */
  dbroot: string;
}

function bad(message: string): LsmError {
  return new LsmError(ErrorNumber.INVALID_ARGUMENT, message);
}

/** targetcli's default saveconfig.json for this distribution: Debian patches rtslib to its own directory. */
export function defaultSaveconfig(osRelease = '/etc/os-release'): string {
  let text = '';
  try {
    text = fs.readFileSync(osRelease, 'utf8');
  } catch {
    // no os-release: assume upstream
  }
  const ids = /^(?:ID|ID_LIKE)=(.*)$/gm;
  for (let m = ids.exec(text); m; m = ids.exec(text)) {
    if (/\b(debian|ubuntu)\b/.test((m[1] as string).replaceAll('"', ''))) return '/etc/rtslib-fb-target/saveconfig.json';
  }
  return '/etc/target/saveconfig.json';
}

/** rtslib's generated target name, made stable: `iqn.2003-01.org.linux-iscsi.<host>.<arch>:openlsm`. */
export function defaultTargetIqn(): string {
  const host = os.hostname().split('.')[0]?.toLowerCase().replace(/[^a-z0-9-]/g, '') || 'localhost';
  const arch = os.machine().toLowerCase().replace(/[^a-z0-9]/g, '');
  return `iqn.2003-01.org.linux-iscsi.${host}.${arch}:openlsm`;
}

function absolute(what: string, value: unknown): string {
  if (typeof value !== 'string' || !path.isAbsolute(value) || /[\x00-\x1f\x7f]/.test(value)) {
    throw bad(`${what} must be an absolute path, got ${describeForMessage(String(value))}`);
  }
  return path.normalize(value);
}

function parsePools(value: unknown, file: string): PoolConfig[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${file}: pools must be a mapping of pool names`);
  return Object.entries(value as Record<string, unknown>).map(([name, spec]) => {
    validateName('pool', name, { maxLength: 64 });
    if (name === EXTERNAL_POOL) throw bad(`${file}: the pool name "${EXTERNAL_POOL}" is reserved for storage objects openlsm did not make`);
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw bad(`${file}: pools.${name} must be { directory: PATH } or { devices: [PATH, ...] }`);
    const s = spec as Record<string, unknown>;
    const keys = Object.keys(s);
    if (keys.length === 1 && keys[0] === 'directory') {
      return { name, kind: 'directory', directory: validateFileioPath(absolute(`pools.${name}.directory`, s.directory)) };
    }
    if (keys.length === 1 && keys[0] === 'devices' && Array.isArray(s.devices) && s.devices.length > 0) {
      return { name, kind: 'block', devices: s.devices.map((d, i) => validateFileioPath(absolute(`pools.${name}.devices[${i}]`, d))) };
    }
    throw bad(`${file}: pools.${name} must be { directory: PATH } or { devices: [PATH, ...] } (got keys ${keys.join(', ') || 'none'})`);
  });
}

const KEYS = new Set(['target_iqn', 'portals', 'pools', 'saveconfig', 'state_file']);

function readFileSettings(file: string, required: boolean): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !required) return {};
    throw bad(`Cannot read the lio configuration ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    throw bad(`${file}: ${(err as Error).message.split('\n')[0] ?? 'not YAML'}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw bad(`${file} must be a mapping of settings`);
  for (const key of Object.keys(doc)) if (!KEYS.has(key)) throw bad(`${file}: unknown setting ${describeForMessage(key)} (known: ${[...KEYS].join(', ')})`);
  return doc as Record<string, unknown>;
}

/** The lock file for a configfs root: every process changing the same tree must agree on it. */
export function lockFileFor(configfs: string): string {
  const digest = createHash('sha256').update(configfs).digest('hex').slice(0, 16);
  const dir = fs.existsSync('/run/lock') ? '/run/lock' : os.tmpdir();
  return path.join(dir, `openlsm-lio-${digest}.lock`);
}

/** The settings for a session from its URI parameters. */
export function loadConfig(parameters: Record<string, string>): LioConfig {
  for (const key of Object.keys(parameters)) {
    if (!['config', 'configfs', 'saveconfig', 'state'].includes(key)) {
      throw bad(`Unknown lio:// parameter ${describeForMessage(key)}: use config, configfs, saveconfig or state`);
    }
  }
  const file = parameters.config !== undefined ? absolute('config', parameters.config) : DEFAULT_CONFIG_FILE;
  const settings = readFileSettings(file, parameters.config !== undefined);
  const configfs = parameters.configfs !== undefined ? absolute('configfs', parameters.configfs) : REAL_CONFIGFS;
  const saveconfig = absolute('saveconfig', parameters.saveconfig ?? settings.saveconfig ?? defaultSaveconfig());
  const stateFile = absolute('state file', parameters.state ?? settings.state_file ?? path.join(path.dirname(saveconfig), 'openlsm-lio.json'));
  const targetIqn = normalizeIscsiName(typeof settings.target_iqn === 'string' ? settings.target_iqn : defaultTargetIqn(), 'target_iqn');
  let portals: Portal[] = [parsePortal('0.0.0.0:3260')];
  if (settings.portals !== undefined) {
    if (!Array.isArray(settings.portals) || !settings.portals.every((p) => typeof p === 'string')) throw bad(`${file}: portals must be a list of "ip:port" strings`);
    portals = settings.portals.map((p) => parsePortal(p as string));
  }
  const pools = settings.pools === undefined
    ? [{ name: 'default', kind: 'directory' as const, directory: DEFAULT_POOL_DIR }]
    : parsePools(settings.pools, file);
  return { configfs, saveconfig, stateFile, lockFile: lockFileFor(configfs), targetIqn, portals, pools, dbroot: path.dirname(saveconfig) };
}
