/**
 * openlsm-targetd's configuration: targetd.yaml's keys with targetd's meaning, plus the backend and the
 * listening address. Every key is checked at start; an unknown key or a bad value stops the server with the
 * file, line, column and key name.
 *
 * ```yaml
 * backend: sim://
 * user: admin
 * password: "s3cret"
 * block_pools: [lsm_test_aggr]
 * ssl: true
 * ```
 */
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { ErrorNumber, isValidIqn, LsmError, parseUri } from '@openlsm/core';
import type { LogLevel } from '@openlsm/log';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { readProtectedFile } from './secret-files.js';

export const DEFAULT_CONFIG_FILE = '/etc/openlsm/targetd.yaml';
export const DEFAULT_PORT = 18700;

/** A pool offered to targetd clients: the name they see, and the backend pool (id or name) behind it. */
export interface PoolSpec {
  name: string;
  pool: string;
}

export interface ServerConfig {
  configFile: string;
  user: string;
  password: string;
  ssl: boolean;
  sslCert: string;
  sslKey: string;
  /** undefined: not configured (the backend's target is whatever it is). */
  targetName: string | undefined;
  portalAddresses: string[] | undefined;
  /** undefined: every backend pool that holds volumes, under its own name. */
  blockPools: PoolSpec[] | undefined;
  fsPools: PoolSpec[];
  logLevel: LogLevel;
  backend: string;
  backendPassword: string | null;
  listen: string;
  port: number;
  callTimeoutMs: number;
  backendSessions: number;
  stateFile: string;
  /** Things worth a warning at start (the server still starts). */
  warnings: string[];
}

/** targetd's log levels (Python's names) and the winston level each one means. */
const LOG_LEVELS: Record<string, LogLevel> = {
  debug: 'debug', info: 'info', warning: 'warn', warn: 'warn', error: 'error', critical: 'error',
};

const KEYS = [
  'user', 'password', 'ssl', 'ssl_cert', 'ssl_key', 'target_name', 'portal_addresses', 'block_pools', 'fs_pools',
  'log_level', 'allow_chown', 'pool_name', 'backend', 'backend_password', 'backend_password_file', 'listen', 'port',
  'call_timeout_ms', 'backend_sessions', 'state_file',
];

/** targetd keys that mean local ZFS, which a server over an openlsm backend does not manage itself. */
const ZFS_KEYS = ['zfs_block_pools', 'zfs_enable_copy'];

/** A name clients will see in pool_list and send back: printable, no control characters, not absurdly long. */
const POOL_NAME = /^[^\p{Cc}]{1,255}$/u;

function fail(message: string): never {
  throw new LsmError(ErrorNumber.INVALID_ARGUMENT, message);
}

/** The settings of one YAML document, with `file:line:col` for each key's messages. */
class Settings {
  readonly #doc: Document;
  readonly #lines: LineCounter;
  readonly #file: string;
  readonly values: Record<string, unknown>;

  constructor(text: string, file: string) {
    this.#lines = new LineCounter();
    this.#file = file;
    this.#doc = parseDocument(text, { lineCounter: this.#lines, prettyErrors: true, uniqueKeys: true });
    const first = this.#doc.errors[0];
    if (first) {
      const pos = first.linePos?.[0];
      fail(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${(first.message.split('\n')[0] as string).replace(/ at line \d+, column \d+:$/, '')}`);
    }
    const root: unknown = this.#doc.toJS();
    if (root === null || root === undefined) this.values = {};
    else if (typeof root !== 'object' || Array.isArray(root)) fail(`${file}: must be a mapping of settings (key: value lines)`);
    else this.values = root as Record<string, unknown>;
  }

  /** `file:line:col` of `key` (the key itself, or its value). */
  where(key: string, value = false): string {
    const contents = this.#doc.contents;
    const pair = isMap(contents) ? contents.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
    const node = value ? pair?.value : pair?.key;
    const offset = node && typeof node === 'object' && 'range' in node && Array.isArray(node.range) ? node.range[0] as number : undefined;
    if (offset === undefined) return this.#file;
    const pos = this.#lines.linePos(offset);
    return `${this.#file}:${pos.line}:${pos.col}`;
  }

  invalid(key: string, what: string): never {
    fail(`${this.where(key, true)}: ${key} ${what}`);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.values, key);
  }

  string(key: string, fallback: string): string {
    if (!this.has(key)) return fallback;
    const v = this.values[key];
    if (typeof v !== 'string' || v.length === 0) this.invalid(key, 'must be a non-empty string');
    if (/\p{Cc}/u.test(v)) this.invalid(key, 'must not contain control characters');
    return v;
  }

  path(key: string, fallback: string): string {
    const s = this.string(key, fallback);
    if (!s.startsWith('/')) this.invalid(key, 'must be an absolute path');
    return s;
  }

  boolean(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback;
    const v = this.values[key];
    if (typeof v !== 'boolean') this.invalid(key, 'must be true or false');
    return v;
  }

  integer(key: string, fallback: number, min: number, max: number): number {
    if (!this.has(key)) return fallback;
    const v = this.values[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.invalid(key, `must be an integer from ${min} to ${max}`);
    return v;
  }

  list(key: string): unknown[] | undefined {
    if (!this.has(key)) return undefined;
    const v = this.values[key];
    if (!Array.isArray(v)) this.invalid(key, 'must be a list');
    return v;
  }
}

function ipAddress(s: Settings, key: string, value: unknown): string {
  if (typeof value !== 'string' || isIP(value) === 0) s.invalid(key, 'must be an IPv4 or IPv6 address such as 127.0.0.1 or ::1');
  return value;
}

/** `block_pools`/`fs_pools` entries: `name` (the backend pool of that id or name, shown as is) or `{name, pool}`. */
function poolSpecs(s: Settings, key: string, mustBePath: boolean): PoolSpec[] | undefined {
  const list = s.list(key);
  if (list === undefined) return undefined;
  const specs = list.map((entry): PoolSpec => {
    if (typeof entry === 'string') return { name: entry, pool: entry };
    if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      const e = entry as Record<string, unknown>;
      const extra = Object.keys(e).find((k) => k !== 'name' && k !== 'pool');
      if (extra === undefined && typeof e.name === 'string' && typeof e.pool === 'string') return { name: e.name, pool: e.pool };
    }
    return s.invalid(key, 'entries must be pool names or ids, or {name: <shown name>, pool: <backend pool id or name>}');
  });
  const seen = new Set<string>();
  for (const spec of specs) {
    if (!POOL_NAME.test(spec.name) || !POOL_NAME.test(spec.pool)) s.invalid(key, `entry ${JSON.stringify(spec.name.slice(0, 64))} must be 1-255 printable characters`);
    // libstoragemgmt's targetd client tells file-system pools from block pools by this leading slash.
    if (mustBePath !== spec.name.startsWith('/')) {
      s.invalid(key, mustBePath ? `name ${JSON.stringify(spec.name)} must start with "/" (targetd clients take such pools for file-system pools)` : `name ${JSON.stringify(spec.name)} must not start with "/" (targetd clients would take it for a file-system pool)`);
    }
    if (seen.has(spec.name)) s.invalid(key, `names ${JSON.stringify(spec.name)} twice`);
    seen.add(spec.name);
  }
  return specs;
}

/** Validates a configuration text; `file` labels messages. Reads `backend_password_file` if one is named. */
export function parseServerConfig(text: string, file: string): ServerConfig {
  const s: Settings = new Settings(text, file);
  for (const key of Object.keys(s.values)) {
    if (ZFS_KEYS.includes(key)) {
      fail(`${s.where(key)}: ${key} is a targetd setting for local ZFS datasets; openlsm-targetd offers the backend's pools: name them in block_pools`);
    }
    if (!KEYS.includes(key)) fail(`${s.where(key)}: ${key} is not a setting (known: ${KEYS.join(', ')})`);
  }
  if (!s.has('password') || s.values.password === null || s.values.password === '') fail(`password not set in ${file}`);
  const password = s.values.password;
  if (typeof password !== 'string') s.invalid('password', 'must be a string: quote it ("1234"), a bare number is not a password');
  const user = s.string('user', 'admin');
  if (user.includes(':')) s.invalid('user', 'must not contain ":" (Basic authentication splits user and password there)');
  if (!s.has('backend')) fail(`backend not set in ${file}: name the openlsm URI to serve, e.g. backend: "sim://" or "lio://"`);
  const backend = s.string('backend', '');
  try {
    parseUri(backend);
  } catch (err) {
    s.invalid('backend', `is not a valid openlsm URI: ${(err as Error).message}`);
  }
  if (s.has('backend_password') && s.has('backend_password_file')) fail(`${s.where('backend_password_file')}: set backend_password or backend_password_file, not both`);
  let backendPassword: string | null = s.has('backend_password') ? s.string('backend_password', '') : null;
  if (s.has('backend_password_file')) {
    backendPassword = readProtectedFile(s.path('backend_password_file', ''), 'backend_password_file').replace(/\r?\n$/, '');
  }
  if (s.has('pool_name') && s.has('block_pools')) fail(`${s.where('pool_name')}: pool_name is the old spelling of block_pools; keep only block_pools`);
  const warnings: string[] = [];
  let blockPools = poolSpecs(s, 'block_pools', false);
  if (s.has('pool_name')) {
    blockPools = [{ name: s.string('pool_name', ''), pool: s.string('pool_name', '') }];
    warnings.push(`${s.where('pool_name')}: pool_name is deprecated, use block_pools: [${blockPools[0]?.name}]`);
  }
  if (s.boolean('allow_chown', false)) {
    s.invalid('allow_chown', 'cannot be true: the server changes no local file ownership (nfs_export_add refuses chown with -153)');
  }
  const targetName = s.has('target_name') ? s.string('target_name', '') : undefined;
  if (targetName !== undefined && !isValidIqn(targetName)) s.invalid('target_name', 'must be an iSCSI name such as iqn.2003-01.org.example:targetd');
  const portals = s.list('portal_addresses');
  const level = s.string('log_level', 'info');
  const logLevel = LOG_LEVELS[level];
  if (logLevel === undefined) s.invalid('log_level', `must be one of ${Object.keys(LOG_LEVELS).join(', ')}`);
  return {
    configFile: file,
    user,
    password,
    ssl: s.boolean('ssl', false),
    sslCert: s.path('ssl_cert', '/etc/target/targetd_cert.pem'),
    sslKey: s.path('ssl_key', '/etc/target/targetd_key.pem'),
    targetName,
    portalAddresses: portals?.map((p) => ipAddress(s, 'portal_addresses', p)),
    blockPools,
    fsPools: poolSpecs(s, 'fs_pools', true) ?? [],
    logLevel,
    backend,
    backendPassword,
    listen: s.has('listen') ? ipAddress(s, 'listen', s.values.listen) : '127.0.0.1',
    port: s.integer('port', DEFAULT_PORT, 0, 65_535),
    callTimeoutMs: s.integer('call_timeout_ms', 120_000, 100, 86_400_000),
    backendSessions: s.integer('backend_sessions', 2, 1, 16),
    stateFile: s.path('state_file', '/var/lib/openlsm/targetd-server.json'),
    warnings,
  };
}

/** Reads and validates the configuration file (which must exist: the password is in it). */
export function loadServerConfig(file: string = DEFAULT_CONFIG_FILE): ServerConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    fail(`Cannot read the configuration file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const config = parseServerConfig(text, file);
  if ((statSync(file).mode & 0o004) !== 0) {
    config.warnings.push(`${file} holds the API password and is readable by every user: chmod 600 it`);
  }
  return config;
}
