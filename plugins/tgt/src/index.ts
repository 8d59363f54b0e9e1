/**
 * @openlsm/plugin-tgt: the `tgt://` plugin for tgtd, the userspace iSCSI target. Run as the `tgt_lsmplugin`
 * executable; the exports are the tgtd protocol client and its parsers (used by `openlsm-migrate tgt-to-lio`).
 */
export { TgtdClient, type TgtdClientOptions, type RequestOptions } from './tgtd/client.js';
export { TgtdAdmin, type NewLun } from './tgtd/admin.js';
export { TgtdError, TgtadmErr, isTgtdError, tgtadmMessage } from './tgtd/errors.js';
export { parseTargets, parseAccounts, parsePortals, isInitiatorNameRule, type TgtdTarget, type TgtdLun, type TgtdNexus, type TgtdPortal } from './tgtd/show.js';
export * as tgtdPayload from './tgtd/payload.js';
export { Mode, Op } from './tgtd/wire.js';
export { targetNameFor } from './naming.js';
export { TgtPlugin } from './plugin.js';
export { loadConfig, parseConfig, type TgtConfig, type PoolConfig } from './config.js';
export { TGT_CAPABILITIES, tgtCapabilities } from './capabilities.js';
export { desiredConfig, type DesiredConfig, type DesiredTarget } from './desired.js';
export { parseState, STATE_FORMAT, type TgtState } from './state.js';
