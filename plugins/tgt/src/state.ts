/**
 * What the plugin remembers, because tgtd remembers nothing: access groups, which volume is masked to which
 * group at which LUN, the CHAP credentials of initiators (tgtd cannot give a secret back, and a restarted tgtd
 * needs them again), and the SCSI id of each volume. One JSON document, written atomically with mode 0600 (it
 * holds CHAP secrets), validated field by field when read.
 *
 * `dirtyAccounts` is a journal: before an account's secret changes on tgtd the user is recorded here, and
 * cleared only once tgtd holds what the state says. A crash in between leaves the name here, and the next
 * reconciliation recreates that account, because tgtd's listing shows account names but never secrets.
 */
import type { StateCodec } from '@openlsm/backing-store';

export const STATE_FORMAT = 'openlsm-tgt-state/1';

export interface AccessGroupRecord {
  id: string;
  /** The number in the id and in the target name. */
  number: number;
  name: string;
  /** Initiator IQNs, in the order they were added. */
  initiators: string[];
}

export interface MaskRecord {
  accessGroup: string;
  volume: string;
  lun: number;
}

export interface ChapCredential {
  user: string;
  secret: string;
}

export interface ChapRecord {
  in: ChapCredential | null;
  out: ChapCredential | null;
}

export interface VolumeRecord {
  /** 24 hex digits: tgtd's LU SCSI id, which also gives the NAA-6 identifier initiators see. */
  scsiId: string;
}

export interface TgtState {
  nextAccessGroup: number;
  accessGroups: AccessGroupRecord[];
  masks: MaskRecord[];
  /** By initiator IQN. */
  chap: Record<string, ChapRecord>;
  /** By volume id. */
  volumes: Record<string, VolumeRecord>;
  dirtyAccounts: string[];
}

export function emptyState(): TgtState {
  return { nextAccessGroup: 1, accessGroups: [], masks: [], chap: {}, volumes: {}, dirtyAccounts: [] };
}

function expect(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(what);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 1024;
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

function parseCredential(v: unknown, where: string): ChapCredential | null {
  if (v === null) return null;
  expect(isObject(v) && isString(v.user) && isString(v.secret), `${where} must be null or {user, secret}`);
  return { user: v.user, secret: v.secret };
}

function parseGroup(v: unknown, i: number): AccessGroupRecord {
  const where = `accessGroups[${i}]`;
  expect(isObject(v) && isString(v.id) && isCount(v.number) && isString(v.name) && Array.isArray(v.initiators) && v.initiators.every(isString),
    `${where} must have id, number, name and a list of initiators`);
  return { id: v.id, number: v.number, name: v.name, initiators: v.initiators as string[] };
}

/** Checks a parsed state document; throws an Error naming the first bad field. */
export function parseState(json: unknown): TgtState {
  expect(isObject(json), 'the document must be an object');
  expect(json.format === STATE_FORMAT, `format must be "${STATE_FORMAT}" (this file was written by another program or version)`);
  expect(isCount(json.nextAccessGroup), 'nextAccessGroup must be a positive integer');
  expect(Array.isArray(json.accessGroups) && Array.isArray(json.masks) && Array.isArray(json.dirtyAccounts), 'accessGroups, masks and dirtyAccounts must be lists');
  expect(isObject(json.chap) && isObject(json.volumes), 'chap and volumes must be objects');
  const masks = json.masks.map((m, i) => {
    expect(isObject(m) && isString(m.accessGroup) && isString(m.volume) && isCount(m.lun), `masks[${i}] must be {accessGroup, volume, lun}`);
    return { accessGroup: m.accessGroup, volume: m.volume, lun: m.lun };
  });
  // Object.fromEntries defines own properties, so no key (not even "__proto__") can reach a prototype.
  const chap: Record<string, ChapRecord> = Object.fromEntries(Object.entries(json.chap).map(([iqn, rec]) => {
    expect(isObject(rec), `chap[${iqn}] must be an object`);
    return [iqn, { in: parseCredential(rec.in, `chap[${iqn}].in`), out: parseCredential(rec.out, `chap[${iqn}].out`) }];
  }));
  const volumes: Record<string, VolumeRecord> = Object.fromEntries(Object.entries(json.volumes).map(([id, rec]) => {
    expect(isObject(rec) && typeof rec.scsiId === 'string' && /^[0-9a-f]{24}$/.test(rec.scsiId), `volumes[${id}].scsiId must be 24 hex digits`);
    return [id, { scsiId: rec.scsiId }];
  }));
  expect(json.dirtyAccounts.every(isString), 'dirtyAccounts must be a list of account names');
  return {
    nextAccessGroup: json.nextAccessGroup,
    accessGroups: json.accessGroups.map(parseGroup),
    masks,
    chap,
    volumes,
    dirtyAccounts: json.dirtyAccounts as string[],
  };
}

export const stateCodec: StateCodec<TgtState> = {
  parse: parseState,
  empty: emptyState,
  serialize: (state) => ({ format: STATE_FORMAT, ...state }),
};

/** A deep copy to change without touching the original (the state is plain JSON data). */
export function cloneState(state: TgtState): TgtState {
  return structuredClone(state);
}
