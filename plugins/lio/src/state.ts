/**
 * What configfs cannot hold, in one small JSON file next to saveconfig.json: which backing file or device of a
 * pool belongs to which volume (so that deleting a volume deletes exactly the image openlsm made, and never a
 * file another tool pointed LIO at), and the lsm names of access groups whose names cannot be ACL tags. The
 * kernel's tree stays the truth for what is exported: a volume whose storage object has gone is no volume, and a
 * record without its object is dropped at the next change.
 */
import { StateFile } from '@openlsm/backing-store';

export const STATE_FORMAT = 'openlsm-lio/1';

export interface VolumeRecord {
  /** The configured pool. */
  pool: string;
  /** The image file's name in a directory pool. */
  image?: string;
  /** The device of a block pool. */
  device?: string;
  /** Where the storage object was last seen (`core/<hba>/<name>`): a hint, checked before use. */
  so: string;
}

export interface LioState {
  /** By the storage object's unit serial (the volume id). */
  volumes: Record<string, VolumeRecord>;
  /** lsm access-group name by ACL tag, only where the two differ. */
  groupNames: Record<string, string>;
  /**
   * The storage objects in each HBA directory as last seen: listing 1,000 HBAs costs 1,000 readdirs per call,
   * and HBAs do not change contents (rtslib, targetcli and we make one per object and remove it with it), so
   * only directories not listed here are read. Rewritten by every change.
   */
  hbas: Record<string, string[]>;
}

function text(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 4096) throw new Error(`${what} must be a non-empty string`);
  return v;
}

function record(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} must be an object`);
  return v as Record<string, unknown>;
}

export function parseState(json: unknown): LioState {
  const doc = record(json, 'the state');
  if (doc.format !== STATE_FORMAT) throw new Error(`format must be "${STATE_FORMAT}"`);
  const volumes: Record<string, VolumeRecord> = {};
  for (const [id, raw] of Object.entries(record(doc.volumes ?? {}, 'volumes'))) {
    const v = record(raw, `volumes.${id}`);
    const entry: VolumeRecord = { pool: text(v.pool, `volumes.${id}.pool`), so: text(v.so, `volumes.${id}.so`) };
    if (v.image !== undefined) entry.image = text(v.image, `volumes.${id}.image`);
    if (v.device !== undefined) entry.device = text(v.device, `volumes.${id}.device`);
    volumes[id] = entry;
  }
  const groupNames: Record<string, string> = {};
  for (const [tag, name] of Object.entries(record(doc.groupNames ?? {}, 'groupNames'))) groupNames[tag] = text(name, `groupNames.${tag}`);
  const hbas: Record<string, string[]> = {};
  for (const [hba, names] of Object.entries(record(doc.hbas ?? {}, 'hbas'))) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new Error(`hbas.${hba} must be a list of names`);
    hbas[hba] = names as string[];
  }
  return { volumes, groupNames, hbas };
}

export function openStateFile(file: string): StateFile<LioState> {
  return new StateFile(file, {
    parse: parseState,
    empty: () => ({ volumes: {}, groupNames: {}, hbas: {} }),
    serialize: (state) => ({ format: STATE_FORMAT, ...state }),
  });
}
