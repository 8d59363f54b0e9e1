/**
 * Finding plugins: the daemon serves exactly what the client's embedded mode would find in the same directories
 * (`discoverPlugins` lives with the client so the two cannot drift apart).
 */
export { discoverPlugins, type Discovery, PLUGIN_SUFFIX } from '@openlsm/client';
