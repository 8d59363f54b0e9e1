/**
 * @openlsm/lsmcli: the `lsmcli` command (bin/lsmcli.js). The exports are the command table and the generators
 * built from it, for tools and tests that need to know lsmcli's commands.
 */
export { commands, findCommand, listAliases } from './args/table.js';
export { globalOptions } from './args/globals.js';
export type { CommandSpec, Example, OptionSpec } from './args/spec.js';
export { renderCliDoc } from './docs.js';
export { renderBashCompletion } from './completion.js';
