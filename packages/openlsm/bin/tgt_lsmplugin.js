#!/usr/bin/env node
// `tgt_lsmplugin` of the package that provides it, so that `npm install -g openlsm` puts it on the PATH.
import '@openlsm/plugin-tgt/bin/tgt_lsmplugin.js';
