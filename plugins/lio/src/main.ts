/** `lio_lsmplugin <fd>`: serves one client session of the lio plugin. */
import { runPlugin } from '@openlsm/plugin';
import { LioPlugin } from './plugin.js';

runPlugin(() => new LioPlugin());
