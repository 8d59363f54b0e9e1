#!/usr/bin/env node
// Runs every benchmark (`bench/dist/*.bench.js`, then any `*.bench.js` in a workspace's dist/) one after the
// other, each in its own process so they do not disturb each other. Arguments filter by substring.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
function walk(dir, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith('.bench.js')) out.push(full);
  }
  return out;
}
const filters = process.argv.slice(2);
const files = walk(path.join(root, 'bench', 'dist'), []).sort()
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
let failed = 0;
for (const file of files) {
  console.log(`\n== ${path.relative(root, file)}`);
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
