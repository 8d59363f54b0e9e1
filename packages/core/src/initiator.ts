/**
 * Access-group initiator ids: classification (WWPN or iSCSI) and normalisation, following lsm's rules.
 *
 * * An id starting with `iqn`, `eui` or `naa` (any case) is iSCSI (lsm's `INIT_TYPE_ISCSI_IQN`, 5) and must be a
 *   syntactically sane iSCSI name (RFC 3720/3722), at most 223 bytes of UTF-8:
 *   - `iqn.yyyy-mm.reversed.domain[:unique]`: lower-cased as RFC 3722 stringprep would. Domain labels are ASCII
 *     `[a-z0-9_-]`; the rest may hold `[a-z0-9.:_-]` and non-ASCII letters/digits/marks. `_` is not in RFC 3722
 *     but is accepted because real hosts (Windows, hand-made names) use it; it is harmless in every transport.
 *     Whitespace, control characters and ASCII punctuation such as `;`, `/`, `"`, `$` are rejected.
 *   - `eui.` + 16 hex digits; `naa.` + 16 or 32 hex digits: kept exactly as given.
 * * A WWPN (lsm's `INIT_TYPE_WWPN`, 2) matches `^(0x|0X)?([0-9A-Fa-f]{2})(([.:-])?[0-9A-Fa-f]{2}){7}$` and is
 *   normalised to lower-case colon form `10:00:00:00:c9:95:2f:de`.
 * * Anything else is invalid.
 *
 * The `InitiatorType` constants belong to the model; the two values used here are spelled out locally.
 */

import { ErrorNumber, LsmError } from './errors.js';
import { describeForMessage } from './names.js';

const WWPN = 2;
const ISCSI_IQN = 5;

/** A classified, normalised initiator id: `type` is 2 (WWPN) or 5 (iSCSI IQN/EUI/NAA). */
export interface NormalizedInitiator {
  type: 2 | 5;
  id: string;
}

/** RFC 3720 3.2.6.1: an iSCSI name is at most 223 bytes (UTF-8). */
export const ISCSI_NAME_MAX_BYTES = 223;

const WWPN_RE = /^(0x|0X)?([0-9A-Fa-f]{2})(([.:-])?[0-9A-Fa-f]{2}){7}$/;
const WWPN_MAX_LENGTH = 2 + 16 + 7; // "0x" + 16 hex digits + 7 separators

// Applied to the lower-cased name, whose characters have already been checked one by one (see iqnCharsOk).
const IQN_RE = /^iqn\.[0-9]{4}-(?:0[1-9]|1[0-2])\.[a-z0-9_-]+(?:\.[a-z0-9_-]+)*(?::.+)?$/su;
const EUI_RE = /^eui\.[0-9a-f]{16}$/i;
const NAA_RE = /^naa\.(?:[0-9a-f]{16}|[0-9a-f]{32})$/i;
const NON_ASCII_NAME_CHAR_RE = /^[\p{L}\p{N}\p{M}]$/u;

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

function iqnCharsOk(lower: string): boolean {
  for (const ch of lower) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) {
      const ok =
        (c >= 0x61 && c <= 0x7a) || // a-z
        (c >= 0x30 && c <= 0x3a) || // 0-9 and ':'
        c === 0x2d || // -
        c === 0x2e || // .
        c === 0x5f; //   _
      if (!ok) return false;
    } else if (!NON_ASCII_NAME_CHAR_RE.test(ch)) {
      return false;
    }
  }
  return true;
}

/** True when `id` is a WWPN in any of the accepted spellings (`10:00:..`, `10-00-..`, `0x1000..`, `1000..`). */
export function isValidWwpn(id: string): boolean {
  return typeof id === 'string' && id.length <= WWPN_MAX_LENGTH && WWPN_RE.test(id);
}

function normalizeWwpn(id: string): string {
  const hex = id.replace(/^0x/i, '').replace(/[.:-]/g, '').toLowerCase();
  return hex.match(/../g)?.join(':') ?? hex;
}

/** The normalised iSCSI name, or null when `id` is not a sane `iqn.`/`eui.`/`naa.` name. */
function normalizeIscsi(id: string): string | null {
  // Quick rejection first: a string of more than 223 UTF-16 units has more than 223 UTF-8 bytes.
  if (id.length > ISCSI_NAME_MAX_BYTES) return null;
  const prefix = id.slice(0, 4).toLowerCase();
  if (prefix === 'iqn.') {
    const lower = id.toLowerCase();
    if (!iqnCharsOk(lower) || !IQN_RE.test(lower)) return null;
    if (utf8Length(lower) > ISCSI_NAME_MAX_BYTES) return null;
    return lower;
  }
  if (prefix === 'eui.') return EUI_RE.test(id) ? id : null;
  if (prefix === 'naa.') return NAA_RE.test(id) ? id : null;
  return null;
}

function startsAsIscsi(id: string): boolean {
  const p = id.slice(0, 3).toLowerCase();
  return p === 'iqn' || p === 'eui' || p === 'naa';
}

/**
 * True when `id` is a valid iSCSI initiator name of any of the three forms lsm files under
 * `INIT_TYPE_ISCSI_IQN`: `iqn.…`, `eui.…` or `naa.…` (any case).
 */
export function isValidIqn(id: string): boolean {
  return typeof id === 'string' && startsAsIscsi(id) && normalizeIscsi(id) !== null;
}

/** `{ type: 2 | 5, id: normalised }`, or null when `id` is neither a valid WWPN nor a valid iSCSI name. */
export function classifyInitiator(id: string): NormalizedInitiator | null {
  if (typeof id !== 'string') return null;
  if (startsAsIscsi(id)) {
    const n = normalizeIscsi(id);
    return n === null ? null : { type: ISCSI_IQN, id: n };
  }
  if (isValidWwpn(id)) return { type: WWPN, id: normalizeWwpn(id) };
  return null;
}

function typeName(type: number): string {
  return type === WWPN ? 'WWPN' : 'iSCSI IQN';
}

const FORMS_HINT =
  '(WWPN: 16 hex digits such as 10:00:00:00:c9:95:2f:de; ' +
  'iSCSI: iqn.yyyy-mm.reversed.domain[:name], eui.<16 hex digits> or naa.<16 or 32 hex digits>)';

/**
 * Classifies and normalises `id`; idempotent. When `type` is given it must be 2 (WWPN) or 5 (iSCSI IQN) and
 * must agree with the id. Throws INVALID_ARGUMENT:
 * `"<id>" is not a valid WWPN or iSCSI IQN (...)`, `"<id>" is not a valid WWPN (...)` (type 2 given),
 * `"<id>" is an iSCSI IQN, but initiator type 2 (WWPN) was given`, `Invalid initiator type 7: ...`.
 */
export function normalizeInitiator(id: string, type?: number): NormalizedInitiator {
  if (type !== undefined && type !== WWPN && type !== ISCSI_IQN) {
    throw new LsmError(
      ErrorNumber.INVALID_ARGUMENT,
      `Invalid initiator type ${describeForMessage(String(type))}: use ${WWPN} (WWPN) or ${ISCSI_IQN} (iSCSI IQN)`,
    );
  }
  const c = classifyInitiator(id);
  const shown = typeof id === 'string' ? describeForMessage(id) : `(${typeof id})`;
  if (c === null) {
    const what = type === undefined ? 'WWPN or iSCSI IQN' : typeName(type);
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `${shown} is not a valid ${what} ${FORMS_HINT}`);
  }
  if (type !== undefined && c.type !== type) {
    throw new LsmError(
      ErrorNumber.INVALID_ARGUMENT,
      `${shown} is ${c.type === WWPN ? 'a' : 'an'} ${typeName(c.type)}, but initiator type ${type} (${typeName(type)}) was given`,
    );
  }
  return c;
}
