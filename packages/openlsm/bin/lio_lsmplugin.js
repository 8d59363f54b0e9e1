#!/usr/bin/env node
// `lio_lsmplugin` of the package that provides it, so that `npm install -g openlsm` puts it on the PATH.
import '@openlsm/plugin-lio/bin/lio_lsmplugin.js';
