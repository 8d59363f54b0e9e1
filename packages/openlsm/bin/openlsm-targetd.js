#!/usr/bin/env node
// `openlsm-targetd` (targetd's API over any backend) of the package that provides it, on the PATH with openlsm.
import '@openlsm/targetd-server/bin/openlsm-targetd.js';
