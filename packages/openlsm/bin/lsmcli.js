#!/usr/bin/env node
// `lsmcli` of the package that provides it, so that `npm install -g openlsm` puts it on the PATH.
import '@openlsm/lsmcli/bin/lsmcli.js';
