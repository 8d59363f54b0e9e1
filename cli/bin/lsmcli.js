#!/usr/bin/env node
// Installed entry point. `npm run build` (which `npm ci` runs) compiles dist/ and bundles it into one file with a
// V8 code cache, which starts much faster (see bundle-loader.js and scripts/bundle.mjs); without the bundle, the
// compiled modules are loaded directly. CommonJS (bin/package.json), like the bundle: a command that starts as a
// script never pays for Node's ES module loader.
'use strict';

if (!require('./bundle-loader.js').runBundle()) import('../dist/main.js');
