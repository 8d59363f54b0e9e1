#!/usr/bin/env node
// Bundles the short-lived executables (lsmcli and the plugins) into one file each, after `tsc -b`.
//
// Why: both start for every lsmcli command, and on Node 20 loading ~80 ESM modules one by one costs 30-45 ms
// per process (there is no compile cache before Node 22). One file loads in a few ms, and lsmcli's with a code
// cache in fewer still. The bundles are built from
// the tsc output, so `dist/` stays the source of truth; the bin wrappers fall back to `dist/main.js` when a
// bundle is missing. Native and lazily-loaded packages stay external and are resolved from node_modules.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
// `name` is the bundle's file name in the entry's dist/ directory, beside the modules it replaces, so that paths
// relative to `import.meta.url` (../package.json) stay what they are in dist/. lsmcli is one CommonJS script
// that cli/bin/bundle-loader.js runs with a V8 code cache (made below): with the cache, loading the whole CLI at
// once is cheaper than loading only the parts a command needs as separate ES modules.
const targets = [
  { entry: 'plugins/sim/dist/main.js', name: 'sim_lsmplugin', split: false },
  { entry: 'plugins/tgt/dist/main.js', name: 'tgt_lsmplugin', split: false },
  { entry: 'plugins/targetd/dist/main.js', name: 'targetd_lsmplugin', split: false },
  { entry: 'plugins/lio/dist/main.js', name: 'lio_lsmplugin', split: false },
  { entry: 'cli/dist/main.js', name: 'lsmcli', split: false, cjs: true },
];

for (const t of targets) {
  const dir = path.join(root, path.dirname(t.entry));
  for (const f of readdirSync(dir)) {
    if (f.startsWith(`${t.name}.bundle`) || f.startsWith(`${t.name}.chunk-`)) rmSync(path.join(dir, f));
  }
}

// lsmcli decodes at most a few hundred kilobytes per command: msgpackr's JavaScript decoder does that in a few ms,
// while loading its native string extractor (msgpackr-extract, found through node-gyp-build, which loads
// child_process) costs ~15 ms of every start. Long-lived processes (plugins, openlsmd) keep the native one.
const msgpackrWithoutNative = {
  name: 'msgpackr-without-native',
  setup(b) {
    // The browser/default entry of the hoisted package (its exports map offers no subpath to name it by); where
    // npm put msgpackr elsewhere, the usual resolution stands and lsmcli is only slower to start.
    const jsEntry = path.join(root, 'node_modules/msgpackr/index.js');
    b.onResolve({ filter: /^msgpackr$/ }, () => (existsSync(jsEntry) ? { path: jsEntry } : undefined));
  },
};

// commander loads child_process at the top of its Command class, only to run git-style executable subcommands,
// which lsmcli has none of; loading it is ~5 ms of each start. lsmcli's bundle gives commander a stand-in that
// loads it on first use.
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (args.importer.includes(`${path.sep}commander${path.sep}`)
      ? { path: 'lazy-child-process', namespace: 'openlsm-lazy' }
      : undefined));
    b.onLoad({ filter: /.*/, namespace: 'openlsm-lazy' }, () => ({
      contents: "module.exports = { spawn: (...args) => process.getBuiltinModule('node:child_process').spawn(...args) };",
      loader: 'js',
    }));
  },
};

await Promise.all(targets.map((t) => build({
  entryPoints: { [`${t.name}.bundle`]: path.join(root, t.entry) },
  outdir: path.join(root, path.dirname(t.entry)),
  outExtension: { '.js': t.cjs ? '.cjs' : '.mjs' },
  splitting: t.split,
  chunkNames: `${t.name}.chunk-[hash]`,
  bundle: true,
  platform: 'node',
  format: t.cjs ? 'cjs' : 'esm',
  target: 'node20',
  // better-sqlite3 and msgpackr-extract are native; winston is loaded only when something is logged.
  external: ['better-sqlite3', 'msgpackr-extract', 'winston'],
  ...(t.cjs
    // A script has no import.meta: the modules' import.meta.url becomes the bundle's own file URL.
    ? { define: { 'import.meta.url': '__openlsmImportMetaUrl' }, banner: { js: "const __openlsmImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" } }
    // Bundled CommonJS code (commander) calls require() for Node built-ins; give the ESM bundle one.
    : { banner: { js: "import { createRequire as __openlsmRequire } from 'node:module'; const require = __openlsmRequire(import.meta.url);" } }),
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: t.cjs ? [msgpackrWithoutNative, lazyChildProcessForCommander] : [],
})));

// lsmcli's code cache: one warm-up run of a listing (embedded simulator on a throw-away state file) compiles what
// a command needs, and V8 serializes it. Optional: without it lsmcli is only slower to start.
{
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'openlsm-code-cache-'));
  const loader = path.join(root, 'cli/bin/bundle-loader.js');
  const warmUp = `process.argv.splice(1, 0, 'lsmcli'); require(${JSON.stringify(loader)}).runBundle({ writeCache: true });`;
  const r = spawnSync(process.execPath, ['-e', warmUp, '--', '-u', `sim://?statefile=${path.join(tmp, 'state.sqlite3')}`, 'list', '--type', 'disks'], {
    env: { ...process.env, LSM_UDS_PATH: path.join(tmp, 'no-daemon'), LSM_SIM_TIME: '0', OPENLSM_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 60_000,
  });
  rmSync(tmp, { recursive: true, force: true });
  if (r.status !== 0) console.warn(`bundle: lsmcli's code cache was made from a failed warm-up run (${r.status ?? r.signal}): ${String(r.stderr).slice(0, 500)}`);
}
