#!/usr/bin/env node
// `openlsmd` of the package that provides it, so that `npm install -g openlsm` puts it on the PATH.
import '@openlsm/daemon/bin/openlsmd.js';
