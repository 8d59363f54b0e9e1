#!/usr/bin/env node
// `targetd_lsmplugin` of the package that provides it, so that `npm install -g openlsm` puts it on the PATH.
import '@openlsm/plugin-targetd/bin/targetd_lsmplugin.js';
