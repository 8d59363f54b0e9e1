/**
 * Where a plugin is found (`@openlsm/discovery`, shared with openlsmd), re-exported so SDK users and
 * `@openlsm/client/locate` importers need one package.
 */
export * from '@openlsm/discovery';
