export * from './config.js';
export * from './daemon.js';
export * from './discovery.js';
export * from './lock.js';
export * from './session.js';
export { parseLsmJson, stringifyLsmJson } from '@openlsm/core';
export { encodeLsmFrame, LsmFrameReader, LSM_HEADER_BYTES } from './lsm-compat/framing.js';
export { toLsmValue } from './lsm-compat/objects.js';
