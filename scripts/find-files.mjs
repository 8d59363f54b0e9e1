// Recursive file search shared by the test and bench runners (Node 20's --test does not expand globs).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under `dir` whose name ends with `suffix`, sorted; a missing directory gives none. */
export function findFiles(dir, suffix, out = []) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) findFiles(full, suffix, out);
    else if (name.endsWith(suffix)) out.push(full);
  }
  return out.sort();
}

/** The repository root (this file lives in scripts/). */
export const repoRoot = path.dirname(path.dirname(new URL(import.meta.url).pathname));
