#!/usr/bin/env node
// Runs every benchmark (`bench/dist/*.bench.js`) one after the other, each in its own process so they do not disturb each other. Arguments filter by substring.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findFiles, repoRoot } from './find-files.mjs';

const filters = process.argv.slice(2);
const files = findFiles(path.join(repoRoot, 'bench', 'dist'), '.bench.js')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
let failed = 0;
for (const file of files) {
  console.log(`\n== ${path.relative(repoRoot, file)}`);
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
