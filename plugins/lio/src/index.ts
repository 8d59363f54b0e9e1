/**
 * @openlsm/plugin-lio: `lio://`, the Linux kernel's iSCSI target (LIO) on this machine, through configfs. Run as
 * the `lio_lsmplugin` executable; `openlsm-lio restore` puts saveconfig.json back at boot. The exports are for
 * embedding and for tests.
 */
export { LioPlugin, LIO_CAPABILITIES } from './plugin.js';
export { loadConfig, lockFileFor, defaultSaveconfig, defaultTargetIqn, type LioConfig, type PoolConfig } from './config.js';
export { LioSession } from './session.js';
export { ConfigfsTree } from './configfs/tree.js';
export { checkKernel, REAL_CONFIGFS } from './kernel.js';
export { formatSaveConfig, parseSaveConfig, type SaveConfig, type NodeAclDump, type StorageObjectDump, type TargetDump } from './saveconfig/format.js';
export { buildSaveConfig } from './saveconfig/update.js';
export { restoreSaveConfig, clearTree } from './saveconfig/restore.js';
export { scanStorageObjects, removeStorageObject, readBackingPath, infoValue, soKey, type StorageObjectRef } from './configfs/backstores.js';
export {
  normalizeIscsiName, validateFileioPath, validateChapValue, validateVolumeName, isTagName, parsePortal, portalDir, type Portal,
} from './configfs/names.js';
export { MAPPED_LUN_MAX } from './configfs/iscsi.js';
export { vpd83FromSerial, SYSTEM_ID } from './lsm/ids.js';
