/**
 * Parsers for tgtd's `show` answers. They are tgtd's own text (usr/target.c `tgt_target_show_all`,
 * `account_show`, the iSCSI driver's portal listing), not a command's output: an indented tree, four spaces per
 * level, `Key: value` lines. Unknown keys are skipped so that newer tgtd versions keep working; a tree whose
 * shape is wrong is TRANSPORT_SERIALIZATION.
 */
import { describeForMessage, ErrorNumber, LsmError } from '@openlsm/core';

export interface TgtdLun {
  lun: number;
  /** `disk`, `controller` (LUN 0), `cd/dvd`, ... */
  type: string;
  scsiId: string;
  scsiSn: string;
  blockSize: number;
  online: boolean;
  readonly: boolean;
  backingStoreType: string;
  /** null for LUN 0 (`None`). */
  path: string | null;
  backingStoreFlags: string;
}

export interface TgtdNexus {
  /** The I_T nexus id, which is the iSCSI session id (sid) of tgtadm's `--mode conn`. */
  id: string;
  initiator: string;
  /** Connection ids (cid) of the session. */
  connections: number[];
  addresses: string[];
}

export interface TgtdTarget {
  tid: number;
  name: string;
  driver: string;
  state: string;
  nexuses: TgtdNexus[];
  luns: TgtdLun[];
  incomingAccounts: string[];
  outgoingAccount: string | null;
  /**
   * The ACL rules as tgtd lists them: address rules (`ALL`, `192.0.2.5`, `10.0.0.0/8`) first, then
   * initiator-name rules, one list with nothing to tell them apart but their form (see `isInitiatorNameRule`).
   */
  acls: string[];
}

function malformed(line: string, why: string): LsmError {
  return new LsmError(ErrorNumber.TRANSPORT_SERIALIZATION, `Unexpected tgtd target listing (${why}): ${describeForMessage(line)}`);
}

interface Line {
  depth: number;
  text: string;
  raw: string;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const indent = raw.length - raw.trimStart().length;
    out.push({ depth: Math.floor(indent / 4), text: raw.trim(), raw });
  }
  return out;
}

function keyValue(text: string): [string, string] | null {
  const colon = text.indexOf(':');
  if (colon <= 0) return null;
  return [text.slice(0, colon), text.slice(colon + 1).trim()];
}

const TARGET_RE = /^Target (\d+): (\S+)$/;
const yes = (v: string) => v === 'Yes';

function newLun(n: number): TgtdLun {
  return { lun: n, type: '', scsiId: '', scsiSn: '', blockSize: 0, online: false, readonly: false, backingStoreType: '', path: null, backingStoreFlags: '' };
}

function setLunField(lun: TgtdLun, key: string, value: string): void {
  switch (key) {
    case 'Type': lun.type = value; break;
    case 'SCSI ID': lun.scsiId = value; break;
    case 'SCSI SN': lun.scsiSn = value; break;
    case 'Size': {
      const m = /Block size: (\d+)/.exec(value);
      lun.blockSize = m ? Number(m[1]) : 0;
      break;
    }
    case 'Online': lun.online = yes(value); break;
    case 'Readonly': lun.readonly = yes(value); break;
    case 'Backing store type': lun.backingStoreType = value; break;
    case 'Backing store path': lun.path = value === 'None' ? null : value; break;
    case 'Backing store flags': lun.backingStoreFlags = value; break;
    default: break;
  }
}

/** Parses `show target` for all targets (tid -1). */
export function parseTargets(text: string): TgtdTarget[] {
  const targets: TgtdTarget[] = [];
  let target: TgtdTarget | undefined;
  let section = '';
  let lun: TgtdLun | undefined;
  let nexus: TgtdNexus | undefined;
  for (const line of lines(text)) {
    if (line.depth === 0) {
      const m = TARGET_RE.exec(line.text);
      if (!m) throw malformed(line.raw, 'expected "Target <tid>: <name>"');
      target = { tid: Number(m[1]), name: m[2] as string, driver: '', state: '', nexuses: [], luns: [], incomingAccounts: [], outgoingAccount: null, acls: [] };
      targets.push(target);
      section = '';
      continue;
    }
    if (!target) throw malformed(line.raw, 'text before the first target');
    if (line.depth === 1) {
      section = line.text;
      lun = undefined;
      nexus = undefined;
      continue;
    }
    const kv = keyValue(line.text);
    switch (section) {
      case 'System information:':
        if (kv?.[0] === 'Driver') target.driver = kv[1];
        else if (kv?.[0] === 'State') target.state = kv[1];
        break;
      case 'I_T nexus information:':
        if (line.depth === 2 && kv?.[0] === 'I_T nexus') {
          nexus = { id: kv[1], initiator: '', connections: [], addresses: [] };
          target.nexuses.push(nexus);
        } else if (nexus && kv?.[0] === 'Initiator') {
          const alias = kv[1].lastIndexOf(' alias: ');
          nexus.initiator = alias === -1 ? kv[1] : kv[1].slice(0, alias);
        } else if (nexus && kv?.[0] === 'Connection' && /^\d+$/.test(kv[1])) {
          nexus.connections.push(Number(kv[1]));
        } else if (nexus && kv?.[0] === 'IP Address') {
          nexus.addresses.push(kv[1]);
        }
        break;
      case 'LUN information:':
        if (line.depth === 2) {
          if (kv?.[0] !== 'LUN' || !/^\d+$/.test(kv[1])) throw malformed(line.raw, 'expected "LUN: <n>"');
          lun = newLun(Number(kv[1]));
          target.luns.push(lun);
        } else if (lun && kv) {
          setLunField(lun, kv[0], kv[1]);
        }
        break;
      case 'Account information:':
        if (line.text.endsWith(' (outgoing)')) target.outgoingAccount = line.text.slice(0, -' (outgoing)'.length);
        else target.incomingAccounts.push(line.text);
        break;
      case 'ACL information:':
        target.acls.push(line.text);
        break;
      default:
        break;
    }
  }
  return targets;
}

/** True when an ACL rule of `show target` is an initiator-name rule rather than an address rule. */
export function isInitiatorNameRule(rule: string): boolean {
  return /^(iqn|eui|naa)\./i.test(rule);
}

/** Parses `show account`: the global account names (passwords are never shown). */
export function parseAccounts(text: string): string[] {
  return lines(text).filter((l) => l.depth >= 1).map((l) => l.text);
}

export interface TgtdPortal {
  /** `host:port` (IPv6 in brackets). */
  address: string;
  tpgt: number;
}

/** Parses `show portal`: `Portal: 127.0.0.1:3260,1` lines. */
export function parsePortals(text: string): TgtdPortal[] {
  const out: TgtdPortal[] = [];
  for (const line of lines(text)) {
    const m = /^Portal: (.+),(\d+)$/.exec(line.text);
    if (m) out.push({ address: m[1] as string, tpgt: Number(m[2]) });
  }
  return out;
}

/** The `State:` of `show sys` (`ready` once tgtd serves). */
export function parseSystemState(text: string): string {
  for (const line of lines(text)) {
    const kv = keyValue(line.text);
    if (kv?.[0] === 'State') return kv[1];
  }
  return '';
}
