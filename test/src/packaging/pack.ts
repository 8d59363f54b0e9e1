/**
 * Packing every published package with npm itself (`npm pack --json`), and what installing them needs besides:
 * npm from this Node.js, and a local prebuild of better-sqlite3.
 *
 * better-sqlite3 normally downloads a prebuilt binary from GitHub, which is out of reach here, and falls back
 * to compiling SQLite (a minute or two on a loaded 2-core machine). Its installer (prebuild-install) also
 * looks for a *local* prebuild, named as the download would be, in the directory
 * `$npm_config_better_sqlite3_local_prebuilds`: we make that archive from the module the workspace's own
 * `npm ci` built, for the same version, Node ABI and platform. The install script still runs, as on any
 * user's machine; only the download is served from here.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PackedPackage } from '../fixtures/npm-registry.js';
import { runProcess } from '../fixtures/run-process.js';
import { published, repoRoot } from './workspaces.js';

/** npm of the Node.js running the tests (its bin directory first on PATH, so that `npx` and `node` match it). */
export const nodeBin = path.dirname(process.execPath);
export const npm = path.join(nodeBin, 'npm');

export interface Packed extends PackedPackage {
  /** Paths inside the tarball. */
  files: string[];
}

export async function packAll(destination: string): Promise<Packed[]> {
  mkdirSync(destination, { recursive: true });
  const argv = ['pack', '--json', '--pack-destination', destination, ...published.flatMap((w) => ['-w', w.dir])];
  const run = await runProcess(npm, argv, { cwd: repoRoot });
  if (run.code !== 0) throw new Error(`npm pack failed (${run.code}):\n${run.stderr}`);
  const reports = JSON.parse(run.stdout) as { name: string; version: string; filename: string; integrity: string; shasum: string; files: { path: string }[] }[];
  return reports.map((r) => {
    const ws = published.find((w) => w.manifest.name === r.name);
    if (!ws) throw new Error(`npm packed ${r.name}, which is not a published workspace`);
    return {
      name: r.name,
      version: r.version,
      file: path.join(destination, r.filename),
      integrity: r.integrity,
      shasum: r.shasum,
      manifest: JSON.parse(readFileSync(path.join(ws.abs, 'package.json'), 'utf8')) as Record<string, unknown>,
      files: r.files.map((f) => f.path),
    };
  });
}

/** Writes the local prebuild of the workspace's better-sqlite3 into `dir`; returns the environment that uses it. */
export function betterSqlitePrebuild(dir: string): NodeJS.ProcessEnv {
  const module = path.join(repoRoot, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(path.join(module, 'package.json'), 'utf8')) as { version: string };
  mkdirSync(dir, { recursive: true });
  // prebuild-install's name for the download: {name}-v{version}-{runtime}-v{abi}-{platform}{libc}-{arch}.tar.gz
  const archive = path.join(dir, `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`);
  execFileSync('tar', ['-czf', archive, '-C', module, 'build/Release/better_sqlite3.node']);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}

/**
 * The environment npm runs in for these tests: quiet, no audit or funding calls, the cache preferred. What an
 * outer npm (`npm test`) put in the environment is left out: `npm_config_local_prefix` and friends would make
 * the inner npm work on the workspace instead of the fresh project; npm reads its config files again itself.
 */
export function npmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const dropped = new Set(['INIT_CWD', 'NODE', 'NODE_TEST_CONTEXT', 'LSMCLI_URI', 'LSMCLI_PASSWORD', 'LSM_SIM_DATA', 'OPENLSM_PLUGIN_DIR', 'LSM_UDS_PATH']);
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') && !dropped.has(key)) env[key] = value;
  }
  return {
    ...env,
    PATH: `${nodeBin}${path.delimiter}${env.PATH ?? ''}`,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_prefer_offline: 'true',
    ...extra,
  };
}
