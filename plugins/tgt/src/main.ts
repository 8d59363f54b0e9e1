/** `tgt_lsmplugin <fd>`: serves one client session for tgtd. */
import { runPlugin } from '@openlsm/plugin';
import { TgtPlugin } from './plugin.js';

runPlugin(() => new TgtPlugin());
