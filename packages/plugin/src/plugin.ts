/**
 * What a plugin is: a class with one method per RPC it supports, named in camelCase after lsm's wire name
 * (`volume_create` -> `volumeCreate`). Each method receives validated params (every field present, sizes as
 * bigint) and a CallContext, and returns lsm's result for that RPC (or a promise of it). A method the class
 * lacks is answered NO_SUPPORT by the runner.
 */
import type {
  AnyMethod, Capabilities, CapabilitiesGet, ParsedParamsOf, PluginRegister, Pools, ResultOf, Systems,
} from '@openlsm/core';
import type { Logger } from '@openlsm/log';
import type { JobRegistry } from './jobs.js';

export type { Capabilities };

export interface CallContext {
  /** Aborted at the plugin's timeout (`plugin_register`'s `timeout`, `time_out_set`) or when the client cancels. */
  readonly signal: AbortSignal;
  /** The in-process job registry of this connection's plugin (for work that outlives the call). */
  readonly jobs: JobRegistry;
  readonly log: Logger;
  /** The timeout in ms currently in force. */
  readonly timeoutMs: number;
}

/** A method answering lsm's `null` may return nothing. */
type Answer<R> = [R] extends [null] ? void | null : R;

/** The signature of the plugin method for RPC `D`. */
export type MethodOf<D extends AnyMethod> = (params: ParsedParamsOf<D>, ctx: CallContext) => Answer<ResultOf<D>> | Promise<Answer<ResultOf<D>>>;

/** The validated params of RPC `D`, for annotating plugin methods: `volumeCreate(p: Params<typeof VolumeCreate>)`. */
export type Params<D extends AnyMethod> = ParsedParamsOf<D>;

/** Every RPC a plugin may implement, all optional. */
export type PluginMethods = { [D in AnyMethod as D['name']]?: MethodOf<D> };

/** What every plugin must provide (lsm's mandatory set, less what the runner answers itself). */
export interface PluginCore {
  /** `plugin_info`'s answer; also shown by `lsmcli list --type plugins`. */
  readonly description: string;
  readonly version: string;
  /** Parses the URI, authenticates, connects to the array. Answering `plugin_info` needs none of this. */
  pluginRegister: MethodOf<typeof PluginRegister>;
  capabilities: MethodOf<typeof CapabilitiesGet>;
  systems: MethodOf<typeof Systems>;
  pools: MethodOf<typeof Pools>;
}

export type Plugin = PluginCore & PluginMethods;
