import { runPlugin } from '@openlsm/plugin';
import { DemoPlugin } from './plugin.js';

runPlugin(() => new DemoPlugin());
