/**
 * Finding plugins: the daemon serves exactly what the client's embedded mode would find in the same directories
 * (both use `@openlsm/discovery`, so the two cannot drift apart).
 */
export { discoverPlugins, type Discovery, PLUGIN_SUFFIX } from '@openlsm/discovery';
