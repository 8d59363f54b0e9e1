/**
 * The daemon: checks and locks the socket directory, finds plugins, listens on one socket per plugin and serves
 * every connection with a plugin session (see session.ts and pool.ts). `reload()` rescans (SIGHUP); `stop()`
 * stops accepting, lets sessions finish within a bound, then kills what is left (SIGTERM). A socket that is
 * removed or replaced while the daemon runs is recreated.
 */
import { existsSync } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import type { Logger } from '@openlsm/log';
import { lookupGroup, lookupUser } from './accounts.js';
import { BufferBudget } from './budget.js';
import { type DaemonConfig, DEFAULT_PLUGIN_SETTINGS, type PluginSettings } from './config.js';
import { declaresRoot } from './declaration.js';
import { makeDirectories, secureSocketDirectory } from './directories.js';
import { discoverPlugins } from './discovery.js';
import { closeListener, fileIdentity, listenPluginSocket, removeStaleSockets, SocketWatch } from './listener.js';
import { InstanceLock } from './lock.js';
import { PluginPool } from './pool.js';
import { RefusalLog } from './refusals.js';
import { Session } from './session.js';
import { StartLimiter } from './start-limiter.js';

interface ServedPlugin {
  name: string;
  executable: string;
  socketPath: string;
  pool: PluginPool;
  server: net.Server;
  /** Mode and group of the socket, to recreate it the same. */
  socket: { mode: number; gid: number | undefined };
  /** Device and inode of the socket file we listen on: anything else at its path is not ours. */
  identity: string | undefined;
  /** Everything the plugin is served with; a reload that changes it re-creates the socket and pool. */
  signature: string;
}

/** Who a plugin process runs as, following lsm's rules (reference §12) as far as Node allows. */
export interface PluginIdentity {
  uid: number | undefined;
  gid: number | undefined;
  runsAsRoot: boolean;
}

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
  readonly #budget: BufferBudget;
  readonly #starter: StartLimiter;
  readonly #refusals: RefusalLog;
  #sweep: NodeJS.Timeout | undefined;
  #watch: SocketWatch | undefined;
  #verifying: Promise<void> | undefined;

  constructor(config: DaemonConfig, options: DaemonOptions) {
    this.#config = config;
    this.#log = options.log;
    this.#env = options.env ?? process.env;
    this.#reloadConfig = options.reloadConfig;
    // Read at start: a reload does not resize them.
    this.#budget = new BufferBudget(config.maxBufferedBytes);
    this.#starter = new StartLimiter(config.maxStartingProcesses);
    this.#refusals = new RefusalLog(options.log);
  }

  /** Plugin names being served. */
  get pluginNames(): string[] {
    return [...this.#plugins.keys()].sort();
  }

  async start(): Promise<void> {
    const dir = this.#config.socketDir;
    this.#prepareDirectory();
    this.#lock = await InstanceLock.acquire(dir);
    try {
      const removed = removeStaleSockets(dir);
      if (removed.length > 0) this.#log.info('removed stale sockets', { socketDir: dir, sockets: removed });
      await this.#scan();
    } catch (err) {
      this.#lock.release();
      throw err;
    }
    this.#watch = new SocketWatch(dir, () => { void this.#verifySockets(); });
    this.#startSweep();
    this.#log.info('openlsmd started', { socketDir: dir, pluginDirs: this.#config.pluginDirs, plugins: this.pluginNames });
  }

  /** Creates the socket directory (0755) if needed and makes sure nobody else can change it. */
  #prepareDirectory(): void {
    const dir = this.#config.socketDir;
    try {
      makeDirectories(dir, 0o755);
    } catch (err) {
      throw new LsmError(ErrorNumber.PLUGIN_IPC_FAIL, `Cannot create the socket directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (choose one with --socket-dir or LSM_UDS_PATH)`);
    }
    for (const warning of secureSocketDirectory(dir, process.getuid?.() ?? 0)) this.#log.warn(warning, { socketDir: dir });
  }

  /**
   * The first-request deadline and the idle timeout of every connection, checked a few times per the shorter
   * of the two (a timer per connection would cost more than the check).
   */
  #startSweep(): void {
    const { firstRequestTimeoutMs, idleTimeoutMs } = this.#config;
    const shortest = Math.min(firstRequestTimeoutMs, idleTimeoutMs > 0 ? idleTimeoutMs : Infinity);
    const period = Math.min(1_000, Math.max(25, shortest / 4));
    let last = Date.now();
    this.#sweep = setInterval(() => {
      const now = Date.now();
      const late = now - last > period + Math.max(period, 250);
      last = now;
      // Timers run before pending I/O: after the event loop was held up, a client's request may be waiting
      // unread in its socket. Such a round is skipped, so the bytes are read before anyone is judged.
      if (late) return;
      for (const session of this.#sessions) session.checkTimeouts(now);
    }, period);
    this.#sweep.unref();
  }

  /** Recreates every socket that is gone or is not ours any more (and the directory and lock if they are gone). */
  #verifySockets(): Promise<void> {
    // `finally` runs after the assignment even when nothing needed awaiting.
    this.#verifying ??= this.#recreateMissingSockets().finally(() => { this.#verifying = undefined; });
    return this.#verifying;
  }

  async #recreateMissingSockets(): Promise<void> {
    for (const served of [...this.#plugins.values()]) {
      if (this.#stopping || this.#plugins.get(served.name) !== served) continue;
      const found = fileIdentity(served.socketPath);
      if (found !== undefined && found === served.identity) continue;
      this.#log.warn(found === undefined ? 'plug-in socket was removed; recreating it' : 'plug-in socket was replaced by another file; recreating it', {
        plugin: served.name, socket: served.socketPath,
      });
      await this.#relisten(served);
    }
  }

  async #relisten(served: ServedPlugin): Promise<void> {
    const dir = this.#config.socketDir;
    try {
      if (!existsSync(dir)) this.#prepareDirectory();
      if (this.#lock && !existsSync(this.#lock.path)) {
        this.#lock = await InstanceLock.acquire(dir);
        this.#log.warn('the lock file was removed; recreated it', { lock: this.#lock.path });
      }
      served.server.close();
      served.server = await listenPluginSocket(dir, served.name, served.socket, (socket) => this.#accept(served.name, socket));
      served.server.on('error', (err) => this.#log.error('listener error', { plugin: served.name, error: err.message }));
      served.identity = fileIdentity(served.socketPath);
    } catch (err) {
      // Tried again at the next check.
      this.#log.error('cannot recreate the plug-in socket', { plugin: served.name, socket: served.socketPath, error: (err as Error).message });
    }
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
    const configured = config.plugins[name] ?? DEFAULT_PLUGIN_SETTINGS;
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
      // LSM_UDS_PATH tells a plugin where the sockets are (the sim plugin keeps its state files out of there).
      spawn: { executable, env: { ...this.#env, LSM_UDS_PATH: config.socketDir }, uid: identity.uid, gid: identity.gid },
      warm: settings.warmProcesses ?? config.warmProcesses,
      maxWarm: config.maxWarmProcesses,
      maxSessions: settings.maxSessions ?? config.maxSessions,
      sessionsPerProcess: settings.sessionsPerProcess,
      starter: this.#starter,
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
    const socketPath = path.join(config.socketDir, name);
    const served: ServedPlugin = {
      name, executable, socketPath, pool, server, socket: { mode, gid }, identity: fileIdentity(socketPath),
      signature: this.#signature(name, executable),
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
      executable, declaresRoot(executable), c.plugins[name] ?? DEFAULT_PLUGIN_SETTINGS, c.socketMode, c.socketGroup, c.user, c.group, c.allowPluginRoot,
      c.warmProcesses, c.maxWarmProcesses, c.maxSessions,
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
      this.#refusals.refused('openlsmd is stopping', { plugin: name });
      socket.destroy();
      return;
    }
    const config = this.#config;
    if (this.#sessions.size >= config.maxConnections) {
      this.#refusals.refused(`${this.#sessions.size} connections are open (max_connections)`, { plugin: name });
      socket.destroy();
      return;
    }
    const session = new Session(socket, served.pool, {
      id: this.#nextSession++,
      log: this.#log,
      exitGraceMs: config.exitGraceMs,
      firstRequestTimeoutMs: config.firstRequestTimeoutMs,
      idleTimeoutMs: config.idleTimeoutMs,
      budget: this.#budget,
      refused: (reason, meta) => this.#refusals.refused(reason, { plugin: name, ...meta }),
    });
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
    this.#watch?.close();
    clearInterval(this.#sweep);
    await this.#reloading.catch(() => {});
    await this.#verifying;
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
      for (const p of plugins) p.pool.kill();
      await Promise.all(left.map((s) => s.done));
    }
    this.#lock?.release();
    this.#log.info('openlsmd stopped');
  }
}
