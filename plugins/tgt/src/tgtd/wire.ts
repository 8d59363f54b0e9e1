/**
 * tgtd's management protocol on the wire (`usr/tgtadm.h`): a 120-byte request header in host byte order, an
 * optional `key=value,...` payload ending in one NUL, and an 8-byte response header followed by text. There is
 * no version field and no escaping; every request is one connection. This module only lays bytes out: it knows
 * nothing of sockets (client.ts) or of what the payload may contain (payload.ts).
 */
import { ErrorNumber, LsmError } from '@openlsm/core';

/** `enum tgtadm_mode`. */
export const Mode = {
  SYSTEM: 0,
  TARGET: 1,
  DEVICE: 2,
  PORTAL: 3,
  LLD: 4,
  SESSION: 5,
  CONNECTION: 6,
  ACCOUNT: 7,
} as const;
export type ModeValue = (typeof Mode)[keyof typeof Mode];

/** `enum tgtadm_op`. */
export const Op = {
  NEW: 0,
  DELETE: 1,
  SHOW: 2,
  BIND: 3,
  UNBIND: 4,
  UPDATE: 5,
  STATS: 6,
  START: 7,
  STOP: 8,
} as const;
export type OpValue = (typeof Op)[keyof typeof Op];

export const REQUEST_HEADER_BYTES = 120;
export const RESPONSE_HEADER_BYTES = 8;
/** tgtd's MAX_MGT_BUFSIZE: a longer payload makes it close the connection without any answer. */
export const MAX_PAYLOAD_BYTES = 8192;
const LLD_BYTES = 64;
/** tgtadm's "no LUN given" and "all targets" values. */
export const NO_LUN = 0xffff_ffff_ffff_ffffn;
export const ALL_TARGETS = -1;

export interface TgtdRequest {
  mode: ModeValue;
  op: OpValue;
  /** Driver name; `iscsi` for everything this plugin does. An empty name means driver 0. */
  lld?: string;
  /** Target id; -1 means every target (show) or the global scope (accounts). */
  tid?: number;
  sid?: bigint;
  lun?: bigint;
  cid?: number;
  deviceType?: number;
  /** Account direction: 0 incoming, 1 outgoing. */
  acDir?: number;
  force?: boolean;
  /** The payload text without its NUL, already validated (payload.ts); '' for none. */
  payload?: string;
}

function invalid(message: string): LsmError {
  return new LsmError(ErrorNumber.PLUGIN_BUG, `tgtd request not encoded: ${message}`);
}

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(`${name} ${value} is out of range`);
}

/**
 * The bytes of one request: header (little-endian, as tgtd on x86-64 and arm64 reads it) and payload with its
 * NUL. Throws PLUGIN_BUG for values the header cannot carry; the payload's content is payload.ts's business.
 */
export function encodeRequest(req: TgtdRequest): Buffer {
  const payload = req.payload ?? '';
  const body = payload === '' ? null : Buffer.from(`${payload}\0`, 'utf8');
  if (body && body.length > MAX_PAYLOAD_BYTES) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `A tgtd request may carry at most ${MAX_PAYLOAD_BYTES} bytes; this one needs ${body.length}`);
  }
  const lld = Buffer.from(req.lld ?? 'iscsi', 'latin1');
  if (lld.length >= LLD_BYTES || lld.includes(0)) throw invalid('bad driver name');
  const tid = req.tid ?? 0;
  checkInt('tid', tid, -1, 0x7fff_ffff);
  const cid = req.cid ?? 0;
  checkInt('cid', cid, 0, 0xffff_ffff);
  const deviceType = req.deviceType ?? 0;
  checkInt('device type', deviceType, 0, 0xff);
  const acDir = req.acDir ?? 0;
  checkInt('account direction', acDir, 0, 1);
  const lun = req.lun ?? NO_LUN;
  const sid = req.sid ?? 0n;
  if (lun < 0n || lun > NO_LUN || sid < 0n || sid > NO_LUN) throw invalid('lun or sid out of range');

  const out = Buffer.alloc(REQUEST_HEADER_BYTES + (body?.length ?? 0));
  out.writeInt32LE(req.mode, 0);
  out.writeInt32LE(req.op, 4);
  lld.copy(out, 8);
  out.writeUInt32LE(out.length, 72);
  out.writeInt32LE(tid, 76);
  out.writeBigUInt64LE(sid, 80);
  out.writeBigUInt64LE(lun, 88);
  out.writeUInt32LE(cid, 96);
  out.writeUInt32LE(0, 100); // host_no: only for non-iSCSI host bindings
  out.writeUInt32LE(deviceType, 104);
  out.writeUInt32LE(acDir, 108);
  out.writeUInt32LE(0, 112); // pack: unused by tgtd
  out.writeUInt32LE(req.force === true ? 1 : 0, 116);
  body?.copy(out, REQUEST_HEADER_BYTES);
  return out;
}

export interface ResponseHeader {
  /** `enum tgtadm_errno`; 0 is success. */
  err: number;
  /** Header plus text, as announced. */
  length: number;
}

export function decodeResponseHeader(bytes: Buffer): ResponseHeader {
  return { err: bytes.readUInt32LE(0), length: bytes.readUInt32LE(4) };
}

/** The answer's text: the bytes after the header up to the first NUL (tgtd terminates its text with one). */
export function responseText(body: Buffer): string {
  const nul = body.indexOf(0);
  return (nul === -1 ? body : body.subarray(0, nul)).toString('utf8');
}
