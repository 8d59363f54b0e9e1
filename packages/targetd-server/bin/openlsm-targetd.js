#!/usr/bin/env node
// Installed entry point; the code lives in dist/ (built by `npm run build`, which `npm ci` runs).
import '../dist/main.js';
