/**
 * openlsm-targetd's server: the backend sessions, the LUN table, the method table and the HTTP(S) listener,
 * started in the order that fails fastest (certificate files, then the state file, then the backend, then the
 * socket), and stopped without cutting calls in flight short.
 */
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { Capability, ErrorNumber, isSupported, LsmError, type System, TargetPortType } from '@openlsm/core';
import type { Logger } from '@openlsm/log';
import { BasicAuthGate } from './auth.js';
import { Backend } from './backend.js';
import type { ServerConfig } from './config.js';
import { TargetdCode, TargetdError } from './errors.js';
import { createRpcServer, type RpcServer } from './http-server.js';
import { type Dispatch, methodNotFound } from './jsonrpc.js';
import { KeyedMutex } from './keyed-mutex.js';
import { LunRegistry } from './lun-registry.js';
import { METHODS } from './methods/index.js';
import { bindArgs } from './params.js';
import { loadTlsOptions } from './tls.js';
import { BackendView, type Offered, resolveOffered, type ServerState } from './view.js';

export interface StartOptions {
  config: ServerConfig;
  log: Logger;
  /** Environment for finding the backend plugin (default: the process's). */
  env?: NodeJS.ProcessEnv;
}

/** How long `stop` lets calls in flight finish before it closes their connections. */
const STOP_GRACE_MS = 10_000;

/** The system behind the offered pools (they must all be on one), or the backend's only system. */
function chooseSystem(systems: readonly System[], offered: readonly Offered[], poolSystems: Map<string, string>): System {
  const ids = new Set(offered.map((o) => poolSystems.get(o.poolId)));
  const [only] = ids;
  if (ids.size > 1) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `The offered pools belong to ${ids.size} systems (${[...ids].join(', ')}); offer the pools of one system per server`);
  const system = only === undefined ? systems[0] : systems.find((s) => s.id === only);
  if (!system) throw new LsmError(ErrorNumber.PLUGIN_BUG, 'The backend lists no system');
  return system;
}

function timeout(ms: number): TargetdError {
  return new TargetdError(TargetdCode.GENERIC, `TIMEOUT: the call did not finish within call_timeout_ms (${ms} ms); a change may still complete on the backend, so list before retrying`);
}

export class TargetdServer {
  readonly #server: RpcServer;
  readonly #state: ServerState;
  readonly #inFlight = new Set<Promise<unknown>>();

  private constructor(state: ServerState, tls: SecureContextOptions | undefined) {
    this.#state = state;
    const gate = new BasicAuthGate(state.config.user, state.config.password);
    this.#server = createRpcServer({ tls, gate, dispatch: this.#dispatch, log: state.log });
  }

  static async start({ config, log, env }: StartOptions): Promise<TargetdServer> {
    const tls = config.ssl ? loadTlsOptions(config.sslCert, config.sslKey) : undefined;
    const luns = await LunRegistry.open(config.stateFile);
    const backend = new Backend({
      uri: config.backend, password: config.backendPassword, sessions: config.backendSessions, timeoutMs: config.callTimeoutMs, log,
      ...(env ? { env } : {}),
    });
    try {
      await backend.start();
      const [pools, systems] = await backend.use((c) => Promise.all([c.pools(), c.systems()]));
      const offered = resolveOffered(pools, config.blockPools, config.fsPools);
      const system = chooseSystem(systems, offered, new Map(pools.map((p) => [p.id, p.system_id])));
      const capabilities = await backend.use((c) => c.capabilities({ system }));
      const state: ServerState = { config, backend, luns, locks: new KeyedMutex(), log, system, capabilities, offered };
      if (isSupported(capabilities, Capability.TARGET_PORTS)) await warnOnTargetMismatch(state);
      const server = new TargetdServer(state, tls);
      await server.#listen();
      return server;
    } catch (err) {
      await backend.close();
      throw err;
    }
  }

  #listen(): Promise<void> {
    const { listen, port } = this.#state.config;
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        reject(new LsmError(ErrorNumber.INVALID_ARGUMENT, `Cannot listen on ${listen} port ${port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.code ?? err.message}`));
      };
      this.#server.once('error', onError);
      this.#server.listen({ host: listen, port, exclusive: true }, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
  }

  readonly #dispatch: Dispatch = (name, params) => {
    const def = Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
    if (!def) return Promise.reject(methodNotFound(name));
    let args: Record<string, unknown>;
    try {
      args = bindArgs(def.params, params);
    } catch (err) {
      return Promise.reject(err);
    }
    const ms = this.#state.config.callTimeoutMs;
    const signal = AbortSignal.timeout(ms);
    const work = def.run(new BackendView(this.#state, signal), args);
    this.#inFlight.add(work);
    const settled = () => this.#inFlight.delete(work);
    work.then(settled, settled);
    // The answer leaves at the deadline even if the method is still waiting for something other than the backend.
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(timeout(ms));
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  };

  /** Where the server listens (the port is the real one when the configuration asked for 0). */
  get address(): AddressInfo {
    return this.#server.address() as AddressInfo;
  }

  get tls(): boolean {
    return this.#state.config.ssl;
  }

  /**
   * Re-reads the certificate and key and uses them for new connections; connections already open keep theirs.
   * Throws (and keeps the current certificate) when the files are refused.
   */
  reloadCertificate(): void {
    const { ssl, sslCert, sslKey } = this.#state.config;
    if (!ssl) return;
    (this.#server as https.Server).setSecureContext(loadTlsOptions(sslCert, sslKey));
  }

  /** Stops accepting, lets calls in flight finish (at most 10 s), then closes every connection and the backend. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    const grace = new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([Promise.allSettled([...this.#inFlight]), grace]);
    this.#server.closeAllConnections();
    await closed;
    await this.#state.backend.close();
  }
}

/**
 * Warns when target_name or portal_addresses are set and the backend's iSCSI target or portals differ: the
 * backend decides where initiators log in, so a mismatch means the configuration describes another target.
 */
async function warnOnTargetMismatch(state: ServerState): Promise<void> {
  const ports = await state.backend.use((c) => c.targetPorts({ search_key: 'system_id', search_value: state.system.id }));
  const iscsi = ports.filter((p) => p.port_type === TargetPortType.ISCSI);
  if (iscsi.length === 0) return;
  const targets = new Set(iscsi.map((p) => p.service_address));
  const { targetName, portalAddresses = [], configFile } = state.config;
  if (targetName !== undefined && !targets.has(targetName)) {
    state.log.warn('target_name is not the backend\'s iSCSI target; initiators log in to the backend\'s', { config: configFile, target_name: targetName, backend_targets: [...targets] });
  }
  const portals = new Set(iscsi.map((p) => p.network_address.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1')));
  const missing = portalAddresses.filter((a) => a !== '0.0.0.0' && a !== '::' && !portals.has(a));
  if (missing.length > 0) state.log.warn('portal_addresses not served by the backend', { config: configFile, missing, backend_portals: [...portals] });
}
