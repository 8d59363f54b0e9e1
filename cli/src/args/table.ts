/**
 * The whole command table and its lookups. Pure data: loading it costs no dependency.
 */
import { accessCommands } from './commands-access.js';
import { blockCommands } from './commands-block.js';
import { fsCommands } from './commands-fs.js';
import { localCommands } from './commands-local.js';
import type { CommandSpec, ListAlias } from './spec.js';

export const commands: readonly CommandSpec[] = [...blockCommands, ...accessCommands, ...fsCommands, ...localCommands];

/** lsmcli's listing shortcuts: `lv` is `list --type volumes` (filters may follow). */
export const listAliases: readonly ListAlias[] = [
  { alias: 'ls', type: 'systems' },
  { alias: 'lp', type: 'pools' },
  { alias: 'lv', type: 'volumes' },
  { alias: 'ld', type: 'disks' },
  { alias: 'la', type: 'access_groups' },
  { alias: 'lf', type: 'fs' },
  { alias: 'lt', type: 'target_ports' },
  { alias: 'lb', type: 'batteries' },
];

const byName = new Map<string, CommandSpec>();
for (const c of commands) {
  byName.set(c.name, c);
  if (c.alias) byName.set(c.alias, c);
}

/** The command named `name` or aliased `name`. */
export function findCommand(name: string): CommandSpec | undefined {
  return byName.get(name);
}
