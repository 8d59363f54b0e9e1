#!/usr/bin/env node
// Bundles the short-lived executables (lsmcli and the sim plugin) into one file each, after `tsc -b`.
//
// Why: both start for every lsmcli command, and on Node 20 loading ~80 ESM modules one by one costs 30-45 ms
// per process (there is no compile cache before Node 22). One file loads in a few ms. The bundles are built from
// the tsc output, so `dist/` stays the source of truth; the bin wrappers fall back to `dist/main.js` when a
// bundle is missing. Native and lazily-loaded packages stay external and are resolved from node_modules.
import { build } from 'esbuild';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const targets = [
  { entry: 'plugins/sim/dist/main.js', out: 'plugins/sim/dist/sim_lsmplugin.bundle.mjs' },
  { entry: 'cli/dist/main.js', out: 'cli/dist/lsmcli.bundle.mjs' },
];

await Promise.all(targets.map((t) => build({
  entryPoints: [path.join(root, t.entry)],
  outfile: path.join(root, t.out),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // better-sqlite3 and msgpackr-extract are native; winston is loaded only when something is logged.
  external: ['better-sqlite3', 'msgpackr-extract', 'winston'],
  // Bundled CommonJS code (commander) calls require() for Node built-ins; give the ESM bundle one.
  banner: { js: "import { createRequire as __openlsmRequire } from 'node:module'; const require = __openlsmRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
})));
