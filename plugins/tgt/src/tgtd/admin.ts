/**
 * tgtd's management operations as typed calls: what `tgtadm --lld iscsi --op ... --mode ...` does, spoken
 * directly on the socket. Every argument passes payload.ts's whitelist before anything is sent, and every
 * operation sends at most one ACL rule or account per request (tgtd misparses more).
 */
import { describeForMessage } from '@openlsm/core';
import type { RequestOptions, TgtdClient } from './client.js';
import {
  backingPath, chapSecret, chapUser, formatPortal, initiatorName, joinPayload, type PortalAddress, scsiId, scsiSerial,
  targetName,
} from './payload.js';
import { parseAccounts, parsePortals, parseSystemState, parseTargets, type TgtdPortal, type TgtdTarget } from './show.js';
import { ALL_TARGETS, Mode, Op } from './wire.js';

export interface NewLun {
  path: string;
  /** `direct` (O_DIRECT) or `sync` (O_SYNC); default: the page cache. */
  bsoflags?: 'direct' | 'sync';
}

function checkTid(tid: number): number {
  if (!Number.isInteger(tid) || tid < 1 || tid > 0x7fff_ffff) throw new RangeError(`target id ${tid} is not 1..2^31-1`);
  return tid;
}

function checkLun(lun: number): bigint {
  // LUN 0 is tgtd's own controller LU; data LUNs are 1..16383 in the flat addressing tgtd reports.
  if (!Number.isInteger(lun) || lun < 1 || lun > 16383) throw new RangeError(`LUN ${lun} is not 1..16383`);
  return BigInt(lun);
}

export class TgtdAdmin {
  readonly client: TgtdClient;

  constructor(client: TgtdClient) {
    this.client = client;
  }

  async systemState(options?: RequestOptions): Promise<string> {
    return parseSystemState(await this.client.request({ mode: Mode.SYSTEM, op: Op.SHOW, lld: '' }, 'showing the system state', options));
  }

  async targets(options?: RequestOptions): Promise<TgtdTarget[]> {
    return parseTargets(await this.client.request({ mode: Mode.TARGET, op: Op.SHOW, tid: ALL_TARGETS }, 'listing targets', options));
  }

  async accounts(options?: RequestOptions): Promise<string[]> {
    return parseAccounts(await this.client.request({ mode: Mode.ACCOUNT, op: Op.SHOW, tid: ALL_TARGETS }, 'listing accounts', options));
  }

  async portals(options?: RequestOptions): Promise<TgtdPortal[]> {
    return parsePortals(await this.client.request({ mode: Mode.PORTAL, op: Op.SHOW }, 'listing portals', options));
  }

  async newTarget(tid: number, name: string, options?: RequestOptions): Promise<void> {
    const payload = joinPayload([['targetname', targetName(name)]]);
    await this.client.request({ mode: Mode.TARGET, op: Op.NEW, tid: checkTid(tid), payload }, `creating target ${tid} ${describeForMessage(name)}`, options);
  }

  /** Deletes a target with its LUNs; `force` also when initiators are logged in. */
  async deleteTarget(tid: number, force: boolean, options?: RequestOptions): Promise<void> {
    await this.client.request({ mode: Mode.TARGET, op: Op.DELETE, tid: checkTid(tid), force }, `deleting target ${tid}`, options);
  }

  /** `offline` refuses new logins (status "target error"); `ready` serves again. Sessions already open stay. */
  async setTargetState(tid: number, state: 'offline' | 'ready', options?: RequestOptions): Promise<void> {
    await this.client.request({ mode: Mode.TARGET, op: Op.UPDATE, tid: checkTid(tid), payload: joinPayload([['state', state]]) },
      `setting target ${tid} ${state}`, options);
  }

  async newLun(tid: number, lun: number, spec: NewLun, options?: RequestOptions): Promise<void> {
    const items: [string, string][] = [['path', backingPath(spec.path)]];
    if (spec.bsoflags) items.push(['bsoflags', spec.bsoflags]);
    await this.client.request({ mode: Mode.DEVICE, op: Op.NEW, tid: checkTid(tid), lun: checkLun(lun), deviceType: 0, payload: joinPayload(items) },
      `adding LUN ${lun} (${describeForMessage(spec.path)}) to target ${tid}`, options);
  }

  /** Sets the LU's SCSI id (24 hex digits, which also make its NAA-6 designator) and serial number. */
  async setLunIdentity(tid: number, lun: number, id: string, serial: string, options?: RequestOptions): Promise<void> {
    // tgtadm sends --params as "targetOps <params>," and tgtd's LU parser skips that prefix.
    const payload = `targetOps ${joinPayload([['scsi_id', scsiId(id)], ['scsi_sn', scsiSerial(serial)]])},`;
    await this.client.request({ mode: Mode.DEVICE, op: Op.UPDATE, tid: checkTid(tid), lun: checkLun(lun), payload }, `setting the identity of LUN ${lun} of target ${tid}`, options);
  }

  async deleteLun(tid: number, lun: number, options?: RequestOptions): Promise<void> {
    await this.client.request({ mode: Mode.DEVICE, op: Op.DELETE, tid: checkTid(tid), lun: checkLun(lun) }, `deleting LUN ${lun} of target ${tid}`, options);
  }

  async bindInitiatorName(tid: number, name: string, options?: RequestOptions): Promise<void> {
    const payload = joinPayload([['initiator-name', initiatorName(name)]]);
    await this.client.request({ mode: Mode.TARGET, op: Op.BIND, tid: checkTid(tid), payload }, `allowing initiator ${describeForMessage(name)} on target ${tid}`, options);
  }

  async unbindInitiatorName(tid: number, name: string, options?: RequestOptions): Promise<void> {
    const payload = joinPayload([['initiator-name', initiatorName(name)]]);
    await this.client.request({ mode: Mode.TARGET, op: Op.UNBIND, tid: checkTid(tid), payload }, `removing initiator ${describeForMessage(name)} from target ${tid}`, options);
  }

  /**
   * Removes an address rule (`ALL`, an address or a network). openlsm never adds one: tgtd ORs address and
   * name rules, so a single address rule lets every initiator name in from that address.
   */
  async unbindInitiatorAddress(tid: number, rule: string, options?: RequestOptions): Promise<void> {
    if (!/^(ALL|[0-9A-Fa-f.:/]{1,64})$/.test(rule)) throw new RangeError(`not an address rule: ${describeForMessage(rule)}`);
    const payload = joinPayload([['initiator-address', rule]]);
    await this.client.request({ mode: Mode.TARGET, op: Op.UNBIND, tid: checkTid(tid), payload }, `removing address rule ${describeForMessage(rule)} from target ${tid}`, options);
  }

  /** Closes one connection of a session (what `tgtadm --op delete --mode conn` does): the initiator is logged out. */
  async closeConnection(tid: number, sid: bigint, cid: number, options?: RequestOptions): Promise<void> {
    await this.client.request({ mode: Mode.CONNECTION, op: Op.DELETE, tid: checkTid(tid), sid, cid }, `closing connection ${cid} of session ${sid} on target ${tid}`, options);
  }

  async newAccount(user: string, secret: string, options?: RequestOptions): Promise<void> {
    const payload = joinPayload([['user', chapUser(user)], ['password', chapSecret(secret)]]);
    await this.client.request({ mode: Mode.ACCOUNT, op: Op.NEW, tid: ALL_TARGETS, payload }, `creating CHAP account ${describeForMessage(user)}`, options);
  }

  /** Deletes a global account; tgtd also unbinds it from every target. */
  async deleteAccount(user: string, options?: RequestOptions): Promise<void> {
    const payload = joinPayload([['user', chapUser(user)]]);
    await this.client.request({ mode: Mode.ACCOUNT, op: Op.DELETE, tid: ALL_TARGETS, payload }, `deleting CHAP account ${describeForMessage(user)}`, options);
  }

  /** Binds an account to a target: incoming (the initiator authenticates) or outgoing (the target does, mutual CHAP). */
  async bindAccount(tid: number, user: string, outgoing: boolean, options?: RequestOptions): Promise<void> {
    const payload = joinPayload([['user', chapUser(user)]]);
    await this.client.request({ mode: Mode.ACCOUNT, op: Op.BIND, tid: checkTid(tid), acDir: outgoing ? 1 : 0, payload },
      `binding ${outgoing ? 'outgoing' : 'incoming'} CHAP account ${describeForMessage(user)} to target ${tid}`, options);
  }

  async unbindAccount(tid: number, user: string, outgoing: boolean, options?: RequestOptions): Promise<void> {
    const payload = joinPayload([['user', chapUser(user)]]);
    await this.client.request({ mode: Mode.ACCOUNT, op: Op.UNBIND, tid: checkTid(tid), acDir: outgoing ? 1 : 0, payload },
      `unbinding CHAP account ${describeForMessage(user)} from target ${tid}`, options);
  }

  async newPortal(portal: PortalAddress, options?: RequestOptions): Promise<void> {
    await this.client.request({ mode: Mode.PORTAL, op: Op.NEW, payload: `portalOps portal=${formatPortal(portal)},` }, `adding portal ${formatPortal(portal)}`, options);
  }

  /** Asks tgtd to exit; it agrees only when no target is left. */
  async shutdown(options?: RequestOptions): Promise<void> {
    await this.client.request({ mode: Mode.SYSTEM, op: Op.DELETE, lld: '' }, 'stopping tgtd', options);
  }
}
