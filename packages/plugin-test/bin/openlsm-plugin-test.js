#!/usr/bin/env node
// Installed entry point; the code lives in dist/ (built by `npm run build`).
import '../dist/main.js';
