/** `targetd_lsmplugin <fd>`: serves one client session against a targetd appliance. */
import { runPlugin } from '@openlsm/plugin';
import { TargetdPlugin } from './plugin.js';

runPlugin(() => new TargetdPlugin());
