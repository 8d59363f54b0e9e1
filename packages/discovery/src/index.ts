/**
 * Where a plugin is found: the daemon's socket for the scheme when one is listening, otherwise the plugin
 * executable itself (embedded mode). Executables follow lsm's convention, `<scheme>_lsmplugin`. The client's
 * embedded mode and openlsmd both find plugins here, so they cannot disagree about what is installed.
 *
 * ```ts
 * import { findPluginExecutable, socketDirectory } from '@openlsm/discovery';
 * findPluginExecutable('sim');   // '/app/node_modules/.bin/sim_lsmplugin'
 * socketDirectory();             // '/run/openlsm/ipc' (root) or '$XDG_RUNTIME_DIR/openlsm/ipc'
 * ```
 */
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLUGIN_SUFFIX = '_lsmplugin';

/**
 * The daemon's socket directory: `$LSM_UDS_PATH`, else `/run/openlsm/ipc` for root and
 * `$XDG_RUNTIME_DIR/openlsm/ipc` for other users (falling back to the root path when XDG_RUNTIME_DIR is unset).
 */
export function socketDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LSM_UDS_PATH) return env.LSM_UDS_PATH;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot && env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'openlsm', 'ipc');
  return '/run/openlsm/ipc';
}

/**
 * Directories searched for plugin executables: `$OPENLSM_PLUGIN_DIR` (colon-separated; a relative entry is taken
 * from the current directory, so `OPENLSM_PLUGIN_DIR=bin` works in a plugin's own folder), then installed plugins.
 */
export function pluginDirectories(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = (env.OPENLSM_PLUGIN_DIR ?? '').split(':').filter((d) => d.length > 0).map((d) => path.resolve(d));
  return [...dirs, ...installedPluginDirectories()];
}

let installed: string[] | undefined;

/**
 * Installed plugins are the `*_lsmplugin` bins npm links into `node_modules/.bin` of the installation this
 * package belongs to (the workspace root in development, the application's node_modules when installed, and
 * `<prefix>/lib/node_modules/openlsm/node_modules/.bin` for a global `npm install -g openlsm`).
 */
export function installedPluginDirectories(): string[] {
  if (installed) return installed;
  installed = [];
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const bin = path.join(dir, 'node_modules', '.bin');
    if (isDirectory(bin)) installed.push(bin);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return installed;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `<plugin>_lsmplugin` in the plugin directories, or undefined. */
export function findPluginExecutable(plugin: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of pluginDirectories(env)) {
    const candidate = path.join(dir, `${plugin}${PLUGIN_SUFFIX}`);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** A plugin name becomes a socket name and part of a path: kept to safe characters, within sun_path's limit. */
const PLUGIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,126}$/;

export interface Discovery {
  /** Plugin name -> executable path. */
  plugins: Map<string, string>;
  /** Files that look like plugins but were skipped, with why. */
  skipped: { file: string; reason: string }[];
}

/**
 * Every executable `<name>_lsmplugin` directly in `dirs` (lsm's naming; relative directories are taken from the
 * current directory, and the paths found are absolute); the first directory that has a name wins. Files that match but cannot be run, or whose name is unsafe, are reported in `skipped`. openlsmd serves
 * what this finds; the client lists it for `lsmcli list --type plugins`.
 */
export function discoverPlugins(dirs: readonly string[]): Discovery {
  const plugins = new Map<string, string>();
  const skipped: { file: string; reason: string }[] = [];
  for (const dir of dirs.map((d) => path.resolve(d))) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of names.sort()) {
      if (!entry.endsWith(PLUGIN_SUFFIX)) continue;
      const name = entry.slice(0, -PLUGIN_SUFFIX.length);
      const file = path.join(dir, entry);
      if (!PLUGIN_NAME.test(name)) {
        skipped.push({ file, reason: 'the plugin name must be letters, digits, ".", "_" or "-"' });
        continue;
      }
      if (plugins.has(name)) continue;
      try {
        if (!statSync(file).isFile()) {
          skipped.push({ file, reason: 'not a regular file' });
          continue;
        }
        accessSync(file, constants.X_OK);
      } catch (err) {
        skipped.push({ file, reason: `not executable (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
        continue;
      }
      plugins.set(name, file);
    }
  }
  return { plugins, skipped };
}

/** Every plugin executable in the plugin directories, by plugin name (first directory wins). */
export function listPluginExecutables(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  return discoverPlugins(pluginDirectories(env)).plugins;
}
