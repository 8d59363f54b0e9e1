#!/usr/bin/env node
// `openlsm-lio` (restore and save LIO's saveconfig.json) of the package that provides it, on the PATH with openlsm.
import '@openlsm/plugin-lio/bin/openlsm-lio.js';
