#!/usr/bin/env node
// `openlsm-lio restore [...]`: puts saveconfig.json back into the kernel's target (see docs/plugins/lio.md).
import '../dist/restore-main.js';
