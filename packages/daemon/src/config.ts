/**
 * openlsmd's configuration: a YAML file (default /etc/openlsm/openlsmd.yaml), validated strictly so that a
 * typo is an error with its line and column rather than a silently ignored setting. Command-line flags
 * override the file; defaults fill the rest.
 *
 * ```yaml
 * plugin_dirs: [/usr/lib/openlsm/plugins]
 * socket_dir: /run/openlsm/ipc
 * socket_mode: "0666"
 * user: openlsm
 * plugins:
 *   megaraid: { require_root: true }
 * ```
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { ErrorNumber, LsmError } from '@openlsm/core';
import type { LogLevel } from '@openlsm/log';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';

export const DEFAULT_CONFIG_FILE = '/etc/openlsm/openlsmd.yaml';
export const DEFAULT_PLUGIN_DIR = '/usr/lib/openlsm/plugins';

export interface PluginSettings {
  /** false: the plugin is not offered even when its executable is found. */
  enabled: boolean;
  /** The plugin needs root (RAID card tools); honoured only with `allow_plugin_root`. */
  requireRoot: boolean;
  socketMode: number | undefined;
  warmProcesses: number | undefined;
  maxSessions: number | undefined;
  /** Sessions one process may serve; undefined: what the plugin declares (1 unless it declares more). */
  sessionsPerProcess: number | undefined;
}

/** A plugin the configuration says nothing about. */
export const DEFAULT_PLUGIN_SETTINGS: PluginSettings = {
  enabled: true, requireRoot: false, socketMode: undefined, warmProcesses: undefined, maxSessions: undefined, sessionsPerProcess: undefined,
};

export interface DaemonConfig {
  /** The file read, if any. */
  configFile: string | undefined;
  pluginDirs: string[];
  socketDir: string;
  socketMode: number;
  /** Group owning the sockets (name or number); unset keeps the daemon's group. */
  socketGroup: string | undefined;
  /** Unprivileged user plugins run as when the daemon runs as root. */
  user: string;
  /** Group plugins run as; default: the user's primary group. */
  group: string | undefined;
  allowPluginRoot: boolean;
  warmProcesses: number;
  /** Upper bound of warm processes while connections arrive faster than processes start. */
  maxWarmProcesses: number;
  /** Plugin processes starting at once, over all plugins. */
  maxStartingProcesses: number;
  maxSessions: number;
  /** Open client connections, over all plugins. */
  maxConnections: number;
  /** How long a new connection may take to send its first complete request. */
  firstRequestTimeoutMs: number;
  /** A session with no call in flight and no traffic for this long is closed; 0: never. */
  idleTimeoutMs: number;
  /** Bytes of requests received in part (and lsm requests queued), over all connections. */
  maxBufferedBytes: number;
  shutdownTimeoutMs: number;
  exitGraceMs: number;
  logLevel: LogLevel;
  plugins: Record<string, PluginSettings>;
}

export interface Overrides {
  configFile?: string | undefined;
  socketDir?: string | undefined;
  pluginDirs?: string[] | undefined;
}

const LOG_LEVELS: readonly string[] = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];
const TOP_KEYS = [
  'plugin_dirs', 'socket_dir', 'socket_mode', 'socket_group', 'user', 'group', 'allow_plugin_root', 'warm_processes',
  'max_warm_processes', 'max_starting_processes', 'max_sessions', 'max_connections', 'first_request_timeout_ms',
  'idle_timeout_ms', 'max_buffered_bytes', 'shutdown_timeout_ms', 'exit_grace_ms', 'log_level', 'plugins',
];
const PLUGIN_KEYS = ['enabled', 'require_root', 'socket_mode', 'warm_processes', 'max_sessions', 'sessions_per_process'];
const MiB = 1024 * 1024;

/** The built-in settings, before any file or flag. */
export function defaultConfig(socketDir: string, installedPluginDirs: readonly string[] = []): DaemonConfig {
  return {
    configFile: undefined,
    pluginDirs: [DEFAULT_PLUGIN_DIR, ...installedPluginDirs],
    socketDir,
    socketMode: 0o666,
    socketGroup: undefined,
    user: 'openlsm',
    group: undefined,
    allowPluginRoot: false,
    warmProcesses: 1,
    maxWarmProcesses: 4,
    maxStartingProcesses: Math.max(2, os.availableParallelism()),
    maxSessions: 256,
    maxConnections: 4096,
    firstRequestTimeoutMs: 10_000,
    idleTimeoutMs: 600_000,
    maxBufferedBytes: 128 * MiB,
    shutdownTimeoutMs: 10_000,
    exitGraceMs: 2_000,
    logLevel: 'info',
    plugins: {},
  };
}

function configError(message: string): LsmError {
  return new LsmError(ErrorNumber.INVALID_ARGUMENT, message);
}

/** Parses and validates a YAML text over `base`. `name` labels error messages (the file's path). */
export function parseConfig(text: string, name: string, base: DaemonConfig): DaemonConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = firstError.linePos?.[0];
    const message = (firstError.message.split('\n')[0] as string).replace(/ at line \d+, column \d+:$/, '');
    throw configError(`${name}${pos ? `:${pos.line}:${pos.col}` : ''}: ${message}`);
  }
  /** file:line:col of a value, or of its key when `atKey` (an unknown setting's name). */
  const where = (path: (string | number)[], atKey = false): string => {
    let node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (atKey) {
      const parent = doc.getIn(path.slice(0, -1), true) ?? (path.length === 1 ? doc.contents : undefined);
      const last = path[path.length - 1];
      if (isMap(parent)) node = parent.items.find((pair) => isScalar(pair.key) && pair.key.value === last)?.key;
    }
    const offset = isNode(node) && node.range ? node.range[0] : undefined;
    if (offset === undefined) return name;
    const pos = lineCounter.linePos(offset);
    return `${name}:${pos.line}:${pos.col}`;
  };
  const fail = (path: (string | number)[], what: string, atKey = false): never => {
    throw configError(`${where(path, atKey)}: ${path.join('.') || 'document'} ${what}`);
  };
  /** The text of a scalar as written, so `socket_mode: 0660` is read as octal as the admin meant. */
  const source = (path: (string | number)[]): string | undefined => {
    const node = doc.getIn(path, true);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  };

  const root: unknown = doc.toJS();
  const config: DaemonConfig = { ...base, configFile: name, plugins: { ...base.plugins } };
  if (root === null || root === undefined) return config;
  if (typeof root !== 'object' || Array.isArray(root)) fail([], 'must be a mapping of settings');
  const top = root as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (!TOP_KEYS.includes(key)) fail([key], `is not a setting (known: ${TOP_KEYS.join(', ')})`, true);
  }

  const string = (path: (string | number)[], value: unknown): string => {
    if (typeof value !== 'string' || value.length === 0) fail(path, 'must be a non-empty string');
    return value as string;
  };
  const absolutePath = (path: (string | number)[], value: unknown): string => {
    const s = string(path, value);
    if (!s.startsWith('/') || s.includes('\0')) fail(path, 'must be an absolute path');
    return s;
  };
  const boolean = (path: (string | number)[], value: unknown): boolean => {
    if (typeof value !== 'boolean') fail(path, 'must be true or false');
    return value as boolean;
  };
  const integer = (path: (string | number)[], value: unknown, min: number, max: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      fail(path, `must be an integer from ${min} to ${max}`);
    }
    return value as number;
  };
  const mode = (path: (string | number)[], value: unknown): number => {
    const text = typeof value === 'string' ? value : source(path);
    const m = text === undefined ? null : /^0?o?([0-7]{3,4})$/.exec(text);
    if (!m) fail(path, 'must be an octal file mode such as "0666" or "0660"');
    const n = parseInt((m as RegExpExecArray)[1] as string, 8);
    if (n > 0o777) fail(path, 'may only hold permission bits (at most 0777)');
    return n;
  };
  const account = (path: (string | number)[], value: unknown): string => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
    const s = string(path, value);
    if (!/^(?:\d+|[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?)$/.test(s)) fail(path, 'must be a user or group name or number');
    return s;
  };

  if ('plugin_dirs' in top) {
    const dirs = top.plugin_dirs;
    if (!Array.isArray(dirs) || dirs.length === 0) fail(['plugin_dirs'], 'must be a list of directories');
    config.pluginDirs = (dirs as unknown[]).map((d, i) => absolutePath(['plugin_dirs', i], d));
  }
  if ('socket_dir' in top) config.socketDir = absolutePath(['socket_dir'], top.socket_dir);
  if ('socket_mode' in top) config.socketMode = mode(['socket_mode'], top.socket_mode);
  if ('socket_group' in top) config.socketGroup = account(['socket_group'], top.socket_group);
  if ('user' in top) config.user = account(['user'], top.user);
  if ('group' in top) config.group = account(['group'], top.group);
  if ('allow_plugin_root' in top) config.allowPluginRoot = boolean(['allow_plugin_root'], top.allow_plugin_root);
  if ('warm_processes' in top) config.warmProcesses = integer(['warm_processes'], top.warm_processes, 0, 64);
  if ('max_warm_processes' in top) config.maxWarmProcesses = integer(['max_warm_processes'], top.max_warm_processes, 0, 64);
  if ('max_starting_processes' in top) config.maxStartingProcesses = integer(['max_starting_processes'], top.max_starting_processes, 1, 64);
  if ('max_sessions' in top) config.maxSessions = integer(['max_sessions'], top.max_sessions, 1, 65_536);
  if ('max_connections' in top) config.maxConnections = integer(['max_connections'], top.max_connections, 1, 1_048_576);
  if ('first_request_timeout_ms' in top) config.firstRequestTimeoutMs = integer(['first_request_timeout_ms'], top.first_request_timeout_ms, 100, 3_600_000);
  if ('idle_timeout_ms' in top) config.idleTimeoutMs = integer(['idle_timeout_ms'], top.idle_timeout_ms, 0, 86_400_000);
  if ('max_buffered_bytes' in top) config.maxBufferedBytes = integer(['max_buffered_bytes'], top.max_buffered_bytes, MiB, 64 * 1024 * MiB);
  if ('shutdown_timeout_ms' in top) config.shutdownTimeoutMs = integer(['shutdown_timeout_ms'], top.shutdown_timeout_ms, 0, 3_600_000);
  if ('exit_grace_ms' in top) config.exitGraceMs = integer(['exit_grace_ms'], top.exit_grace_ms, 0, 600_000);
  if ('log_level' in top) {
    const level = string(['log_level'], top.log_level);
    if (!LOG_LEVELS.includes(level)) fail(['log_level'], `must be one of ${LOG_LEVELS.join(', ')}`);
    config.logLevel = level as LogLevel;
  }
  if ('plugins' in top && top.plugins !== null) {
    const plugins = top.plugins;
    if (typeof plugins !== 'object' || Array.isArray(plugins)) fail(['plugins'], 'must map plugin names to their settings');
    for (const [plugin, raw] of Object.entries(plugins as Record<string, unknown>)) {
      const at = ['plugins', plugin];
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,126}$/.test(plugin)) fail(at, 'is not a valid plugin name');
      const settings: Record<string, unknown> = raw === null ? {} : (raw as Record<string, unknown>);
      if (typeof settings !== 'object' || Array.isArray(settings)) fail(at, `must be a mapping of ${PLUGIN_KEYS.join(', ')}`);
      for (const key of Object.keys(settings)) {
        if (!PLUGIN_KEYS.includes(key)) fail([...at, key], `is not a plugin setting (known: ${PLUGIN_KEYS.join(', ')})`, true);
      }
      config.plugins[plugin] = {
        enabled: 'enabled' in settings ? boolean([...at, 'enabled'], settings.enabled) : true,
        requireRoot: 'require_root' in settings ? boolean([...at, 'require_root'], settings.require_root) : false,
        socketMode: 'socket_mode' in settings ? mode([...at, 'socket_mode'], settings.socket_mode) : undefined,
        warmProcesses: 'warm_processes' in settings ? integer([...at, 'warm_processes'], settings.warm_processes, 0, 64) : undefined,
        maxSessions: 'max_sessions' in settings ? integer([...at, 'max_sessions'], settings.max_sessions, 1, 65_536) : undefined,
        sessionsPerProcess: 'sessions_per_process' in settings ? integer([...at, 'sessions_per_process'], settings.sessions_per_process, 1, 65_536) : undefined,
      };
    }
  }
  return config;
}

/**
 * The effective configuration: defaults, then the file (a missing default file is fine, a missing file given
 * with --config is an error), then LSM_UDS_PATH, then the command-line flags.
 */
export function loadConfig(overrides: Overrides, base: DaemonConfig, env: NodeJS.ProcessEnv = process.env): DaemonConfig {
  const file = overrides.configFile ?? DEFAULT_CONFIG_FILE;
  let config = base;
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || overrides.configFile !== undefined) {
      throw configError(`Cannot read the configuration file ${file}: ${code ?? (err as Error).message}`);
    }
  }
  if (text !== undefined) config = parseConfig(text, file, base);
  if (env.LSM_UDS_PATH) config = { ...config, socketDir: env.LSM_UDS_PATH };
  if (overrides.socketDir !== undefined) config = { ...config, socketDir: overrides.socketDir };
  if (overrides.pluginDirs !== undefined && overrides.pluginDirs.length > 0) config = { ...config, pluginDirs: overrides.pluginDirs };
  return config;
}
