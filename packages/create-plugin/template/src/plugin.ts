import {
  capabilitiesOf, ErrorNumber, LsmError, parseUri, PoolElementType, PoolStatus, SystemStatus, VolumeAdminState,
  type Pool, type PluginRegister, type Pools, type System, type Volume, type Volumes,
} from '@openlsm/core';
import { type Params, type Plugin, searchFilter } from '@openlsm/plugin';

const SYSTEM_ID = 'demo-01';

/**
 * The plugin for the Demo array. A real plugin connects to its array in pluginRegister and asks it for what the
 * listings return; this one answers from constants, so that it runs anywhere.
 */
export class DemoPlugin implements Plugin {
  readonly description = 'Demo array';
  readonly version = '0.1.0';
  #host = '';

  pluginRegister({ uri, password }: Params<typeof PluginRegister>): void {
    const { host } = parseUri(uri);
    if (!host) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, 'demo:// needs a host: demo://admin@array.example');
    // Connect and authenticate here. Never put the password in an error or a log line.
    if (password !== 'secret') throw new LsmError(ErrorNumber.PLUGIN_AUTH_FAILED, `Authentication to ${host} failed`);
    this.#host = host;
  }

  capabilities() {
    // Claim only what the methods below do: openlsm-plugin-test checks every claim.
    return capabilitiesOf(['VOLUMES']);
  }

  systems(): System[] {
    return [{
      id: SYSTEM_ID, name: this.#host, status: SystemStatus.OK, status_info: '', plugin_data: null, fw_version: '1.0',
      read_cache_pct: -2, mode: -2,
    }];
  }

  pools({ search_key, search_value }: Params<typeof Pools>): Pool[] {
    const pools: Pool[] = [{
      id: 'DEMO_POOL_1', name: 'pool 1', element_type: PoolElementType.VOLUME, unsupported_actions: 0,
      total_space: 2n ** 61n, free_space: 2n ** 60n, status: PoolStatus.OK, status_info: '', system_id: SYSTEM_ID,
      plugin_data: null,
    }];
    return searchFilter(pools, search_key, search_value);
  }

  volumes({ search_key, search_value }: Params<typeof Volumes>): Volume[] {
    const volumes: Volume[] = [{
      id: 'DEMO_VOL_1', name: 'volume 1', vpd83: '600a0b80006e0d26000008b752f3fbf6', block_size: 512n,
      num_of_blocks: 2n ** 51n, admin_state: VolumeAdminState.ENABLED, system_id: SYSTEM_ID, pool_id: 'DEMO_POOL_1',
      plugin_data: null,
    }];
    return searchFilter(volumes, search_key, search_value);
  }
}
