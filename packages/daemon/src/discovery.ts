/**
 * Finding plugins: every executable `<name>_lsmplugin` directly in the plugin directories (lsm's naming). The
 * first directory that has a name wins. Files that match but cannot be executed are reported, not served.
 */
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const PLUGIN_SUFFIX = '_lsmplugin';
/** The part before the suffix becomes a socket name: kept to safe characters, within sun_path's limit. */
const PLUGIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,126}$/;

export interface Discovery {
  /** Plugin name -> executable path. */
  plugins: Map<string, string>;
  /** Files that look like plugins but were skipped, with why. */
  skipped: { file: string; reason: string }[];
}

export function discoverPlugins(dirs: readonly string[]): Discovery {
  const plugins = new Map<string, string>();
  const skipped: { file: string; reason: string }[] = [];
  for (const dir of dirs) {
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
