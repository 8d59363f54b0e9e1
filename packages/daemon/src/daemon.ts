/**
 * The daemon: takes the socket directory's lock, finds plugins, listens on one socket per plugin and serves
 * every connection with its own plugin process (see session.ts). `reload()` rescans (SIGHUP); `stop()` stops
 * accepting, lets sessions finish within a bound, then kills what is left (SIGTERM).
 */
import { makeDirectories } from './directories.js';
import type net from 'node:net';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import type { Logger } from '@openlsm/log';
import { lookupGroup, lookupUser } from './accounts.js';
import type { DaemonConfig, PluginSettings } from './config.js';
import { declaresRoot } from './declaration.js';
import { discoverPlugins } from './discovery.js';
import { closeListener, listenPluginSocket, removeStaleSockets } from './listener.js';
import { InstanceLock } from './lock.js';
import { PluginPool } from './pool.js';
import { Session } from './session.js';

interface ServedPlugin {
  name: string;
  executable: string;
  socketPath: string;
  pool: PluginPool;
  server: net.Server;
  /** Everything the plugin is served with; a reload that changes it re-creates the socket and pool. */
  signature: string;
}

/** Who a plugin process runs as, following lsm's rules (reference §12) as far as Node allows. */
export interface PluginIdentity {
  uid: number | undefined;
  gid: number | undefined;
  runsAsRoot: boolean;
}

const NO_SETTINGS: PluginSettings = { enabled: true, requireRoot: false, socketMode: undefined, warmProcesses: undefined, maxSessions: undefined };

/**
 * A plugin runs as root only when the daemon is root, `allow_plugin_root` is set and the plugin's settings say
 * `require_root`. Otherwise a root daemon starts it as the configured user (when that user exists). lsm also
 * requires the client to be root; Node cannot read SO_PEERCRED, so the socket of a root plugin is made
 * root-only (mode 0600 unless configured) instead.
 */
export function pluginIdentity(config: DaemonConfig, settings: PluginSettings, daemonUid: number | undefined, files: { passwd?: string; group?: string } = {}): PluginIdentity {
  if (daemonUid !== 0) return { uid: undefined, gid: undefined, runsAsRoot: false };
  if (config.allowPluginRoot && settings.requireRoot) return { uid: undefined, gid: undefined, runsAsRoot: true };
  const user = lookupUser(config.user, files.passwd);
  if (!user) return { uid: undefined, gid: undefined, runsAsRoot: true };
  const gid = config.group !== undefined ? lookupGroup(config.group, files.group) : user.gid;
  return { uid: user.uid, gid: gid ?? user.gid, runsAsRoot: user.uid === 0 };
}

export interface DaemonOptions {
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Re-reads the configuration on reload; the socket directory is fixed for the daemon's life. */
  reloadConfig?: () => DaemonConfig;
}

export class Daemon {
  #config: DaemonConfig;
  readonly #log: Logger;
  readonly #env: NodeJS.ProcessEnv;
  readonly #reloadConfig: (() => DaemonConfig) | undefined;
  readonly #plugins = new Map<string, ServedPlugin>();
  readonly #sessions = new Set<Session>();
  #lock: InstanceLock | undefined;
  #nextSession = 1;
  #stopping: Promise<void> | undefined;
  #reloading: Promise<void> = Promise.resolve();
  #warnedUser = false;

  constructor(config: DaemonConfig, options: DaemonOptions) {
    this.#config = config;
    this.#log = options.log;
    this.#env = options.env ?? process.env;
    this.#reloadConfig = options.reloadConfig;
  }

  /** Plugin names being served. */
  get pluginNames(): string[] {
    return [...this.#plugins.keys()].sort();
  }

  async start(): Promise<void> {
    const dir = this.#config.socketDir;
    try {
      makeDirectories(dir, 0o755);
    } catch (err) {
      throw new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `Cannot create the socket directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (choose one with --socket-dir or LSM_UDS_PATH)`);
    }
    this.#lock = await InstanceLock.acquire(dir);
    try {
      const removed = removeStaleSockets(dir);
      if (removed.length > 0) this.#log.info('removed stale sockets', { socketDir: dir, sockets: removed });
      await this.#scan();
    } catch (err) {
      this.#lock.release();
      throw err;
    }
    this.#log.info('openlsmd started', { socketDir: dir, pluginDirs: this.#config.pluginDirs, plugins: this.pluginNames });
  }

  /** Rescans the plugin directories (SIGHUP): new plugins get a socket, removed ones lose theirs. */
  reload(): Promise<void> {
    this.#reloading = this.#reloading.then(async () => {
      if (this.#stopping) return;
      this.#log.info('reloading plug-ins');
      if (this.#reloadConfig) {
        try {
          this.#config = { ...this.#reloadConfig(), socketDir: this.#config.socketDir };
        } catch (err) {
          this.#log.error('configuration not reloaded; keeping the previous one', { error: (err as Error).message });
        }
      }
      await this.#scan();
      this.#log.info('plug-ins reloaded', { plugins: this.pluginNames });
    });
    return this.#reloading;
  }

  async #scan(): Promise<void> {
    const { plugins, skipped } = discoverPlugins(this.#config.pluginDirs);
    for (const { file, reason } of skipped) this.#log.warn('plug-in skipped', { file, reason });
    for (const [name, settings] of Object.entries(this.#config.plugins)) {
      if (!settings.enabled) plugins.delete(name);
    }
    if (plugins.size === 0) this.#log.warn('no plug-ins found', { pluginDirs: this.#config.pluginDirs });
    for (const [name, served] of [...this.#plugins]) {
      const executable = plugins.get(name);
      if (executable === undefined || this.#signature(name, executable) !== served.signature) await this.#remove(served);
    }
    for (const [name, executable] of plugins) {
      if (this.#plugins.has(name)) continue;
      try {
        await this.#add(name, executable);
      } catch (err) {
        this.#log.error('cannot serve plug-in', { plugin: name, executable, error: (err as Error).message });
      }
    }
  }

  async #add(name: string, executable: string): Promise<void> {
    const config = this.#config;
    const configured = config.plugins[name] ?? NO_SETTINGS;
    // A plugin may declare in its package that it needs root (lio does); allow_plugin_root still decides.
    const settings = !configured.requireRoot && declaresRoot(executable) ? { ...configured, requireRoot: true } : configured;
    const identity = pluginIdentity(config, settings, process.getuid?.());
    const rootByChoice = identity.runsAsRoot && config.allowPluginRoot && settings.requireRoot;
    if (identity.runsAsRoot && !rootByChoice && !this.#warnedUser) {
      this.#warnedUser = true;
      this.#log.warn('the configured plug-in user does not exist; plug-ins run as root and their sockets are closed to other users', { user: config.user });
    }
    const log = this.#log;
    const pool = new PluginPool({
      name,
      spawn: { executable, env: this.#env, uid: identity.uid, gid: identity.gid },
      warm: settings.warmProcesses ?? config.warmProcesses,
      maxSessions: settings.maxSessions ?? config.maxSessions,
      log,
    });
    // A plugin that runs as root only because the plugin user is missing must not be offered to every local
    // user (the sim plugin, for one, writes a state file wherever its URI says): its socket loses the
    // permissions for others, so only root and the socket group can start it.
    const mode = settings.socketMode ?? (rootByChoice ? 0o600 : identity.runsAsRoot ? config.socketMode & ~0o007 : config.socketMode);
    let gid: number | undefined;
    if (config.socketGroup !== undefined) {
      gid = lookupGroup(config.socketGroup);
      if (gid === undefined) this.#log.warn('socket group does not exist; sockets keep the daemon\'s group', { group: config.socketGroup });
    }
    const server = await listenPluginSocket(config.socketDir, name, { mode, gid }, (socket) => this.#accept(name, socket));
    server.on('error', (err) => this.#log.error('listener error', { plugin: name, error: err.message }));
    const served: ServedPlugin = {
      name, executable, socketPath: path.join(config.socketDir, name), pool, server, signature: this.#signature(name, executable),
    };
    this.#plugins.set(name, served);
    pool.start();
    this.#log.info('serving plug-in', {
      plugin: name, executable, socket: served.socketPath, mode: `0${mode.toString(8)}`,
      uid: identity.uid ?? process.getuid?.(), gid: identity.gid ?? process.getgid?.(),
    });
  }

  #signature(name: string, executable: string): string {
    const c = this.#config;
    return JSON.stringify([
      executable, declaresRoot(executable), c.plugins[name] ?? NO_SETTINGS, c.socketMode, c.socketGroup, c.user, c.group, c.allowPluginRoot,
      c.warmProcesses, c.maxSessions,
    ]);
  }

  async #remove(served: ServedPlugin): Promise<void> {
    this.#plugins.delete(served.name);
    closeListener(served.server, served.socketPath);
    await served.pool.close();
    this.#log.info('stopped serving plug-in', { plugin: served.name });
  }

  #accept(name: string, socket: net.Socket): void {
    const served = this.#plugins.get(name);
    if (this.#stopping || !served) {
      this.#log.warn('refused connection', { plugin: name, reason: 'openlsmd is stopping' });
      socket.destroy();
      return;
    }
    const session = new Session(socket, served.pool, { id: this.#nextSession++, log: this.#log, exitGraceMs: this.#config.exitGraceMs });
    this.#sessions.add(session);
    void session.done.finally(() => this.#sessions.delete(session));
  }

  /**
   * Stops: no new connections, warm processes ended, sessions given `shutdown_timeout_ms` to finish (lsm
   * sessions close as soon as their request in flight is answered), the rest killed, the lock removed.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#log.info('stopping', { sessions: this.#sessions.size });
    await this.#reloading.catch(() => {});
    const plugins = [...this.#plugins.values()];
    this.#plugins.clear();
    for (const p of plugins) closeListener(p.server, p.socketPath);
    await Promise.all(plugins.map((p) => p.pool.close()));
    const sessions = [...this.#sessions];
    for (const s of sessions) s.drain();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), this.#config.shutdownTimeoutMs); });
    const outcome = await Promise.race([Promise.all(sessions.map((s) => s.done)).then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      const left = [...this.#sessions];
      this.#log.warn('sessions still open at the shutdown deadline; killing their plug-ins', { sessions: left.length });
      for (const s of left) s.kill();
      await Promise.all(left.map((s) => s.done));
    }
    this.#lock?.release();
    this.#log.info('openlsmd stopped');
  }
}
