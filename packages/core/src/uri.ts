/**
 * lsm connection URIs: `<plugin>[+ssl]://[<username>@]<host>[:<port>][/path][?<key>=<value>[&<key>=<value>...]]`.
 *
 * The scheme selects the plugin (its part before `+`); `+ssl` is interpreted by the plugin only. The password is
 * never part of an lsm URI (it travels in `plugin_register`); a `user:password@` written anyway is accepted
 * like Python's parser does, the password is ignored, and `formatUriForLog` strips it.
 *
 * Differences from Python's `lsm.uri_parse` worth knowing (all deliberate, all stricter):
 * * control characters, C1 controls, U+2028/U+2029 and `#` are rejected anywhere; URIs over 64 KiB are rejected;
 * * query keys and values and the username are percent-decoded (`%3D` is how to put `=` in a value; `+` is kept
 *   as `+`); keys must be `[A-Za-z0-9_.-]+`; duplicate keys, keys without `=` and raw `=` inside a value are errors;
 *   empty `&&` segments are skipped;
 * * the host is a DNS name / IPv4 address (`[A-Za-z0-9_~-]` labels, not starting with `-`) or an IPv6 address in
 *   brackets (stored lower-cased WITHOUT the brackets, like Python's `hostname`; zone ids unsupported);
 * * a username or port without a host, an empty username and an empty port are errors;
 * * the path is kept raw (not decoded), `''` when absent.
 */

import { ErrorNumber, LsmError } from './errors.js';
import { describeForMessage } from './names.js';

export interface LsmUri {
  /** The scheme as written but lower-cased, e.g. `targetd+ssl`. */
  scheme: string;
  /** The scheme before `+`, e.g. `targetd`: names the plugin's socket. */
  plugin: string;
  /** True when the scheme ended in `+ssl`. */
  ssl: boolean;
  /** Percent-decoded; null when absent. */
  username: string | null;
  /** Lower-cased; IPv6 without brackets (see `hostForUrl`); null when absent. */
  host: string | null;
  port: number | null;
  /** Raw path including its leading `/`, `''` when none. */
  path: string;
  /** Percent-decoded query parameters (own properties; use `Object.hasOwn` for dynamic keys). */
  parameters: Record<string, string>;
  /** The URI exactly as given (what `plugin_register` sends). May hold a password: log `formatUriForLog(uri)`. */
  raw: string;
}

/** URIs longer than this are rejected before parsing. */
export const MAX_URI_LENGTH = 65536;

/** lsmd's limit on a plugin (socket) name. */
export const MAX_PLUGIN_NAME_LENGTH = 127;

const SCHEME_RE = /^[a-z][a-z0-9_-]*(\+ssl)?$/i;
// C0 controls, DEL, C1 controls and the two Unicode line separators.
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_RE_G = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const HOST_RE = /^[A-Za-z0-9_~][A-Za-z0-9_~-]*(?:\.[A-Za-z0-9_~-]+)*\.?$/;
const HOST_MAX_LENGTH = 255;
const PORT_RE = /^[0-9]{1,5}$/;
const PARAM_KEY_RE = /^[A-Za-z0-9_.-]+$/;
const HEX_GROUP_RE = /^[0-9A-Fa-f]{1,4}$/;
const IPV4_RE = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$/;

function invalid(raw: string, reason: string): LsmError {
  return new LsmError(
    ErrorNumber.INVALID_ARGUMENT,
    `uri invalid: ${reason}: ${describeForMessage(maskUriPasswords(raw))}`,
  );
}

function isIpv4(s: string): boolean {
  const m = IPV4_RE.exec(s);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

function isIpv6(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  const lastColon = s.lastIndexOf(':');
  if (lastColon === -1) return false;
  let text = s;
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded IPv4 address counts as the last two groups.
    if (!isIpv4(tail)) return false;
    text = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  if (halves.length === 2) {
    const left = groups(halves[0] ?? '');
    const right = groups(halves[1] ?? '');
    return left.length + right.length <= 7 && [...left, ...right].every((g) => HEX_GROUP_RE.test(g));
  }
  const all = text.split(':');
  return all.length === 8 && all.every((g) => HEX_GROUP_RE.test(g));
}

/** `host` ready for a URL authority: IPv6 addresses get their brackets back. */
export function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function decode(raw: string, text: string, what: string): string {
  let out: string;
  try {
    out = decodeURIComponent(text);
  } catch {
    throw invalid(raw, `bad percent-encoding in ${what} ${describeForMessage(text)}`);
  }
  if (CONTROL_RE.test(out)) throw invalid(raw, `${what} decodes to a control character`);
  return out;
}

/** Index of the end of the authority in `rest` (text after `://`): the first `/` or `?` (or `#`). */
function authorityEnd(rest: string): number {
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) return i;
  }
  return rest.length;
}

/** What ends a URI's authority in free text: blanks, `/`, `\\`, `?`, `#` and quotes. */
function endsAuthority(c: number): boolean {
  return c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23 || c === 0x22 || c === 0x27 || c <= 0x20 || c === 0x85 || c === 0xa0
    || c === 0x2028 || c === 0x2029;
}

function isSchemeChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;
}

/** The first `:` in `text[from..to)`, or -1 (never looks past `to`, which keeps the scan linear). */
function colonBefore(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 0x3a) return i;
  return -1;
}

/** True when `text[0..end)` ends with `<scheme>:` (at least one scheme character). */
function endsWithScheme(text: string, end: number): boolean {
  return end >= 2 && text.charCodeAt(end - 1) === 0x3a && isSchemeChar(text.charCodeAt(end - 2));
}

/**
 * `text` with the password of every `scheme://user:password@` in it removed, whether or not the URI around it
 * is well formed (`sim:/admin:secret@host` and `sim:admin:secret@host` too), wherever it stands in the text:
 * for messages and log lines that may quote what a user typed. As in Python's URI parser, the user ends at the
 * first `:` and the userinfo at the last `@` before the host, so a password may hold both. `sim://?statefile=a:b@c`
 * has no userinfo and is kept. Linear in the length of `text` (it may be a 10 MB hostile string).
 *
 * ```ts
 * maskUriPasswords('bad uri "sim:/admin:SeCrEt@host"'); // 'bad uri "sim:/admin@host"'
 * ```
 */
export function maskUriPasswords(text: string): string {
  if (!text.includes('@')) return text;
  let out = '';
  let copied = 0;
  for (let start = 0; start < text.length;) {
    let end = start;
    let at = -1;
    for (let c = text.charCodeAt(end); end < text.length && !endsAuthority(c); c = text.charCodeAt(++end)) {
      if (c === 0x40) at = end;
    }
    if (at >= 0) {
      // Where the userinfo begins: after `scheme:` and slashes before this run, or after `scheme:` inside it.
      let slashes = start;
      while (slashes > 0 && (text.charCodeAt(slashes - 1) === 0x2f || text.charCodeAt(slashes - 1) === 0x5c)) slashes--;
      let user = -1;
      if (slashes < start && endsWithScheme(text, slashes)) {
        user = start;
      } else {
        const colon = colonBefore(text, start, at);
        if (colon > start) {
          let i = start;
          while (i < colon && isSchemeChar(text.charCodeAt(i))) i++;
          if (i === colon) user = colon + 1;
        }
      }
      const colon = user < 0 ? -1 : colonBefore(text, user, at);
      if (colon >= 0) {
        // user:password@ -> user@
        out += text.slice(copied, colon);
        copied = at;
      }
    }
    start = end + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Parses an lsm URI. Every failure is LsmError INVALID_ARGUMENT; a missing or malformed scheme (or no `://`)
 * gives `uri missing "scheme" or is in invalid form: "<uri>"`, other problems `uri invalid: <reason>: "<uri>"`.
 */
export function parseUri(uri: string): LsmUri {
  if (typeof uri !== 'string') {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `uri missing "scheme" or is in invalid form: (${typeof uri})`);
  }
  if (uri.length > MAX_URI_LENGTH) throw invalid(uri, `longer than ${MAX_URI_LENGTH} characters`);
  if (CONTROL_RE.test(uri)) throw invalid(uri, 'contains a control character or line break');

  const sep = uri.indexOf('://');
  const schemeText = sep > 0 ? uri.slice(0, sep) : '';
  if (sep <= 0 || !SCHEME_RE.test(schemeText)) {
    throw new LsmError(
      ErrorNumber.INVALID_ARGUMENT,
      `uri missing "scheme" or is in invalid form: ${describeForMessage(maskUriPasswords(uri))} ` +
        `(expected <plugin>[+ssl]://[user@]host[:port][?key=value&...], e.g. sim://)`,
    );
  }
  const scheme = schemeText.toLowerCase();
  const ssl = scheme.endsWith('+ssl');
  const plugin = ssl ? scheme.slice(0, -4) : scheme;
  if (plugin.length > MAX_PLUGIN_NAME_LENGTH) {
    throw invalid(uri, `plugin name longer than ${MAX_PLUGIN_NAME_LENGTH} characters`);
  }

  const rest = uri.slice(sep + 3);
  if (rest.includes('#')) throw invalid(uri, 'a "#" fragment is not allowed (percent-encode "#" as %23)');
  const authEnd = authorityEnd(rest);
  const authority = rest.slice(0, authEnd);
  const afterAuthority = rest.slice(authEnd);
  const q = afterAuthority.indexOf('?');
  const path = q === -1 ? afterAuthority : afterAuthority.slice(0, q);
  const query = q === -1 ? null : afterAuthority.slice(q + 1);

  // [user[:password]@]
  let username: string | null = null;
  let hostPort = authority;
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    hostPort = authority.slice(at + 1);
    const colon = userinfo.indexOf(':');
    const rawUser = colon === -1 ? userinfo : userinfo.slice(0, colon); // a password, if any, is ignored
    if (rawUser === '') throw invalid(uri, 'empty username before "@"');
    username = decode(uri, rawUser, 'username');
  }

  // host[:port] or [ipv6][:port]
  let host: string | null = null;
  let portText: string | null = null;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1) throw invalid(uri, 'unterminated "[" around an IPv6 host');
    const addr = hostPort.slice(1, close);
    if (!isIpv6(addr)) throw invalid(uri, `invalid IPv6 host ${describeForMessage(addr)}`);
    host = addr.toLowerCase();
    const after = hostPort.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) throw invalid(uri, `unexpected ${describeForMessage(after)} after "]"`);
      portText = after.slice(1);
    }
  } else {
    const colon = hostPort.indexOf(':');
    const hostText = colon === -1 ? hostPort : hostPort.slice(0, colon);
    if (colon !== -1) portText = hostPort.slice(colon + 1);
    if (hostText !== '') {
      if (hostText.length > HOST_MAX_LENGTH || !HOST_RE.test(hostText)) {
        throw invalid(
          uri,
          `invalid host ${describeForMessage(hostText)} (use a DNS name, an IPv4 address or [IPv6 address])`,
        );
      }
      host = hostText.toLowerCase();
    }
  }

  let port: number | null = null;
  if (portText !== null) {
    const n = PORT_RE.test(portText) ? Number(portText) : NaN;
    if (!(n >= 1 && n <= 65535)) throw invalid(uri, `invalid port ${describeForMessage(portText)} (use 1-65535)`);
    port = n;
  }
  if (host === null && port !== null) throw invalid(uri, 'a port is given without a host');
  if (host === null && username !== null) throw invalid(uri, 'a username is given without a host');

  const entries: [string, string][] = [];
  if (query !== null) {
    const seen = new Set<string>();
    for (const part of query.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      if (eq === -1) {
        throw invalid(uri, `query parameter ${describeForMessage(part)} has no value (use key=value)`);
      }
      const rawKey = part.slice(0, eq);
      const rawValue = part.slice(eq + 1);
      if (rawKey === '') throw invalid(uri, `empty query parameter name in ${describeForMessage(part)}`);
      if (rawValue.includes('=')) {
        throw invalid(
          uri,
          `value of query parameter ${describeForMessage(rawKey)} contains "=" (percent-encode it as %3D)`,
        );
      }
      const key = decode(uri, rawKey, 'query parameter name');
      if (!PARAM_KEY_RE.test(key)) {
        throw invalid(
          uri,
          `invalid query parameter name ${describeForMessage(key)} (use letters, digits, '_', '.', '-')`,
        );
      }
      const value = decode(uri, rawValue, `value of query parameter ${describeForMessage(key)}`);
      if (seen.has(key)) throw invalid(uri, `duplicate query parameter ${describeForMessage(key)}`);
      seen.add(key);
      entries.push([key, value]);
    }
  }
  // Object.fromEntries defines own data properties, so a key such as "__proto__" cannot touch the prototype.
  const parameters: Record<string, string> = Object.fromEntries(entries);

  return { scheme, plugin, ssl, username, host, port, path, parameters, raw: uri };
}

export interface UriRequirements {
  host?: boolean;
  username?: boolean;
  port?: boolean;
  params?: readonly string[];
}

/**
 * Throws INVALID_ARGUMENT `uri missing "host"` / `uri missing "username"` / `uri missing "port"` /
 * `uri missing query parameter <key>` for the first requirement `uri` does not meet.
 */
export function uriRequire(uri: LsmUri, opts: UriRequirements): void {
  if (opts.host === true && uri.host === null) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'uri missing "host"');
  if (opts.username === true && uri.username === null) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'uri missing "username"');
  }
  if (opts.port === true && uri.port === null) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'uri missing "port"');
  for (const key of opts.params ?? []) {
    if (!Object.hasOwn(uri.parameters, key)) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `uri missing query parameter ${key}`);
    }
  }
}

/**
 * The URI for a log line or message: the raw text with any `:password` of a `user:password@` removed and
 * control characters escaped as `\uXXXX` (only possible for a string that `parseUri` would reject).
 */
export function formatUriForLog(uri: LsmUri | string): string {
  const raw = typeof uri === 'string' ? uri : uri.raw;
  return maskUriPasswords(raw).replace(
    CONTROL_RE_G,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
