/**
 * What makes lsmcli start fast is in place after `npm run build`: the one-file bundle, and a V8 code cache that
 * V8 accepts for it (a cache made from other source, or by another Node, would silently be compiled around).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const loader = new URL('../../../cli/bin/bundle-loader.js', import.meta.url);

test('the build made lsmcli\'s bundle and a code cache V8 accepts for it, covering the listing path', async () => {
  const { BUNDLE, CODE_CACHE, compileBundle } = await import(fileURLToPath(loader)) as {
    BUNDLE: string; CODE_CACHE: string; compileBundle(o?: { useCache?: boolean }): { cachedDataRejected?: boolean } | undefined;
  };
  assert.ok(statSync(BUNDLE).size > 100_000, 'the bundle exists');
  // Made after a warm-up listing: it holds the compiled functions of that run, not just the top level.
  assert.ok(statSync(CODE_CACHE).size > statSync(BUNDLE).size / 4, 'the code cache holds compiled functions');
  const script = compileBundle();
  assert.ok(script);
  assert.equal(script.cachedDataRejected, false, 'V8 accepts the cache for this bundle and this Node');
});

test('a listing through the bundle loads neither child_process nor msgpackr\'s native extractor (start-up cost, not needed)', async () => {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-startup-'));
  try {
    // Run in-process through the loader and report what was loaded at the first step towards a plugin: the
    // connection to openlsmd, or (no openlsmd here) the start of the embedded simulator, which is where
    // child_process is first needed.
    const probe = [
      "const mods = () => process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));",
      "const Module = require('node:module'); const seen = [];",
      "const load = Module._load; Module._load = function (r, ...a) { seen.push(r); return load.call(this, r, ...a); };",
      "const report = () => { console.error(JSON.stringify({ builtins: mods(), required: seen })); process.exit(0); };",
      "require('node:net').Socket.prototype.connect = report;",
      "const builtin = process.getBuiltinModule; process.getBuiltinModule = (id) => (id === 'node:child_process' ? report() : builtin(id));",
      `process.argv.splice(1, 0, 'lsmcli'); require(${JSON.stringify(fileURLToPath(loader))}).runBundle();`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['-e', probe, '--', '-u', 'sim://', 'list', '--type', 'systems'], {
      env: { ...process.env, LSM_UDS_PATH: dir, OPENLSM_LOG_LEVEL: 'error' }, encoding: 'utf8', timeout: 60_000,
    });
    const line = r.stderr.split('\n').find((l) => l.startsWith('{"builtins"'));
    assert.ok(line, `the probe reported what was loaded: ${r.stderr.slice(0, 500)}`);
    const { builtins, required } = JSON.parse(line) as { builtins: string[]; required: string[] };
    assert.ok(builtins.includes('stream'), 'the probe ran once the CLI was loaded');
    assert.ok(!builtins.includes('child_process'), 'child_process is not loaded before it is needed');
    assert.ok(!required.some((m) => m.includes('msgpackr-extract') || m.includes('node-gyp-build')), `no native extractor: ${required.join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
