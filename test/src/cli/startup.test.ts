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
