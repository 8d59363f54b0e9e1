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

/** A copy with every object's keys in sorted order (Python's sort_keys=True); undefined members dropped. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new LsmError(ErrorNumber.PLUGIN_BUG, `saveconfig value ${value} is not an integer`);
  }
  return value;
}

/**
 * The file's text, as rtslib's save_to_file() writes it: JSON.stringify with an indent of 2 lays out exactly
 * as Python's json.dumps(indent=2) does; what differs is ensure_ascii, which escapes everything outside
 * ' '..'~' (JSON.stringify already escapes control characters and lone surrogates the same way).
 */
export function formatSaveConfig(config: SaveConfig): string {
  const text = JSON.stringify(sortKeys(config), null, 2);
  return `${text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
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
