#!/usr/bin/env node
// Installed entry point. `npm run build` (which `npm ci` runs) compiles dist/ and bundles it into one file with a
// V8 code cache, which starts much faster (see bundle-loader.js and scripts/bundle.mjs); without the bundle, the
// compiled modules are loaded directly.
import { runBundle } from './bundle-loader.js';

if (!runBundle()) await import('../dist/main.js');
