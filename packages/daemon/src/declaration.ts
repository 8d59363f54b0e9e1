/**
 * What a plugin says about itself in its package: `"openlsm": { "requireRoot": true }` in its package.json
 * declares that it needs root, as lsm's plugins do in their pluginconf.d file (`require-root-privilege`); a
 * package of several plugins (openlsm itself) names those that do by their bin: `"requireRoot": ["lio_lsmplugin"]`.
 * The daemon finds the package from the executable it discovered: npm links bins into node_modules/.bin, so the
 * link is resolved and the nearest package.json above the real file is read. The declaration is only a request:
 * a plugin runs as root only where `allow_plugin_root` allows it (see pluginIdentity).
 */
import fs from 'node:fs';
import path from 'node:path';

/** How far above the executable a package.json is looked for (`<package>/bin/x.js` is one level). */
const MAX_LEVELS = 4;

interface Declaring {
  bin?: Record<string, string>;
  openlsm?: { requireRoot?: unknown };
}

export function declaresRoot(executable: string): boolean {
  let real: string;
  try {
    real = fs.realpathSync(executable);
  } catch {
    return false;
  }
  let dir = path.dirname(real);
  for (let level = 0; level <= MAX_LEVELS; level++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as Declaring;
        const declared = pkg.openlsm?.requireRoot;
        if (!Array.isArray(declared)) return declared === true;
        return Object.entries(pkg.bin ?? {}).some(([name, bin]) => declared.includes(name) && path.resolve(dir, bin) === real);
      } catch {
        return false;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return false;
}
