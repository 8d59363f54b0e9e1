#!/usr/bin/env node
// `openlsm-plugin-test` of the package that provides it, so that `npm install -g openlsm` puts it on the PATH.
import '@openlsm/plugin-test/bin/openlsm-plugin-test.js';
