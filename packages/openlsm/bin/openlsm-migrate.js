#!/usr/bin/env node
// `openlsm-migrate` (tgt to LIO) of the package that provides it, on the PATH with openlsm.
import '@openlsm/migrate/bin/openlsm-migrate.js';
