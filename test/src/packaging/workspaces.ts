/**
 * The workspace's packages as the packaging tests see them: every workspace of the root package.json, its
 * manifest, and whether it is published (not `private`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  type?: string;
  license?: string;
  engines?: { node?: string };
  main?: string;
  types?: string;
  exports?: Record<string, string | { types?: string; default?: string }>;
  files?: string[];
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[];
}

export interface Workspace {
  /** Relative to the repository root: `packages/core`. */
  dir: string;
  abs: string;
  manifest: Manifest;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

export const rootManifest = readManifest(repoRoot);

export const workspaces: Workspace[] = (rootManifest.workspaces ?? []).map((dir) => {
  const abs = path.join(repoRoot, dir);
  return { dir, abs, manifest: readManifest(abs) };
});

/** The packages a user can install: every workspace not marked private. */
export const published = workspaces.filter((w) => w.manifest.private !== true);
