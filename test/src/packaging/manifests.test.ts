/**
 * Every published package is ready to publish: the fields npm and TypeScript read, a README, the licence, entry
 * points that exist once built, executable bins, and dependencies declared exactly where they are imported
 * (nothing that works only because npm hoisted another package's dependency, nothing declared and unused).
 * Imports are read with TypeScript's own scanner, so import-like text in comments and strings does not count.
 */
import assert from 'node:assert/strict';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { published, repoRoot, rootManifest, workspaces } from './workspaces.js';

const licence = readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8');
const versions = new Map(workspaces.map((w) => [w.manifest.name, w.manifest.version]));

/** The package a bare specifier names: `@openlsm/client/embedded` -> `@openlsm/client`. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  if (builtinModules.includes(specifier.split('/')[0] as string)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Packages imported by the product sources of a workspace (src without tests, bin, the test fakes excluded). */
function importedPackages(abs: string): Map<string, string> {
  const used = new Map<string, string>();
  const list = (dir: string, suffix: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [])
    .filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f));
  const sources = [...list(path.join(abs, 'src'), '.ts'), ...list(path.join(abs, 'bin'), '.js')]
    .filter((f) => !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
  for (const file of sources) {
    for (const ref of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      const pkg = packageOf(ref.fileName);
      if (pkg && !used.has(pkg)) used.set(pkg, path.relative(repoRoot, file));
    }
  }
  return used;
}

test('the workspace root is private and not named like the published package', () => {
  assert.equal(rootManifest.private, true);
  assert.notEqual(rootManifest.name, 'openlsm');
  assert.ok(published.some((w) => w.manifest.name === 'openlsm'), 'the one-for-everything package "openlsm" is a workspace');
});

describe('every published package', () => {
  for (const { dir, abs, manifest: m } of published) {
    test(`${m.name} (${dir})`, () => {
      assert.ok(m.name === 'openlsm' || m.name.startsWith('@openlsm/'), 'named openlsm or @openlsm/*');
      assert.match(m.version, /^\d+\.\d+\.\d+$/);
      assert.ok(m.description && m.description.length > 20, 'has a description');
      assert.equal(m.type, 'module');
      assert.equal(m.license, 'LGPL-2.1-or-later');
      assert.equal(m.engines?.node, '>=20.18.1');

      const readme = readFileSync(path.join(abs, 'README.md'), 'utf8');
      assert.ok(readme.startsWith(`# ${m.name}\n`), 'README.md starts with the package name');
      assert.ok(readme.includes('npm install'), 'README.md says how to install');
      assert.equal(readFileSync(path.join(abs, 'LICENSE'), 'utf8'), licence, 'LICENSE is the repository\'s');

      assert.ok(m.files?.includes('!dist/**/*.test.*'), 'files leave the tests out');
      const entry = m.exports?.['.'];
      assert.ok(entry && typeof entry === 'object' && entry.types && entry.default, 'exports "." has types and default');
      assert.equal(m.main, entry.default);
      assert.equal(m.types, entry.types);
      for (const [subpath, target] of Object.entries(m.exports ?? {})) {
        const targets = typeof target === 'string' ? [target] : [target.types, target.default];
        if (typeof target === 'object') assert.ok(target.types && target.default, `exports "${subpath}" has types and default`);
        for (const t of targets) assert.ok(t && existsSync(path.join(abs, t)), `exports "${subpath}": ${t} exists after the build`);
      }
      for (const [name, file] of Object.entries(m.bin ?? {})) {
        const full = path.join(abs, file);
        assert.ok(readFileSync(full, 'utf8').startsWith('#!/usr/bin/env node\n'), `bin ${name} starts with a node shebang`);
        assert.ok((statSync(full).mode & 0o111) !== 0, `bin ${name} is executable`);
        accessSync(full, constants.R_OK);
      }

      const declared = new Set(Object.keys(m.dependencies ?? {}));
      const used = importedPackages(abs);
      for (const [pkg, where] of used) assert.ok(declared.has(pkg), `${where} imports ${pkg}, which is not in dependencies`);
      for (const pkg of declared) assert.ok(used.has(pkg), `${pkg} is in dependencies but nothing imports it`);
      for (const [pkg, range] of Object.entries(m.dependencies ?? {})) {
        const own = versions.get(pkg);
        if (own !== undefined) assert.equal(range, own, `${pkg} is pinned to its workspace version ${own}`);
        else assert.match(range, /^~\d/, `${pkg} is pinned with ~ as the repository does`);
      }
      const references = (JSON.parse(readFileSync(path.join(abs, 'tsconfig.json'), 'utf8')) as { references?: { path: string }[] })
        .references?.map((r) => path.resolve(abs, r.path)) ?? [];
      // TypeScript sources need the packages they import built first; a bin (plain JS) only at run time.
      for (const [pkg, where] of used) {
        const ws = workspaces.find((w) => w.manifest.name === pkg);
        if (ws && where.endsWith('.ts')) assert.ok(references.includes(ws.abs), `tsconfig.json references ${ws.dir}, which ${where} imports`);
      }
    });
  }
});
