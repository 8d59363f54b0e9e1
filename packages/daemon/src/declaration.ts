/**
 * What a plugin says about itself in its package: `"openlsm": { "requireRoot": true }` in its package.json
 * declares that it needs root, as lsm's plugins do in their pluginconf.d file (`require-root-privilege`). The
 * daemon finds the package from the executable it discovered: npm links bins into node_modules/.bin, so the
 * link is resolved and the nearest package.json above the real file is read. The declaration is only a request:
 * a plugin runs as root only where `allow_plugin_root` allows it (see pluginIdentity).
 */
import fs from 'node:fs';
import path from 'node:path';

/** How far above the executable a package.json is looked for (`<package>/bin/x.js` is one level). */
const MAX_LEVELS = 4;

export function declaresRoot(executable: string): boolean {
  let dir: string;
  try {
    dir = path.dirname(fs.realpathSync(executable));
  } catch {
    return false;
  }
  for (let level = 0; level <= MAX_LEVELS; level++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { openlsm?: { requireRoot?: unknown } };
        return pkg.openlsm?.requireRoot === true;
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
