/**
 * @openlsm/plugin-targetd: the `targetd://` plugin (a Linux storage appliance through targetd's JSON-RPC API).
 * Run as the `targetd_lsmplugin` executable; the exports are for embedding and for tests.
 */
export { TargetdPlugin, type TargetdPluginOptions } from './plugin.js';
export {
  ACCESS_GROUP_CAPABILITIES, BLOCK_CAPABILITIES, capabilityNames, COPY_CAPABILITIES, FS_CAPABILITIES, RESIZE_CAPABILITIES,
  targetdCapabilities,
} from './capabilities.js';
export { DEFAULT_PORT } from './endpoint.js';
export { decodeCopyJobId } from './copy-jobs.js';
export { md5, standaloneGroupId, SYSTEM_ID, uuidToVpd83 } from './ids.js';
export { MAX_REPLY_BYTES, MAX_REQUEST_BYTES } from './rpc.js';
export { TargetdCallError, TargetdCode } from './rpc-errors.js';
