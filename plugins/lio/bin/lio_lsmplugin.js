#!/usr/bin/env node
// Installed entry point. `npm run build` bundles dist/ into one file that starts faster (scripts/bundle.mjs);
// without the bundle, the compiled modules are loaded directly.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/lio_lsmplugin.bundle.mjs', import.meta.url);
await import(existsSync(bundle) ? bundle.href : '../dist/main.js');
