#!/usr/bin/env node
// `sim_lsmplugin` of the package that provides it, so that `npm install -g openlsm` puts it on the PATH.
import '@openlsm/plugin-sim/bin/sim_lsmplugin.js';
