// Runs lsmcli from its one-file bundle (dist/lsmcli.bundle.cjs, made by scripts/bundle.mjs) as a V8 script with
// the code cache made at build time (dist/lsmcli.bundle.cache): V8 then deserializes the functions a command
// runs instead of parsing and compiling them, which is most of what loading costs on Node 20 (it has no module
// compile cache). A cache V8 rejects (another Node version, a rebuilt bundle) is ignored; nothing is written at
// run time: the installed files are never modified by running them.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const dist = path.join(__dirname, '..', 'dist');
const BUNDLE = path.join(dist, 'lsmcli.bundle.cjs');
const CODE_CACHE = path.join(dist, 'lsmcli.bundle.cache');

/** The bundle compiled as a script (with the code cache unless `useCache` is false), or undefined without one. */
function compileBundle({ useCache = true } = {}) {
  let source;
  try {
    source = readFileSync(BUNDLE, 'utf8');
  } catch {
    return undefined;
  }
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(CODE_CACHE);
    } catch {
      // no cache: compiled as usual
    }
  }
  return new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: BUNDLE, cachedData });
}

/**
 * Runs the bundle; false when there is none (the caller then loads dist/main.js). With `writeCache` (the build's
 * warm-up run) the code cache is written when the process exits, holding every function the run compiled.
 */
function runBundle({ writeCache = false } = {}) {
  const script = compileBundle({ useCache: !writeCache });
  if (!script) return false;
  if (writeCache) {
    process.once('exit', () => {
      const tmp = `${CODE_CACHE}.${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, CODE_CACHE);
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dist);
  return true;
}

module.exports = { BUNDLE, CODE_CACHE, compileBundle, runBundle };
