/** `sim_lsmplugin <fd>`: serves one client session of the simulator. */
import { runPlugin } from '@openlsm/plugin';
import { SimPlugin } from './plugin.js';

runPlugin(() => new SimPlugin());
