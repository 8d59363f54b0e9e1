/**
 * @openlsm/plugin-sim: the `sim://` simulated array. Run as the `sim_lsmplugin` executable; the exports are for
 * embedding the simulator in-process and for tests that inspect a state file.
 */
export { SimPlugin } from './plugin.js';
export { SimStore, defaultStatePath, resolveStatePath } from './store.js';
export { SIM_CAPABILITIES, simCapabilities } from './capabilities.js';
export { STATE_FORMAT } from './schema-sql.js';
export { SYSTEM_ID } from './ids.js';
