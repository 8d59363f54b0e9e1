/**
 * The `lio://` plugin: the Linux kernel's iSCSI target on this machine, managed through configfs. This class
 * adapts lsm's calls to the modules under lsm/; each call runs under the session's lock, and each change is
 * undone completely if any of its steps fails (session.ts).
 */
import { createRequire } from 'node:module';
import {
  type AccessGroup, type AccessGroupCreate, type AccessGroupDelete, type AccessGroupInitiatorAdd,
  type AccessGroupInitiatorDelete, type AccessGroups, type AccessGroupsGrantedToVolume, type Capabilities,
  type CapabilitiesGet, capabilitiesOf, describeForMessage, ErrorNumber, type IscsiChapAuth, LsmError, parseUri,
  type PluginRegister, type Pool, type Pools, ReadCachePct, type System, SystemMode, SystemStatus, type TargetPort,
  type TargetPorts, type TimeOutSet, type Volume, type VolumeCreate, type VolumeDelete, type VolumeMask,
  type VolumeReplicate, type VolumeResize, type Volumes, type VolumesAccessibleByAccessGroup, type VolumeUnmask,
} from '@openlsm/core';
import { createLogger, type Logger } from '@openlsm/log';
import { type CallContext, type Params, type Plugin, searchFilter } from '@openlsm/plugin';
import { loadConfig } from './config.js';
import { readBackingPath } from './configfs/backstores.js';
import { addInitiator, createGroup, deleteGroup, describeGroup, listGroups, removeInitiator } from './lsm/access-groups.js';
import { setChap } from './lsm/chap.js';
import { SYSTEM_ID } from './lsm/ids.js';
import { groupsGrantedTo, maskVolume, unmaskVolume, volumesAccessibleBy } from './lsm/masking.js';
import { describePool, externalPool } from './lsm/pools.js';
import { planReplicate, runReplicate } from './lsm/replicate.js';
import { listTargetPorts } from './lsm/target-ports.js';
import { createVolume, deleteVolume, listVolumes, resizeVolume } from './lsm/volumes.js';
import { type CallOptions, LioSession } from './session.js';

const packageJson = createRequire(import.meta.url)('../package.json') as { version: string };

/** What works, exactly: iSCSI only, fileio grows, copies go into directory pools. */
export const LIO_CAPABILITIES = [
  'VOLUMES', 'VOLUME_CREATE', 'VOLUME_RESIZE', 'VOLUME_REPLICATE', 'VOLUME_REPLICATE_COPY', 'VOLUME_DELETE',
  'VOLUME_THIN', 'VOLUME_MASK', 'VOLUME_UNMASK', 'ACCESS_GROUPS', 'ACCESS_GROUP_CREATE_ISCSI_IQN',
  'ACCESS_GROUP_DELETE', 'ACCESS_GROUP_INITIATOR_ADD_ISCSI_IQN', 'ACCESS_GROUP_INITIATOR_DELETE',
  'VOLUMES_ACCESSIBLE_BY_ACCESS_GROUP', 'ACCESS_GROUPS_GRANTED_TO_VOLUME', 'VOLUME_ISCSI_CHAP_AUTHENTICATION',
  'TARGET_PORTS', 'SYS_FW_VERSION_GET',
] as const;

export class LioPlugin implements Plugin {
  readonly description = 'Linux LIO iSCSI target (configfs)';
  readonly version: string = packageJson.version;
  readonly #log: Logger;
  #session: LioSession | undefined;
  #timeoutMs = 30_000;

  constructor(log?: Logger) {
    this.#log = log ?? createLogger({ component: 'lio' });
  }

  get #s(): LioSession {
    if (!this.#session) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'The lio plugin has no session: call plugin_register first');
    return this.#session;
  }

  #opts(ctx: CallContext): CallOptions {
    return { signal: ctx.signal, timeoutMs: this.#timeoutMs };
  }

  async pluginRegister(p: Params<typeof PluginRegister>, ctx: CallContext): Promise<void> {
    const config = loadConfig(parseUri(p.uri).parameters);
    this.#timeoutMs = p.timeout;
    this.#session = await LioSession.open(config, this.#log, this.#opts(ctx));
  }

  async pluginUnregister(): Promise<void> {
    await this.#session?.close();
    this.#session = undefined;
  }

  timeOutSet(p: Params<typeof TimeOutSet>): void {
    this.#timeoutMs = p.ms;
  }

  capabilities(p: Params<typeof CapabilitiesGet>): Capabilities {
    this.#system(p.system.id);
    return capabilitiesOf(LIO_CAPABILITIES);
  }

  #system(id: string): void {
    if (id !== SYSTEM_ID) throw new LsmError(ErrorNumber.NOT_FOUND_SYSTEM, `System ${describeForMessage(id)} not found`);
  }

  systems(): System[] {
    const s = this.#s;
    const version = s.tree.readOptional('version') ?? '';
    return [{
      id: SYSTEM_ID, name: s.config.targetIqn, status: SystemStatus.OK, status_info: `LIO in ${s.config.configfs}`,
      plugin_data: null, fw_version: version.replace(/^Target Engine Core ConfigFS Infrastructure /, ''),
      read_cache_pct: ReadCachePct.NO_SUPPORT, mode: SystemMode.NO_SUPPORT,
    }];
  }

  async pools(p: Params<typeof Pools>, ctx: CallContext): Promise<Pool[]> {
    const list = await this.#s.view(async (view) => {
      const used = new Set(Object.values(view.state.volumes).map((v) => v.device).filter((d): d is string => d !== undefined));
      if ([...view.pools.values()].some((pool) => pool.kind === 'block')) {
        for (const so of view.scan().objects) if (so.plugin === 'block') used.add(readBackingPath(view.tree, so));
      }
      const out: Pool[] = [];
      for (const pool of view.pools.values()) out.push(await describePool(pool, used));
      out.push(externalPool());
      return out;
    }, this.#opts(ctx));
    return searchFilter(list, p.search_key, p.search_value);
  }

  async volumes(p: Params<typeof Volumes>, ctx: CallContext): Promise<Volume[]> {
    return searchFilter(await this.#s.view((view) => listVolumes(view), this.#opts(ctx)), p.search_key, p.search_value);
  }

  async volumeCreate(p: Params<typeof VolumeCreate>, ctx: CallContext): Promise<[null, Volume]> {
    const volume = await this.#s.change((c) => createVolume(c, p.pool.id, p.volume_name, p.size_bytes, p.provisioning), this.#opts(ctx));
    return [null, volume];
  }

  async volumeDelete(p: Params<typeof VolumeDelete>, ctx: CallContext): Promise<null> {
    await this.#s.change((c) => deleteVolume(c, p.volume), this.#opts(ctx));
    return null;
  }

  async volumeResize(p: Params<typeof VolumeResize>, ctx: CallContext): Promise<[null, Volume]> {
    return [null, await this.#s.change((c) => resizeVolume(c, p.volume, p.new_size_bytes), this.#opts(ctx))];
  }

  async volumeReplicate(p: Params<typeof VolumeReplicate>, ctx: CallContext): Promise<[string, null]> {
    const session = this.#s;
    const plan = await session.view((view) => planReplicate(view, p.pool, p.rep_type, p.volume_src, p.name), this.#opts(ctx));
    const jobId = ctx.jobs.run((progress, signal) => runReplicate(session, plan, progress, signal));
    return [jobId, null];
  }

  async accessGroups(p: Params<typeof AccessGroups>, ctx: CallContext): Promise<AccessGroup[]> {
    const list = await this.#s.view((view) => listGroups(view).map(describeGroup), this.#opts(ctx));
    return searchFilter(list, p.search_key, p.search_value);
  }

  async accessGroupCreate(p: Params<typeof AccessGroupCreate>, ctx: CallContext): Promise<AccessGroup> {
    return this.#s.change(async (c) => createGroup(c, p.name, p.init_id, p.init_type, p.system.id), this.#opts(ctx));
  }

  async accessGroupDelete(p: Params<typeof AccessGroupDelete>, ctx: CallContext): Promise<void> {
    await this.#s.change(async (c) => deleteGroup(c, p.access_group), this.#opts(ctx));
  }

  async accessGroupInitiatorAdd(p: Params<typeof AccessGroupInitiatorAdd>, ctx: CallContext): Promise<AccessGroup> {
    return this.#s.change(async (c) => addInitiator(c, p.access_group, p.init_id, p.init_type), this.#opts(ctx));
  }

  async accessGroupInitiatorDelete(p: Params<typeof AccessGroupInitiatorDelete>, ctx: CallContext): Promise<AccessGroup> {
    return this.#s.change(async (c) => removeInitiator(c, p.access_group, p.init_id, p.init_type), this.#opts(ctx));
  }

  async volumeMask(p: Params<typeof VolumeMask>, ctx: CallContext): Promise<void> {
    await this.#s.change(async (c) => maskVolume(c, p.access_group, p.volume), this.#opts(ctx));
  }

  async volumeUnmask(p: Params<typeof VolumeUnmask>, ctx: CallContext): Promise<void> {
    await this.#s.change(async (c) => unmaskVolume(c, p.access_group, p.volume), this.#opts(ctx));
  }

  async volumesAccessibleByAccessGroup(p: Params<typeof VolumesAccessibleByAccessGroup>, ctx: CallContext): Promise<Volume[]> {
    return this.#s.view((view) => volumesAccessibleBy(view, p.access_group), this.#opts(ctx));
  }

  async accessGroupsGrantedToVolume(p: Params<typeof AccessGroupsGrantedToVolume>, ctx: CallContext): Promise<AccessGroup[]> {
    return this.#s.view((view) => groupsGrantedTo(view, p.volume), this.#opts(ctx));
  }

  async iscsiChapAuth(p: Params<typeof IscsiChapAuth>, ctx: CallContext): Promise<void> {
    await this.#s.change(async (c) => setChap(c, p.init_id, p.in_user, p.in_password, p.out_user, p.out_password), this.#opts(ctx));
  }

  async targetPorts(p: Params<typeof TargetPorts>, ctx: CallContext): Promise<TargetPort[]> {
    return searchFilter(await this.#s.view((view) => listTargetPorts(view), this.#opts(ctx)), p.search_key, p.search_value);
  }
}
