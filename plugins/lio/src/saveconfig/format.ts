/**
 * saveconfig.json, the file targetcli, targetctl and targetd persist LIO's configuration in (lio-configfs
 * reference §8): its shape, and the exact text rtslib writes (`json.dumps(config, sort_keys=True, indent=2)`
 * and a newline), so that a file we write is byte for byte what targetcli would write for the same tree.
 */
import { ErrorNumber, LsmError } from '@openlsm/core';

export type AttrValue = number | string;
export type AttrMap = Record<string, AttrValue>;

export interface StorageObjectDump {
  name: string;
  plugin: string;
  attributes?: AttrMap;
  alua_tpgs: Record<string, AttrValue>[];
  dev?: string;
  size?: number;
  wwn?: string;
  write_back?: boolean;
  aio?: boolean;
  readonly?: boolean;
  nullio?: boolean;
  config?: string | null;
  hw_max_sectors?: number;
  control?: string;
}

export interface LunDump {
  alias: string;
  alua_tg_pt_gp_name: string | null;
  index: number;
  storage_object: string;
}

export interface PortalDump {
  ip_address: string;
  iser: boolean;
  offload: boolean;
  port: number;
}

export interface MappedLunDump {
  alias: string;
  index: number;
  tpg_lun: number;
  write_protect: boolean;
}

export interface ChapDump {
  chap_userid?: string;
  chap_password?: string;
  chap_mutual_userid?: string;
  chap_mutual_password?: string;
}

export interface NodeAclDump extends ChapDump {
  node_wwn: string;
  attributes?: AttrMap;
  mapped_luns: MappedLunDump[];
  tag?: string;
}

export interface TpgDump extends ChapDump {
  tag: number;
  enable: boolean;
  attributes?: AttrMap;
  parameters?: Record<string, string>;
  luns: LunDump[];
  portals: PortalDump[];
  node_acls: NodeAclDump[];
}

export interface TargetDump {
  wwn: string;
  fabric: string;
  tpgs: TpgDump[];
  parameters?: Record<string, string>;
}

export interface FabricModuleDump {
  name: string;
  discovery_enable_auth: boolean;
  discovery_userid?: string;
  discovery_password?: string;
  discovery_mutual_userid?: string;
  discovery_mutual_password?: string;
}

export interface SaveConfig {
  fabric_modules: FabricModuleDump[];
  storage_objects: StorageObjectDump[];
  targets: TargetDump[];
}

export const emptySaveConfig = (): SaveConfig => ({ fabric_modules: [], storage_objects: [], targets: [] });

/** Python's json string quoting with ensure_ascii: everything outside ' '..'~' as an escape, lower-case hex. */
function pyString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) out += s[i];
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

function pyDumps(value: unknown, level: number): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new LsmError(ErrorNumber.PLUGIN_BUG, `saveconfig value ${value} is not an integer`);
    return String(value);
  }
  if (typeof value === 'string') return pyString(value);
  const pad = '  '.repeat(level + 1);
  const end = '  '.repeat(level);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + pyDumps(v, level + 1)).join(',\n')}\n${end}]`;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${pad}${pyString(k)}: ${pyDumps((value as Record<string, unknown>)[k], level + 1)}`).join(',\n')}\n${end}}`;
  }
  throw new LsmError(ErrorNumber.PLUGIN_BUG, `saveconfig cannot hold a ${typeof value}`);
}

/** The file's text, as rtslib's save_to_file() writes it. */
export function formatSaveConfig(config: SaveConfig): string {
  return `${pyDumps(config, 0)}\n`;
}

/** rtslib's int(): a value that parses as an integer is saved as one, anything else as the string. */
export function attrValue(text: string): AttrValue {
  return /^[+-]?\d+(?:_\d+)*$/.test(text) ? Number(text.replaceAll('_', '')) : text;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a saveconfig document as rtslib does: the three lists may be missing, their entries are checked when
 * used (a restore skips a broken entry with a message, as rtslib does). Anything that is not an object of
 * lists is refused.
 */
export function parseSaveConfig(text: string, file: string): SaveConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `${file} is not JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `${file} is not a saveconfig.json document (not an object)`);
  const list = (key: string): unknown[] => {
    const v = doc[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every(isObject)) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `${file}: "${key}" must be a list of objects`);
    }
    return v;
  };
  return {
    fabric_modules: list('fabric_modules') as FabricModuleDump[],
    storage_objects: list('storage_objects') as StorageObjectDump[],
    targets: list('targets') as TargetDump[],
  };
}
