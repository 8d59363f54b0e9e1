#!/usr/bin/env node
// `openlsm-migrate tgt-to-lio [...]`: carries tgtd's targets over to LIO (see docs/migrate-tgt-to-lio.md).
import '../dist/main.js';
