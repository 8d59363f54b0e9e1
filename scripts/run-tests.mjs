#!/usr/bin/env node
// Runs every compiled test file (`*.test.js` under a workspace's dist/) with node's test runner.
// Node 20's `--test` does not expand globs, so the file list is built here. Arguments filter by substring:
//   node scripts/run-tests.mjs ipc client     (only files whose path contains "ipc" or "client")
// Output: one line per file, failures in full, a summary at the end (scripts/test-reporter.mjs);
// OPENLSM_TEST_REPORTER=tap (or spec) gives node's own reporters instead.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { findFiles, repoRoot } from './find-files.mjs';

const roots = ['packages', 'plugins'].flatMap((d) => readdirSync(path.join(repoRoot, d)).map((p) => path.join(d, p)))
  .concat(['cli', 'test'])
  .map((d) => path.join(repoRoot, d, 'dist'));

const filters = process.argv.slice(2);
const files = roots.flatMap((d) => findFiles(d, '.test.js'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('no test files found (run `npm run build` first)');
  process.exit(1);
}
const concurrency = process.env.OPENLSM_TEST_CONCURRENCY ?? '2';
const reporter = process.env.OPENLSM_TEST_REPORTER ?? path.join(repoRoot, 'scripts', 'test-reporter.mjs');
const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, `--test-reporter=${reporter}`, ...files], {
  stdio: 'inherit',
  cwd: repoRoot,
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
