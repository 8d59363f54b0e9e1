/**
 * `sim_lsmplugin <fd>`: serves one client session of the simulator, or, when openlsmd asks, up to 64 at once
 * (every bit of a session's state is in its SimPlugin instance and the state file, so sessions can share a
 * process safely).
 */
import { runPlugin } from '@openlsm/plugin';
import { SimPlugin } from './plugin.js';

runPlugin(() => new SimPlugin(), { sessionsPerProcess: 64 });
