#!/usr/bin/env node
// Bundles the short-lived executables (lsmcli and the plugins) into one file each, after `tsc -b`.
//
// Why: both start for every lsmcli command, and on Node 20 loading ~80 ESM modules one by one costs 30-45 ms
// per process (there is no compile cache before Node 22). One file loads in a few ms. The bundles are built from
// the tsc output, so `dist/` stays the source of truth; the bin wrappers fall back to `dist/main.js` when a
// bundle is missing. Native and lazily-loaded packages stay external and are resolved from node_modules.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
// `name` is the bundle's file name in the entry's dist/ directory. lsmcli is split at its dynamic imports, so the
// entry chunk that starts the plugin process is small and the rest loads while the plugin starts; the chunks sit
// beside the entry so that paths relative to `import.meta.url` (../package.json) stay what they are in dist/.
const targets = [
  { entry: 'plugins/sim/dist/main.js', name: 'sim_lsmplugin', split: false },
  { entry: 'plugins/tgt/dist/main.js', name: 'tgt_lsmplugin', split: false },
  { entry: 'plugins/targetd/dist/main.js', name: 'targetd_lsmplugin', split: false },
  { entry: 'plugins/lio/dist/main.js', name: 'lio_lsmplugin', split: false },
  { entry: 'cli/dist/main.js', name: 'lsmcli', split: true },
];

for (const t of targets) {
  const dir = path.join(root, path.dirname(t.entry));
  for (const f of readdirSync(dir)) {
    if (f.startsWith(`${t.name}.bundle`) || f.startsWith(`${t.name}.chunk-`)) rmSync(path.join(dir, f));
  }
}

await Promise.all(targets.map((t) => build({
  entryPoints: { [`${t.name}.bundle`]: path.join(root, t.entry) },
  outdir: path.join(root, path.dirname(t.entry)),
  outExtension: { '.js': '.mjs' },
  splitting: t.split,
  chunkNames: `${t.name}.chunk-[hash]`,
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
