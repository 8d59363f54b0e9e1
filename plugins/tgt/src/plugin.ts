/**
 * The `tgt://` plugin: tgtd, the userspace iSCSI target, spoken to over its management socket. This class only
 * adapts lsm's RPCs to the modules: config.ts (what to manage), inventory.ts (pools and volumes),
 * access-groups.ts (masking and CHAP as state changes), store.ts (state and tgtd changed as one step).
 *
 * `plugin_register` replays the plugin's state into tgtd, so every session starts from a tgtd that holds what
 * the state says, including a tgtd that restarted empty.
 */
import { createRequire } from 'node:module';
import {
  type AccessGroup, type AccessGroupCreate, type AccessGroupDelete, type AccessGroupInitiatorAdd,
  type AccessGroupInitiatorDelete, type AccessGroups, type AccessGroupsGrantedToVolume, type Capabilities,
  type CapabilitiesGet, describeForMessage, ErrorNumber, type IscsiChapAuth, LsmError, parseUri, type PluginRegister,
  type Pool, type Pools, type System, SystemMode, SystemStatus, ReadCachePct, type TargetPort, TargetPortType,
  type TargetPorts, type Volume, type VolumeCreate, type VolumeDelete, type VolumeMask,
  type VolumeReplicate, type VolumeResize, type Volumes, type VolumesAccessibleByAccessGroup, type VolumeUnmask,
} from '@openlsm/core';
import { type CallContext, type Params, type Plugin, searchFilter } from '@openlsm/plugin';
import {
  accessGroupObject, addInitiator, createGroup, deleteGroup, findGroup, mask, removeInitiator, setChap, unmask,
} from './access-groups.js';
import { tgtCapabilities } from './capabilities.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from './config.js';
import { desiredConfig } from './desired.js';
import { Inventory, SYSTEM_ID, volumeObject } from './inventory.js';
import { type ChangeOptions, TgtStore } from './store.js';
import { TgtdAdmin } from './tgtd/admin.js';
import { TgtdClient } from './tgtd/client.js';
import { createVolume, deleteVolume, replicateVolume, resizeVolume } from './volumes.js';

const packageJson = createRequire(import.meta.url)('../package.json') as { version: string };

const URI_PARAMETERS = ['config'];

interface Session {
  store: TgtStore;
  inventory: Inventory;
  system: System;
}

export class TgtPlugin implements Plugin {
  readonly description = 'tgtd, the userspace iSCSI target';
  readonly version: string = packageJson.version;
  #session: Session | undefined;

  get #s(): Session {
    if (!this.#session) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'The tgt plugin has no session: call plugin_register first');
    return this.#session;
  }

  #options(ctx: CallContext): ChangeOptions {
    return { signal: ctx.signal, timeoutMs: ctx.timeoutMs };
  }

  async pluginRegister(p: Params<typeof PluginRegister>, ctx: CallContext): Promise<void> {
    const uri = parseUri(p.uri);
    for (const key of Object.keys(uri.parameters)) {
      if (!URI_PARAMETERS.includes(key)) {
        throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Unknown tgt:// parameter ${describeForMessage(key)} (known: ${URI_PARAMETERS.join(', ')})`);
      }
    }
    if (uri.host !== null) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'tgt:// manages the tgtd of this machine: give no host (tgt://?config=/etc/openlsm/tgt.yaml)');
    }
    const config = loadConfig(uri.parameters.config ?? DEFAULT_CONFIG_FILE);
    const admin = new TgtdAdmin(new TgtdClient({ socketPath: config.socket, timeoutMs: p.timeout }));
    const store = TgtStore.open(config, admin, ctx.log);
    try {
      await store.replay({ signal: ctx.signal, timeoutMs: p.timeout });
    } catch (err) {
      await store.close();
      throw err;
    }
    const system: System = {
      id: SYSTEM_ID, name: config.systemName, status: SystemStatus.OK, status_info: '', plugin_data: null,
      fw_version: '', read_cache_pct: ReadCachePct.NO_SUPPORT, mode: SystemMode.NO_SUPPORT,
    };
    this.#session = { store, inventory: new Inventory(config), system };
  }

  async pluginUnregister(): Promise<void> {
    await this.#session?.store.close();
    this.#session = undefined;
  }

  #requireSystem(id: string): void {
    if (id !== SYSTEM_ID) throw new LsmError(ErrorNumber.NOT_FOUND_SYSTEM, `System ${describeForMessage(String(id))} not found`);
  }

  capabilities(p: Params<typeof CapabilitiesGet>): Capabilities {
    this.#requireSystem(p.system.id);
    return tgtCapabilities();
  }

  systems(): System[] {
    return [this.#s.system];
  }

  async pools(p: Params<typeof Pools>): Promise<Pool[]> {
    return searchFilter(await this.#s.inventory.pools(), p.search_key, p.search_value);
  }

  async volumes(p: Params<typeof Volumes>): Promise<Volume[]> {
    const { inventory, store } = this.#s;
    const [entries, state] = await Promise.all([inventory.volumes(), store.read()]);
    return searchFilter(entries.map((e) => volumeObject(e, state)), p.search_key, p.search_value);
  }

  async volumeCreate(p: Params<typeof VolumeCreate>, ctx: CallContext): Promise<[null, Volume]> {
    const { store, inventory } = this.#s;
    return [null, await createVolume(store, inventory, p.pool, p.volume_name, p.size_bytes, p.provisioning, this.#options(ctx))];
  }

  async volumeResize(p: Params<typeof VolumeResize>, ctx: CallContext): Promise<[null, Volume]> {
    const { store, inventory } = this.#s;
    return [null, await resizeVolume(store, inventory, p.volume, p.new_size_bytes, this.#options(ctx))];
  }

  async volumeReplicate(p: Params<typeof VolumeReplicate>, ctx: CallContext): Promise<[string, null]> {
    const { store, inventory } = this.#s;
    return [await replicateVolume(store, inventory, ctx.jobs, p.pool, p.rep_type, p.volume_src, p.name, this.#options(ctx)), null];
  }

  async volumeDelete(p: Params<typeof VolumeDelete>, ctx: CallContext): Promise<null> {
    const { store, inventory } = this.#s;
    await deleteVolume(store, inventory, p.volume, this.#options(ctx));
    return null;
  }

  async targetPorts(p: Params<typeof TargetPorts>, ctx: CallContext): Promise<TargetPort[]> {
    const { store } = this.#s;
    const [portals, state] = await Promise.all([store.admin.portals(this.#options(ctx)), store.read()]);
    const ports: TargetPort[] = [];
    for (const name of desiredConfig(state, store.config).targets.keys()) {
      for (const portal of portals) {
        ports.push({
          id: `${name}@${portal.address}`, port_type: TargetPortType.ISCSI, service_address: name,
          network_address: portal.address, physical_address: '', physical_name: portal.address, system_id: SYSTEM_ID,
          plugin_data: null,
        });
      }
    }
    return searchFilter(ports, p.search_key, p.search_value);
  }

  async accessGroups(p: Params<typeof AccessGroups>): Promise<AccessGroup[]> {
    const state = await this.#s.store.read();
    return searchFilter(state.accessGroups.map(accessGroupObject), p.search_key, p.search_value);
  }

  async accessGroupCreate(p: Params<typeof AccessGroupCreate>, ctx: CallContext): Promise<AccessGroup> {
    this.#requireSystem(p.system.id);
    return this.#s.store.change((tx) => accessGroupObject(createGroup(tx.state, p.name, p.init_id, p.init_type)), this.#options(ctx));
  }

  async accessGroupDelete(p: Params<typeof AccessGroupDelete>, ctx: CallContext): Promise<null> {
    await this.#s.store.change((tx) => deleteGroup(tx.state, p.access_group.id), this.#options(ctx));
    return null;
  }

  async accessGroupInitiatorAdd(p: Params<typeof AccessGroupInitiatorAdd>, ctx: CallContext): Promise<AccessGroup> {
    return this.#s.store.change((tx) => accessGroupObject(addInitiator(tx.state, p.access_group.id, p.init_id, p.init_type)), this.#options(ctx));
  }

  async accessGroupInitiatorDelete(p: Params<typeof AccessGroupInitiatorDelete>, ctx: CallContext): Promise<AccessGroup> {
    return this.#s.store.change((tx) => accessGroupObject(removeInitiator(tx.state, p.access_group.id, p.init_id, p.init_type)), this.#options(ctx));
  }

  async volumeMask(p: Params<typeof VolumeMask>, ctx: CallContext): Promise<null> {
    const { store, inventory } = this.#s;
    await store.change(async (tx) => {
      findGroup(tx.state, p.access_group.id);
      const entry = await inventory.volume(p.volume.id);
      mask(tx.state, p.access_group.id, entry.id);
    }, this.#options(ctx));
    return null;
  }

  async volumeUnmask(p: Params<typeof VolumeUnmask>, ctx: CallContext): Promise<null> {
    await this.#s.store.change((tx) => unmask(tx.state, p.access_group.id, p.volume.id), this.#options(ctx));
    return null;
  }

  async volumesAccessibleByAccessGroup(p: Params<typeof VolumesAccessibleByAccessGroup>): Promise<Volume[]> {
    const { store, inventory } = this.#s;
    const [state, entries] = await Promise.all([store.read(), inventory.volumes()]);
    const group = findGroup(state, p.access_group.id);
    const masked = new Set(state.masks.filter((m) => m.accessGroup === group.id).map((m) => m.volume));
    return entries.filter((e) => masked.has(e.id)).map((e) => volumeObject(e, state));
  }

  async accessGroupsGrantedToVolume(p: Params<typeof AccessGroupsGrantedToVolume>): Promise<AccessGroup[]> {
    const { store, inventory } = this.#s;
    const entry = await inventory.volume(p.volume.id);
    const state = await store.read();
    const groups = new Set(state.masks.filter((m) => m.volume === entry.id).map((m) => m.accessGroup));
    return state.accessGroups.filter((g) => groups.has(g.id)).map(accessGroupObject);
  }

  async iscsiChapAuth(p: Params<typeof IscsiChapAuth>, ctx: CallContext): Promise<null> {
    const { store } = this.#s;
    await store.change(async (tx) => {
      const known = new Set(tx.state.dirtyAccounts);
      for (const rec of Object.values(tx.state.chap)) for (const c of [rec.in, rec.out]) if (c) known.add(c.user);
      setChap(tx.state, p.init_id, p.in_user, p.in_password, p.out_user, p.out_password);
      // tgtd's accounts are global: never take over one that somebody else created.
      const foreign = (await store.admin.accounts(this.#options(ctx))).filter((u) => !known.has(u));
      for (const user of [p.in_user, p.out_user]) {
        if (user && foreign.includes(user)) {
          throw new LsmError(ErrorNumber.NAME_CONFLICT, `tgtd already has an account ${describeForMessage(user)} that openlsm does not manage; choose another CHAP user name`);
        }
      }
    }, this.#options(ctx));
    return null;
  }
}
