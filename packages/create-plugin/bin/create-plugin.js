#!/usr/bin/env node
// Installed entry point (`npm init @openlsm/plugin` runs it); the code lives in dist/.
import '../dist/main.js';
