#!/usr/bin/env node
// Installed entry point. `npm run build` (which `npm ci` runs) compiles dist/ and bundles it into one file that
// starts faster (see scripts/bundle.mjs); without the bundle, the compiled modules are loaded directly.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/targetd_lsmplugin.bundle.mjs', import.meta.url);
await import(existsSync(bundle) ? bundle.href : '../dist/main.js');
