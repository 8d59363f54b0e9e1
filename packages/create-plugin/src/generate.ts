/**
 * Making a new plugin package from the template (template/, the files docs/plugin-writing.md walks through, for
 * a plugin named `demo`): every file is copied with the name put in place of `demo` (`Demo`, `DEMO`), so that
 * the executable is `<name>_lsmplugin`, the class `<Name>Plugin` and the URI scheme `<name>://`.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeForMessage, ErrorNumber, LsmError } from '@openlsm/core';

export const TEMPLATE_DIR = fileURLToPath(new URL('../template/', import.meta.url));

/** The URI scheme, hence part of file and class names: lower-case letters and digits, starting with a letter. */
const PLUGIN_NAME = /^[a-z][a-z0-9]{0,31}$/;

/** A plugin name from a directory name: `acme-plugin` and `openlsm-plugin-acme` give `acme`. */
export function nameFromDirectory(directory: string): string {
  return path.basename(path.resolve(directory)).toLowerCase()
    .replace(/^openlsm-plugin-|^lsm-plugin-|[-_]?plugin$/g, '')
    .replace(/[^a-z0-9]/g, '');
}

export function validatePluginName(name: string): string {
  if (!PLUGIN_NAME.test(name)) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT,
      `Invalid plugin name ${describeForMessage(name)}: it becomes the URI scheme (name://) and the executable name_lsmplugin, so use 1 to 32 lower-case letters and digits, starting with a letter`);
  }
  return name;
}

/** Every file of the template, relative to it, in order. */
function templateFiles(dir = TEMPLATE_DIR, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) =>
    e.isDirectory() ? templateFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

/** Where a template file goes: npm does not publish `.gitignore` files, so the template holds `gitignore`. */
function targetName(file: string, name: string): string {
  return file === 'gitignore' ? '.gitignore' : file.replaceAll('demo', name);
}

/**
 * Writes a new plugin package named `name` into `directory` (created; it must be empty if it exists) and returns
 * the files written, relative to it.
 *
 * ```ts
 * generatePlugin('acme-plugin', 'acme');   // ['.gitignore', 'README.md', 'bin/acme_lsmplugin', ...]
 * ```
 */
export function generatePlugin(directory: string, name: string): string[] {
  validatePluginName(name);
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `${directory} is not empty: give a new directory for the plugin`);
  }
  const Name = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  const written: string[] = [];
  for (const file of templateFiles()) {
    const text = readFileSync(path.join(TEMPLATE_DIR, file), 'utf8')
      .replaceAll('demo', name).replaceAll('Demo', Name).replaceAll('DEMO', name.toUpperCase());
    const target = targetName(file, name);
    const full = path.join(directory, target);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    if (target.startsWith('bin/')) chmodSync(full, 0o755);
    written.push(target);
  }
  return written.sort();
}
