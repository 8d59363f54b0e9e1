/**
 * A lio:// array of a test's own: an emulated configfs (a FUSE mount, see fixtures/configfs), a directory pool,
 * a saveconfig.json and a state file in a temporary directory, and the built lsmcli to drive it. The plugin
 * cannot tell the emulation from the kernel's configfs: it gets the mount point as `lio://?configfs=`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { buildSaveConfig, ConfigfsTree, lockFileFor, parseSaveConfig, type SaveConfig, scanStorageObjects } from '@openlsm/plugin-lio';
import { lsmcli, type CliResult, type RunOptions } from '../cli/harness.js';
import { runNode } from '../fixtures/run-process.js';
import { mountEmulatedConfigfs, NAMESPACE_RUNNER, EMULATOR, PYTHON, type EmulatedConfigfs, type EmulatedConfigfsOptions } from '../fixtures/configfs/index.js';

export const OPENLSM_LIO = fileURLToPath(new URL('../../../plugins/lio/bin/openlsm-lio.js', import.meta.url));
export const SNAPSHOT_PY = fileURLToPath(new URL('../../src/fixtures/configfs/emulator/snapshot.py', import.meta.url));
export const INITIATOR_1 = 'iqn.1994-05.com.example:host1';
export const INITIATOR_2 = 'iqn.1994-05.com.example:host2';
export const TARGET_IQN = 'iqn.2003-01.org.example.test:array';

export interface LioOptions {
  emulator?: EmulatedConfigfsOptions;
  /** Extra lines for lio.yaml (pools default to one directory pool "images"). */
  yaml?: string;
  /** Mount a configfs of its own (default) or use this one. */
  configfs?: EmulatedConfigfs;
}

export interface Lio {
  cfs: EmulatedConfigfs;
  dir: string;
  images: string;
  etc: string;
  uri: string;
  saveconfigPath: string;
  statePath: string;
  cli(argv: readonly string[], options?: RunOptions): Promise<CliResult>;
  /** Runs and expects exit 0 and an empty stderr; returns stdout. */
  ok(argv: readonly string[]): Promise<string>;
  json<T = unknown>(argv: readonly string[]): Promise<T>;
  saveconfigText(): string;
  saveconfig(): SaveConfig;
  /** What a full dump of the tree gives now (no incremental reuse). */
  fullDump(): Promise<SaveConfig>;
  /** Every path of the LIO tree with its content (see snapshotTree). */
  snapshot(): Record<string, string>;
}

/** The tree under `root` as a map: "d", "l:<target relative to root>", "f:<content>" or "f!" (write-only). */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const realRoot = fs.realpathSync(root);
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(rel ? path.join(root, rel) : root, { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      const full = path.join(root, child);
      if (entry.isSymbolicLink()) out[child] = `l:${path.relative(realRoot, fs.realpathSync(full))}`;
      else if (entry.isDirectory()) {
        out[child] = 'd';
        walk(child);
      } else {
        try {
          out[child] = `f:${fs.readFileSync(full, 'utf8')}`;
        } catch {
          out[child] = 'f!';
        }
      }
    }
  };
  walk('');
  return out;
}

/**
 * A CHAP file reads '' until written and "NULL" once cleared, and nothing brings back ''; both mean "not set"
 * to the kernel (its NAF_* flags) and to rtslib. This maps "NULL" to '' in every auth file of a snapshot.
 */
export function unsetAsEmpty(snapshot: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot).map(([k, v]) => [k, /(^|\/)(discovery_)?auth\/[a-z_]+$/.test(k) && v === 'f:NULL\n' ? 'f:\n' : v]));
}

export async function newLio(t: TestContext, options: LioOptions = {}): Promise<Lio> {
  const lio = await createLio(options);
  t.after(() => lio.dispose());
  return lio;
}

/** A lio:// array as newLio makes it, for callers without a test context: `dispose()` unmounts and removes it. */
export async function createLio(options: LioOptions = {}): Promise<Lio & { dispose(): Promise<void> }> {
  const cfs = options.configfs ?? await mountEmulatedConfigfs(options.emulator);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-lio-e2e-'));
  const dispose = async () => {
    if (!options.configfs) await cfs.unmount();
    // The plugin keeps its lock file (removing one races with its next holder); a mount point is never reused.
    fs.rmSync(lockFileFor(cfs.root), { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const images = path.join(dir, 'images');
  const etc = path.join(dir, 'etc');
  fs.mkdirSync(images);
  fs.mkdirSync(etc);
  const configFile = path.join(dir, 'lio.yaml');
  fs.writeFileSync(configFile, options.yaml ?? [
    `target_iqn: ${TARGET_IQN}`,
    'portals: ["127.0.0.1:3260"]',
    'pools:',
    `  images: { directory: ${images} }`,
    '',
  ].join('\n'));
  const saveconfigPath = path.join(etc, 'saveconfig.json');
  const statePath = path.join(etc, 'openlsm-lio.json');
  const uri = `lio://?configfs=${cfs.root}&config=${configFile}&saveconfig=${saveconfigPath}`;
  const cli = (argv: readonly string[], o?: RunOptions) => lsmcli(['-u', uri, ...argv], o);
  const ok = async (argv: readonly string[]) => {
    const r = await cli(argv);
    if (r.code !== 0 || r.stderr !== '') throw new Error(`lsmcli ${argv.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  const tree = new ConfigfsTree(path.join(cfs.root, 'target'));
  return {
    cfs, dir, images, etc, uri, saveconfigPath, statePath, cli, ok, dispose,
    json: async <T>(argv: readonly string[]) => JSON.parse(await ok(['-o', 'json', ...argv])) as T,
    saveconfigText: () => fs.readFileSync(saveconfigPath, 'utf8'),
    saveconfig: () => parseSaveConfig(fs.readFileSync(saveconfigPath, 'utf8'), saveconfigPath),
    fullDump: () => buildSaveConfig(tree, scanStorageObjects(tree).objects, undefined, 'all'),
    snapshot: () => snapshotTree(path.join(cfs.root, 'target')),
  };
}

/** Runs `openlsm-lio <argv>` (the built bin); never throws for a non-zero exit. */
export function openlsmLio(argv: readonly string[]): Promise<CliResult> {
  return runNode(OPENLSM_LIO, argv);
}

/**
 * What differs between two kernels holding the same configuration: global counters (HBA and statistics ids),
 * dbroot, and '' against "NULL" in CHAP files (see unsetAsEmpty).
 */
export function acrossKernels(snapshot: Record<string, string>): Record<string, string> {
  return unsetAsEmpty(Object.fromEntries(Object.entries(snapshot).filter(([k]) => !k.endsWith('/hba_info') && !/\/statistics\/.+\/inst$/.test(k) && k !== 'dbroot')));
}

export interface NamespaceStep {
  argv: string[];
  env?: Record<string, string>;
}

/**
 * Runs `steps` in a private mount namespace with a fresh emulation at /sys/kernel/config (rtslib and targetcli
 * see it at their built-in path), also bind-mounted at `alias` when given; returns each step's result.
 */
export function inNamespace(steps: NamespaceStep[], alias?: string): Promise<CliResult[]> {
  const job = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-ns-job-'));
  const file = path.join(job, 'job.json');
  fs.writeFileSync(file, JSON.stringify({ steps, ...(alias ? { alias } : {}) }));
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-m', '--propagation', 'private', PYTHON, NAMESPACE_RUNNER, EMULATOR, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.once('error', reject);
    child.once('close', (code) => {
      fs.rmSync(job, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`namespace runner exited ${code}: ${stderr}`));
      resolve(JSON.parse(stdout) as CliResult[]);
    });
  });
}

/** Arrays sorted by their JSON, recursively: two dumps of one tree compare equal whatever their list order. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}
