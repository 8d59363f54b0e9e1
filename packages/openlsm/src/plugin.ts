/**
 * openlsm/plugin: the plugin kit (`@openlsm/plugin`), for writing a plugin with this package alone.
 *
 * ```ts
 * import { runPlugin } from 'openlsm/plugin';
 * ```
 */
export * from '@openlsm/plugin';
